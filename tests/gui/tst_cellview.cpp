// SPDX-License-Identifier: MIT
// The cell view on the recorded experiment: every run of a scenario, the median marked, and a
// click on a run asks for that run.
#include "guifixture.h"

#include "engine/experiment/results.h"
#include "gui/timeline/cellview.h"

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
        const auto spread
            = tt::engine::cellSpread(results->runs, QStringLiteral("crash-at-llm_call#2"));
        CellView view;
        view.setRows(spread.scenario,
            CellView::rowsOf(
                experiment.dir, spread, tt::engine::importExperimentJournals(experiment.dir)));
        view.resize(1200, view.sizeHint().height());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(int(view.rows().size()), 2); // baseline and restate
        QVERIFY(!view.rows()[1].steps.empty());
        int medians = 0;
        for (const auto& row : view.rows())
            medians += row.cell.median;
        QCOMPARE(medians, 1);
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
};

QTEST_MAIN(TestCellView)
#include "tst_cellview.moc"
