// SPDX-License-Identifier: MIT
// The three variants on screen, on a recorded experiment (experiment-three: baseline,
// baseline-restart and restate through nominal, a crash, and Restate's own two failures): the
// experiment dialog's variant boxes, the browser's pairs, and restate-server's outage drawn as a
// band on the durable pane's Restate lanes.
#include "guifixture.h"

#include "engine/experiment/catalog.h"
#include "gui/browser/browsermodel.h"
#include "gui/experiment/experimentdialog.h"
#include "gui/timeline/pairview.h"
#include "gui/timeline/timelinepane.h"

#include <QCheckBox>
#include <QMenu>
#include <QTreeView>

using namespace tt::gui;
using tt::gui::testing::ExperimentCopy;
using tt::gui::testing::waitIdle;

class TestVariants : public QObject
{
    Q_OBJECT
private:
    static QString titleOf(MainWindow& window, int side)
    {
        const auto run = window.pairView()->run(side);
        return run ? run->title : QString();
    }

    static QModelIndex runIndex(
        MainWindow& window, const QString& dir, const char* scenario, const char* variant)
    {
        return window.browser()->findRun(dir, QLatin1String(scenario), QLatin1String(variant), 1);
    }

    // The window on screen with a results folder open.
    static bool openShown(MainWindow& window, const QString& dir)
    {
        window.resize(1440, 860);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        window.openResults(dir);
        return waitIdle(window);
    }

    // Clicks a run in the browser, as a person would.
    static bool click(MainWindow& window, const QModelIndex& run)
    {
        QTreeView* view = window.browserView();
        view->expandAll();
        view->scrollTo(run);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(run).center());
        return waitIdle(window);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void theDialogChoosesAmongThreeVariants()
    {
        ExperimentDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // One box per variant, all three checked by default, as `twintrace run` runs them.
        for (const QString& variant : tt::engine::knownVariants()) {
            QCheckBox* box = dialog.variantBox(variant);
            QVERIFY2(box, qPrintable(variant));
            QVERIFY2(box->isChecked(), qPrintable(variant));
            QVERIFY(box->isVisibleTo(&dialog));
        }
        QCOMPARE(dialog.options().variants, tt::engine::knownVariants());
        // Clicked off, a variant is not run; the others keep their order.
        QTest::mouseClick(dialog.variantBox(QStringLiteral("baseline")), Qt::LeftButton);
        QCOMPARE(dialog.options().variants,
            QStringList({ QStringLiteral("baseline-restart"), QStringLiteral("restate") }));
        // Options given to the dialog check exactly their variants.
        tt::engine::ExperimentOptions options;
        options.variants = { QStringLiteral("baseline-restart") };
        dialog.setOptions(options);
        QVERIFY(!dialog.variantBox(QStringLiteral("baseline"))->isChecked());
        QVERIFY(dialog.variantBox(QStringLiteral("baseline-restart"))->isChecked());
        QVERIFY(!dialog.variantBox(QStringLiteral("restate"))->isChecked());
        QCOMPARE(dialog.options().variants, QStringList { QStringLiteral("baseline-restart") });
    }

