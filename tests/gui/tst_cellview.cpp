// SPDX-License-Identifier: MIT
// The cell view on the recorded experiment: every run of a scenario, the median marked, and a
// click on a run asks for that run.
#include "guifixture.h"

#include "engine/experiment/celltraces.h"
#include "engine/experiment/results.h"
#include "gui/browser/browsermodel.h"
#include "gui/timeline/cellview.h"
#include "gui/timeline/pairview.h"

#include <QTabWidget>

using namespace tt::gui;
using namespace tt::gui::testing;

class TestCellView : public QObject
{
    Q_OBJECT
private slots:
    void clickingARunAsksForThatRun()
    {
        ExperimentCopy experiment;
        QString error;
        const auto results = tt::engine::loadResults(experiment.dir, error);
        QVERIFY2(results, qPrintable(error));
        auto spread = tt::engine::cellSpread(results->runs, QStringLiteral("crash-at-llm_call#2"));
        tt::engine::readCellTraces(experiment.dir, spread,
            tt::engine::importExperimentJournals(experiment.dir),
            tt::engine::readLlmLogs(experiment.dir));
        CellView view;
        view.setCell(spread.scenario, spread);
        view.resize(1200, view.sizeHint().height());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(int(view.runs().size()), 2); // baseline and restate
        QVERIFY(!view.runs()[1].steps.empty());
        int medians = 0;
        for (const auto& cell : view.runs())
            medians += cell.median;
        QCOMPARE(medians, 2); // one per variant
        // Aligned by step: the steps both runs have start at the same x, whatever each run's
        // own pace; the baseline, killed inside llm_call#2, has no save_report#1.
        const auto& columns = view.cell().columns;
        int shared = 0;
        for (size_t c = 0; c < columns.columns.size(); ++c) {
            const int b = columns.stepInColumn[0][c];
            const int r = columns.stepInColumn[1][c];
            if (b < 0 || r < 0)
                continue;
            ++shared;
            QCOMPARE(view.stepRect(0, b).left(), view.stepRect(1, r).left());
        }
        QVERIFY2(shared >= 3, qPrintable(QString::number(shared)));
        QSignalSpy clicked(&view, &CellView::runClicked);
        for (int row : { 1, 0 })
            QTest::mouseClick(&view, Qt::LeftButton, {}, view.rowRect(row).center());
        QCOMPARE(clicked.size(), 2);
        const auto first = clicked.at(0).at(0).value<tt::engine::RunRecord>();
        const auto second = clicked.at(1).at(0).value<tt::engine::RunRecord>();
        QCOMPARE(first.variant, QStringLiteral("restate"));
        QCOMPARE(second.variant, QStringLiteral("baseline"));
        QCOMPARE(first.scenario, QStringLiteral("crash-at-llm_call#2"));
        // Below the last run: nothing.
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.rowRect(2).center());
        QCOMPARE(clicked.size(), 2);
    }

    // In the window: showing a run fills the Cell tab with its scenario's runs; clicking one
    // there opens its pair on the Timelines tab.
    void aClickInTheCellTabOpensThatRunsPair()
    {
        ExperimentCopy experiment;
        MainWindow window;
        window.resize(1440, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openResults(experiment.dir);
        QVERIFY(waitIdle(window));
        BrowserModel* browser = window.browser();
        const auto runIndex = [&](const char* scenario, const char* variant) {
            return browser->findRun(
                experiment.dir, QLatin1String(scenario), QLatin1String(variant), 1);
        };
        window.showRun(runIndex("nominal", "baseline"));
        QVERIFY(waitIdle(window));
        QTRY_COMPARE(int(window.cellView()->runs().size()), 2);
        QCOMPARE(window.cellView()->runs()[0].run.scenario, QStringLiteral("nominal"));
        // Another pair on screen, the Cell tab still on nominal.
        window.showRunOnSide(0, runIndex("crash-at-llm_call#2", "baseline"));
        window.showRunOnSide(1, runIndex("crash-at-llm_call#2", "restate"));
        QVERIFY(waitIdle(window));
        QVERIFY(window.pairView()->run(0)->title.contains(QLatin1String("crash")));
        window.tabs()->setCurrentIndex(window.tabs()->count() - 1);
        CellView* cell = window.cellView();
        QTRY_VERIFY(cell->isVisible());
        QTest::mouseClick(cell, Qt::LeftButton, {}, cell->rowRect(1).center()); // restate #1
        QVERIFY(waitIdle(window));
        QCOMPARE(window.tabs()->currentIndex(), 0);
        QVERIFY2(
            window.pairView()->run(1)->title.startsWith(QString::fromUtf8("restate · nominal")),
            qPrintable(window.pairView()->run(1)->title));
        QVERIFY(
            window.pairView()->run(0)->title.startsWith(QString::fromUtf8("baseline · nominal")));
    }
};

QTEST_MAIN(TestCellView)
#include "tst_cellview.moc"