    void theBrowserPairsTheRestartLoop()
    {
        ExperimentCopy experiment("experiment-three");
        MainWindow window;
        QVERIFY(openShown(window, experiment.dir));
        const QString& dir = experiment.dir;
        // A restart-loop run opens beside Restate's: what Restate saves over the loop.
        QVERIFY(click(window, runIndex(window, dir, "crash-at-llm_call#2", "baseline-restart")));
        QVERIFY2(
            titleOf(window, 0).startsWith(QStringLiteral("baseline-restart · crash-at-llm_call#2")),
            qPrintable(titleOf(window, 0)));
        QVERIFY2(titleOf(window, 1).startsWith(QStringLiteral("restate · crash-at-llm_call#2")),
            qPrintable(titleOf(window, 1)));
        // The paragraph above the pair says what the loop did.
        QVERIFY2(window.pairView()->explanation().contains(
                     QLatin1String("its supervisor relaunched it from scratch (2 attempts)")),
            qPrintable(window.pairView()->explanation()));
        // A baseline run opens beside Restate's, as the plan compares them.
        QVERIFY(click(window, runIndex(window, dir, "crash-at-llm_call#2", "baseline")));
        QVERIFY(titleOf(window, 0).startsWith(QStringLiteral("baseline · crash-at-llm_call#2")));
        QVERIFY(titleOf(window, 1).startsWith(QStringLiteral("restate · crash-at-llm_call#2")));
        // The browser's menu puts any two variants side by side: baseline vs the restart loop,
        // the baseline on the left whichever run the menu was opened on.
        const QModelIndex restart
            = runIndex(window, dir, "crash-at-llm_call#2", "baseline-restart");
        std::unique_ptr<QMenu> menu(window.browserMenu(restart));
        QVERIFY(menu);
        QStringList compare;
        QAction* withBaseline = nullptr;
        for (QAction* action : menu->actions())
            if (action->text().startsWith(QStringLiteral("Compare with "))) {
                compare << action->text();
                if (action->text() == QStringLiteral("Compare with baseline"))
                    withBaseline = action;
            }
        QCOMPARE(compare,
            QStringList({ QStringLiteral("Compare with baseline"),
                QStringLiteral("Compare with restate") }));
        withBaseline->trigger();
        QVERIFY(waitIdle(window));
        QVERIFY2(titleOf(window, 0).startsWith(QStringLiteral("baseline · crash-at-llm_call#2")),
            qPrintable(titleOf(window, 0)));
        QVERIFY2(
            titleOf(window, 1).startsWith(QStringLiteral("baseline-restart · crash-at-llm_call#2")),
            qPrintable(titleOf(window, 1)));
        // The loop's second attempt is on screen: the Writer was relaunched after the kill.
        const auto loop = window.pairView()->run(1);
        QVERIFY(loop->record && loop->record->attempts == 2);
    }

    void restatesOutageIsABandOnItsLanes_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("restate-crash") << QStringLiteral("restate-crash");
        QTest::newRow("restate-down-at-start") << QStringLiteral("restate-down-at-start");
    }

    void restatesOutageIsABandOnItsLanes()
    {
        QFETCH(QString, scenario);
        ExperimentCopy experiment("experiment-three");
        MainWindow window;
        QVERIFY(openShown(window, experiment.dir));
        QVERIFY(click(window,
            window.browser()->findRun(experiment.dir, scenario, QStringLiteral("baseline"), 1)));
        window.pairView()->fit();
        QCoreApplication::processEvents();
        const auto durable = window.pairView()->run(1);
        QVERIFY(durable && durable->record);
        const auto& record = *durable->record;
        QVERIFY(record.restateDownAtMs > 0 && record.restateUpAtMs > record.restateDownAtMs);
        // The model holds the stored outage, on the run's clock (the traces' wall clock).
        QCOMPARE(durable->run.outages().size(), size_t(1));
        const auto& outage = durable->run.outages().front();
        QCOMPARE(outage.startNs, int64_t(record.restateDownAtMs * 1e6));
        QCOMPARE(outage.endNs, int64_t(record.restateUpAtMs * 1e6));
        QVERIFY(durable->run.startNs() <= outage.startNs);
        // Painted over the Restate lanes only, from the kill to the server answering again.
        TimelinePane* pane = window.pairView()->pane(1);
        const auto bands = pane->outageRects();
        QCOMPARE(bands.size(), size_t(1));
        const QRectF band = bands.front();
        QCOMPARE(band.left(), pane->xOfDisplay(pane->displayOf(outage.startNs)));
        QVERIFY(band.width() > 10);
        const auto& lanes = durable->lanes.lanes;
        for (int l = 0; l < int(lanes.size()); ++l) {
            const bool restate = lanes[size_t(l)].group == tt::timeline::LaneGroup::Journal
                || lanes[size_t(l)].group == tt::timeline::LaneGroup::Lifecycle;
            const double mid
                = pane->spanRect(lanes[size_t(l)].track, lanes[size_t(l)].spans.front())
                      .center()
                      .y();
            QCOMPARE(band.top() <= mid && mid <= band.bottom(), restate);
        }
        // The paragraph above the pair names the outage, which no trace records.
        QVERIFY2(
            window.pairView()->explanation().contains(QLatin1String("restate-server was down")),
            qPrintable(window.pairView()->explanation()));
        // The baseline does not use Restate: no band on its side.
        QVERIFY(window.pairView()->run(0)->run.outages().empty());
        QVERIFY(window.pairView()->pane(0)->outageRects().empty());
    }
};

QTEST_MAIN(TestVariants)
#include "tst_variants.moc"
