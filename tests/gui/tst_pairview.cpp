// SPDX-License-Identifier: MIT
// The window on a recorded experiment: picking runs in the browser opens the pair, the steps
// line up, both panes zoom together, the gutter and the table select a step, the inspector
// shows the failures, the results page has its cards and charts.
#include "guifixture.h"

#include "gui/browser/browsermodel.h"
#include "gui/inspector/inspector.h"
#include "gui/inspector/jsontreemodel.h"
#include "gui/inspector/redaction.h"
#include "gui/results/resultspage.h"
#include "gui/timeline/alignedrowsmodel.h"
#include "gui/timeline/diffgutter.h"
#include "gui/timeline/pairview.h"
#include "gui/timeline/spanstyle.h"
#include "gui/timeline/timelinepane.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>

using namespace tt::gui;
using tt::gui::testing::ExperimentCopy;
using tt::gui::testing::waitIdle;
using tt::timeline::RowStatus;

// The recorded experiment's copy and a window the size of the real one, shown.
struct ShownExperiment
{
    ExperimentCopy experiment;
    MainWindow window;
    ShownExperiment()
    {
        window.resize(1440, 860);
        window.show();
    }
};

class TestPairView : public QObject
{
    Q_OBJECT
private:
    // Opens the recorded experiment and clicks a scenario's baseline run in the browser.
    static bool openAndClick(MainWindow& window, const QString& dir, const QString& scenario)
    {
        window.openResults(dir);
        if (!waitIdle(window))
            return false;
        BrowserModel* browser = window.browser();
        const QModelIndex run = browser->findRun(dir, scenario, QStringLiteral("baseline"), 1);
        if (!run.isValid())
            return false;
        QTreeView* view = window.browserView();
        view->expandAll();
        view->scrollTo(run);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(run).center());
        return waitIdle(window);
    }

    static int rowsWith(const PairView* pair, RowStatus status)
    {
        int count = 0;
        for (const auto& row : pair->rows())
            count += row.status == status ? 1 : 0;
        return count;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void selectingARunOpensItsPair()
    {
        ExperimentCopy experiment;
        MainWindow window;
        QAbstractItemModelTester browserTester(
            window.browser(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester rowsTester(
            window.rowsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1440, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndClick(window, experiment.dir, QStringLiteral("crash-at-llm_call#2")));
        const auto left = window.pairView()->run(0);
        const auto right = window.pairView()->run(1);
        QVERIFY(left && right);
        QVERIFY(left->title.startsWith(QStringLiteral("baseline · crash-at-llm_call#2")));
        QVERIFY(right->title.startsWith(QStringLiteral("restate · crash-at-llm_call#2")));
        QVERIFY(left->failed);
        QVERIFY(!right->failed);
        // The durable side has its Restate journal and lifecycle lanes first.
        QVERIFY(right->run.tracks()[0].trace->source == tt::timeline::Source::Restate);
        QVERIFY(right->lanes.lanes.front().group == tt::timeline::LaneGroup::Journal);
        // The baseline died in its second LLM call: that step started and never ended, a
        // changed outcome; the steps after it exist only on the right.
        // Both sides know when the Writer was killed (the baseline's end, Restate's first
        // failed attempt), within a few milliseconds of each other from each run's start.
        QVERIFY(left->run.killedAt() && right->run.killedAt());
        QVERIFY(*right->run.killedAt() < right->run.endNs());
        const int64_t leftKill = *left->run.killedAt() - left->run.startNs();
        const int64_t rightKill = *right->run.killedAt() - right->run.startNs();
        QVERIFY2(std::llabs(leftKill - rightKill) < 50'000'000,
            qPrintable(QStringLiteral("%1 vs %2 ns").arg(leftKill).arg(rightKill)));
        QCOMPARE(rowsWith(window.pairView(), RowStatus::Changed), 1);
        QVERIFY(rowsWith(window.pairView(), RowStatus::OnlyRight) >= 1);
        for (const auto& row : window.pairView()->rows())
            if (row.status == RowStatus::Changed) {
                const auto& crashed = left->steps[size_t(row.left)];
                QCOMPARE(QString::fromStdString(crashed.label()), QStringLiteral("llm_call#2"));
                QVERIFY(left->run.tracks()[size_t(crashed.track)]
                            .trace->spans[size_t(crashed.attempts.back())]
                            .unfinished());
            }
        QCOMPARE(window.rowsModel()->rowCount(), int(window.pairView()->rows().size()));
        QCOMPARE(window.pairView()->gutter()->rows().size(), window.pairView()->rows().size());
        // Tallies and icons: 2 of 3 scenarios' baselines failed, every durable run succeeded.
        const QModelIndex experimentRow
            = window.browser()->index(0, 0, window.browser()->experimentsRoot());
        QCOMPARE(window.browser()
                     ->index(0, BrowserModel::Result, experimentRow.parent())
                     .data()
                     .toString(),
            QStringLiteral("4/6 ok"));
    }

    void transientFaultShowsRetriesAndAChangedStep()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("transient-llm-k3")));
        PairView* pair = window.pairView();
        QVERIFY(rowsWith(pair, RowStatus::Changed) >= 1); // llm_call#2 failed left, succeeded right
        QCOMPARE(
            pair->run(1)->outcome, QStringLiteral("success, 1 Restate retry, 2 client retries"));
        // The gutter: click the changed row's band, the table and the inspector follow.
        int changed = -1;
        for (size_t r = 0; r < pair->rows().size(); ++r)
            if (pair->rows()[r].status == RowStatus::Changed)
                changed = int(r);
        const QPointF inBand = pair->gutter()->bandOf(changed).boundingRect().center();
        QTest::mouseClick(pair->gutter(), Qt::LeftButton, {}, inBand.toPoint());
        QCOMPARE(pair->controller()->selectedRow(), changed);
        QCOMPARE(window.rowsView()->currentIndex().row(), changed);
        const QJsonObject inspected = [&]() {
            QJsonObject all;
            JsonTreeModel* model = window.inspector()->model();
            for (int row = 0; row < model->rowCount(); ++row)
                all[model->index(row, 0).data().toString()]
                    = model->index(row, 1).data().toString();
            return all;
        }();
        QVERIFY(inspected.contains(QLatin1String("compared")));
        QVERIFY(
            inspected.contains(QLatin1String("error"))); // the left step failed: its error shows
        // The durable side's journal holds the failed attempt under "call LLM".
        const auto right = pair->run(1);
        const auto& journal = *right->run.tracks()[0].trace;
        int attempts = 0;
        for (const auto& span : journal.spans)
            attempts += journal.spanKind(span) == tt::timeline::SpanKind::RetryAttempt ? 1 : 0;
        QVERIFY(attempts >= 1);
        // A failed attempt's whole error message: in the inspector, copied in full.
        int failed = -1;
        for (size_t i = 0; i < journal.spans.size() && failed < 0; ++i)
            if (journal.spanKind(journal.spans[i]) == tt::timeline::SpanKind::RetryAttempt)
                failed = int(i);
        const QRectF box = pair->pane(1)->spanRect(0, failed);
        QTest::mouseClick(pair->pane(1), Qt::LeftButton, {}, box.center().toPoint());
        QCOMPARE(pair->controller()->selectedSpan().span, failed);
        // Selected, it stays red (outlined, not filled with another colour).
        const QColor drawn = pair->pane(1)->grab().toImage().pixelColor(
            QPoint(int(box.right()) - 4, int(box.center().y()) + 3));
        QVERIFY2(drawn.red() > drawn.green() + 60, qPrintable(drawn.name()));
        JsonTreeModel* model = window.inspector()->model();
        QModelIndex error;
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->index(row, JsonTreeModel::Key).data().toString() == QLatin1String("error"))
                error = model->index(row, JsonTreeModel::Key);
        QVERIFY(error.isValid());
        const QString message
            = QString::fromStdString(std::string(journal.str(journal.spans[size_t(failed)].error)));
        QVERIFY(message.size() > 60);
        QCOMPARE(window.inspector()->copyText(error), message);
        if (const QString shots = qEnvironmentVariable("TT_GUI_SHOTS"); !shots.isEmpty())
            window.grab().save(shots + QStringLiteral("/inspector-long-error.png"));
    }

    void bothPanesZoomAndPanTogether()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("nominal")));
        PairView* pair = window.pairView();
        TimelinePane* left = pair->pane(0);
        TimelinePane* right = pair->pane(1);
        ViewController* zoom = pair->controller();
        const double fitted = zoom->nsPerPixel();
        const int historyBefore = zoom->historySize();
        // Wheel on the left pane: both panes show the same display time at the same x.
        const QPoint at(left->width() / 2, left->height() / 2);
        QWheelEvent wheel(at, left->mapToGlobal(at), {}, QPoint(0, 240), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(left, &wheel);
        QVERIFY(zoom->nsPerPixel() < fitted * 0.7);
        QCOMPARE(left->xOfDisplay(123'000'000), right->xOfDisplay(123'000'000));
        // Keyboard on the right pane: + zooms in, a drag pans both, Backspace goes back.
        right->setFocus();
        const double before = zoom->nsPerPixel();
        QTest::keyClick(right, Qt::Key_Plus);
        QCOMPARE(zoom->nsPerPixel(), before / 2);
        const int64_t start = zoom->viewStartNs();
        QTest::mousePress(right, Qt::LeftButton, {}, QPoint(600, 80));
        QTest::mouseMove(right, QPoint(500, 80));
        QTest::mouseRelease(right, Qt::LeftButton, {}, QPoint(500, 80));
        QVERIFY(zoom->viewStartNs() > start); // dragged left: later times come into view
        QVERIFY(zoom->historySize() > historyBefore);
        QVERIFY(zoom->back());
        QTest::keyClick(left, Qt::Key_F); // fit
        QCOMPARE(zoom->nsPerPixel(), fitted);
    }

    void selectionSurvivesChangingRunsAndRows()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("nominal")));
        PairView* pair = window.pairView();
        // Click the durable side's second LLM call (a late, wide step), then a row of the
        // table: the row sticks (the clicked span does not pull the selection back).
        const auto right = pair->run(1);
        const auto& last = right->steps[right->steps.size() - 2];
        const QRectF box = pair->pane(1)->spanRect(right->stepTrack, last.attempts.back());
        QTest::mouseClick(pair->pane(1), Qt::LeftButton, {}, box.center().toPoint());
        const int lastRow = pair->controller()->selectedRow();
        QVERIFY2(lastRow >= 2,
            qPrintable(QStringLiteral("row %1, span %2, box %3,%4 %5 wide")
                           .arg(lastRow)
                           .arg(pair->controller()->selectedSpan().span)
                           .arg(box.x())
                           .arg(box.y())
                           .arg(box.width())));
        window.rowsView()->setCurrentIndex(window.rowsModel()->index(0, 0));
        QCOMPARE(pair->controller()->selectedRow(), 0);
        QVERIFY(!pair->controller()->selectedSpan().isValid());
        window.rowsView()->setCurrentIndex(window.rowsModel()->index(lastRow, 0));
        // Now a pair with fewer steps on the left: the old row must not index the new runs.
        const QModelIndex crash = window.browser()->findRun(shown.experiment.dir,
            QStringLiteral("crash-at-llm_call#2"), QStringLiteral("baseline"), 1);
        window.browserView()->setCurrentIndex(crash);
        QVERIFY(waitIdle(window));
        QCOMPARE(pair->controller()->selectedRow(), -1);
        QVERIFY(pair->run(0)->title.contains(QLatin1String("crash-at-llm_call#2")));
    }

    // A span, a gutter band, a table row: whichever is picked, the panes, the table and the
    // inspector show the same thing.
    void selectionAgreesAcrossSpanBandRowAndInspector()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("nominal")));
        PairView* pair = window.pairView();
        ViewController* controller = pair->controller();
        QTableView* table = window.rowsView();
        const auto tableRow = [&]() {
            const auto selected = table->selectionModel()->selectedRows();
            return selected.size() == 1 ? selected.first().row() : -1;
        };
        // A step's span: its row in the table, the span in the inspector.
        const auto right = pair->run(1);
        const int stepIndex = int(right->steps.size()) - 2; // the second LLM call: wide
        const auto& step = right->steps[size_t(stepIndex)];
        const QRectF box = pair->pane(1)->spanRect(step.track, step.attempts.back());
        QTest::mouseClick(pair->pane(1), Qt::LeftButton, {}, box.center().toPoint());
        const int stepRow = controller->selectedRow();
        QVERIFY(stepRow >= 0);
        QCOMPARE(pair->rows()[size_t(stepRow)].right, stepIndex);
        QCOMPARE(tableRow(), stepRow);
        const auto& trace = *right->run.tracks()[size_t(step.track)].trace;
        QVERIFY(window.inspector()->title().startsWith(QString::fromStdString(
            std::string(trace.spanName(trace.spans[size_t(step.attempts.back())])))));
        // A gutter band: its row in the table, its step in the inspector.
        DiffGutter* gutter = pair->gutter();
        QTest::mouseClick(
            gutter, Qt::LeftButton, {}, gutter->bandOf(0).boundingRect().center().toPoint());
        QCOMPARE(controller->selectedRow(), 0);
        QCOMPARE(tableRow(), 0);
        // (The inspector's "compared" section names the row's steps.)
        const auto comparedLeft = [&]() {
            JsonTreeModel* model = window.inspector()->model();
            for (int r = 0; r < model->rowCount(); ++r) {
                const QModelIndex section = model->index(r, JsonTreeModel::Key);
                if (section.data().toString() != QLatin1String("compared"))
                    continue;
                for (int c = 0; c < model->rowCount(section); ++c)
                    if (model->index(c, JsonTreeModel::Key, section).data().toString()
                        == QLatin1String("left"))
                        return model->index(c, JsonTreeModel::Value, section).data().toString();
            }
            return QString();
        };
        QVERIFY2(
            comparedLeft().startsWith(QLatin1String("llm_call#1")), qPrintable(comparedLeft()));
        // A table row: the same in the panes' selection and the inspector.
        table->setCurrentIndex(window.rowsModel()->index(stepRow, 0));
        QCOMPARE(controller->selectedRow(), stepRow);
        QVERIFY2(
            comparedLeft().startsWith(QLatin1String("llm_call#2")), qPrintable(comparedLeft()));
        // A span outside every step (the run itself): no row stays selected, and the inspector
        // shows that span, not the old row's step.
        const auto left = pair->run(0);
        int rootTrack = -1;
        int root = -1;
        for (size_t t = 0; t < left->run.tracks().size() && root < 0; ++t)
            if (left->run.tracks()[t].trace->root >= 0
                && left->run.stepLabelOf(int(t), left->run.tracks()[t].trace->root).empty()) {
                rootTrack = int(t);
                root = left->run.tracks()[t].trace->root;
            }
        QVERIFY(root >= 0);
        const QRectF rootBox = pair->pane(0)->spanRect(rootTrack, root);
        QVERIFY(!rootBox.isEmpty());
        QTest::mouseClick(pair->pane(0), Qt::LeftButton, {},
            QPoint(int(rootBox.left() + 3), int(rootBox.center().y())));
        QCOMPARE(controller->selectedSpan().span, root);
        QCOMPARE(controller->selectedRow(), -1);
        QCOMPARE(tableRow(), -1);
        const auto& rootTrace = *left->run.tracks()[size_t(rootTrack)].trace;
        QVERIFY2(window.inspector()->title().startsWith(QString::fromStdString(
                     std::string(rootTrace.spanName(rootTrace.spans[size_t(root)])))),
            qPrintable(window.inspector()->title()));
    }

    // The Warnings tab lists the warnings of the pair on screen only.
    void warningsClearWhenThePairChanges()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("nominal")));
        QTreeWidget* warnings = window.warningsView();
        const int nominal = warnings->topLevelItemCount();
        const auto sources = [&]() {
            QStringList out;
            for (int i = 0; i < warnings->topLevelItemCount(); ++i)
                out << warnings->topLevelItem(i)->toolTip(0);
            return out;
        };
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("crash-at-llm_call#2")));
        // The killed baseline left spans without an end: its trace.log says so.
        QVERIFY(warnings->topLevelItemCount() > nominal);
        QVERIFY(sources().join(QLatin1Char(' ')).contains(QLatin1String("crash-at-llm_call_2")));
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("nominal")));
        QCOMPARE(warnings->topLevelItemCount(), nominal);
        for (const QString& source : sources())
            QVERIFY2(!source.contains(QLatin1String("crash-at")), qPrintable(source));
    }

    // Resizing keeps the time range on screen; the rulers say each run's own elapsed time (also
    // aligned by step), or the time of day in absolute time.
    void resizingKeepsTheRangeAndRulersTellTheTruth()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("transient-llm-k3")));
        PairView* pair = window.pairView();
        ViewController* zoom = pair->controller();
        const auto range = [&]() {
            return zoom->nsPerPixel() * (pair->width() - TimelinePane::kLabelWidth - 8);
        };
        const double before = range();
        window.resize(1000, 860);
        QTRY_VERIFY(pair->width() < 1000);
        QVERIFY2(std::abs(range() - before) < before * 0.01,
            qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(range())));
        pair->setTimeMode(TimeMode::AlignedBySteps);
        TimelinePane* left = pair->pane(0);
        // The left run is stretched to the right one's length: its ruler still ends near its
        // own duration, not the stretched one.
        const auto run = left->run();
        const int64_t end = left->displayOf(run->run.endNs());
        QCOMPARE(left->axisLabel(end), formatDuration(run->run.endNs() - run->run.startNs()));
        QVERIFY(end > run->run.endNs() - run->run.startNs()); // it was stretched
        pair->setTimeMode(TimeMode::Absolute);
        QVERIFY2(left->axisLabel(left->displayOf(run->run.startNs())).count(QLatin1Char(':')) == 2,
            qPrintable(left->axisLabel(0)));
    }

    void alignedByStepPutsMatchedStepsOnTheSameX()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("transient-llm-k3")));
        PairView* pair = window.pairView();
        pair->setTimeMode(TimeMode::AlignedBySteps);
        const auto left = pair->run(0);
        const auto right = pair->run(1);
        int matched = 0;
        for (const auto& row : pair->rows()) {
            if (row.left < 0 || row.right < 0)
                continue;
            ++matched;
            const double xl = pair->pane(0)->xOfDisplay(
                pair->pane(0)->displayOf(left->steps[size_t(row.left)].startNs));
            const double xr = pair->pane(1)->xOfDisplay(
                pair->pane(1)->displayOf(right->steps[size_t(row.right)].startNs));
            QVERIFY(std::abs(xl - xr) < 1.0);
        }
        QVERIFY(matched >= 2);
        // From start, the same steps are apart (the right side retried).
        pair->setTimeMode(TimeMode::FromStart);
        const auto& last = pair->rows()[2];
        QVERIFY(pair->pane(0)->displayOf(left->steps[size_t(last.left)].endNs)
            != pair->pane(1)->displayOf(right->steps[size_t(last.right)].endNs));
    }

    void inspectorMasksKeysAndOptionallyContent()
    {
        QJsonObject record { { QStringLiteral("api_key"), QStringLiteral("sk-secret-123456") },
            { QStringLiteral("headers"),
                QJsonObject { { QStringLiteral("Authorization"), QStringLiteral("Bearer abc") } } },
            { QStringLiteral("messages"),
                QJsonArray {
                    QJsonObject { { QStringLiteral("content"), QStringLiteral("notes") } } } },
            { QStringLiteral("usage"), QJsonObject { { QStringLiteral("total_tokens"), 42 } } } };
        const QJsonObject secrets = redactJson(record, Redact::SecretsOnly).toObject();
        QVERIFY(
            !secrets.value(QLatin1String("api_key")).toString().contains(QLatin1String("secret")));
        QVERIFY(secrets.value(QLatin1String("headers"))
                    .toObject()
                    .value(QLatin1String("Authorization"))
                    .toString()
                    .startsWith(QStringLiteral("▇▇▇")));
        QCOMPARE(secrets.value(QLatin1String("messages"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("content"))
                     .toString(),
            QStringLiteral("notes"));
        // Text that is not JSON: key-like tokens always go, everything with content on.
        const QString line = QStringLiteral("DATA: {'api': 'sk-abcdef0123456789', 'q': 'notes'}");
        QVERIFY(!redactText(line, Redact::SecretsOnly).contains(QLatin1String("sk-abcdef")));
        QVERIFY(redactText(line, Redact::SecretsOnly).contains(QLatin1String("notes")));
        QVERIFY(!redactText(line, Redact::SecretsAndContent).contains(QLatin1String("notes")));
        const QJsonObject all = redactJson(record, Redact::SecretsAndContent).toObject();
        QVERIFY(all.value(QLatin1String("messages")).toString().startsWith(QStringLiteral("▇▇▇")));
        QCOMPARE(all.value(QLatin1String("usage"))
                     .toObject()
                     .value(QLatin1String("total_tokens"))
                     .toInt(),
            42);
    }

    void resultsPageHasCardsAndCharts()
    {
        ExperimentCopy experiment;
        MainWindow window;
        window.show();
        window.openResults(experiment.dir);
        QVERIFY(waitIdle(window));
        ResultsPage* page = window.resultsPage();
        QCOMPARE(page->cardCount(), 5); // resilience, overhead, refactor, setup, debugging
        QCOMPARE(page->chartCount(), 3);
        QTemporaryDir temp;
        QString error;
        const QString charts = temp.filePath(QStringLiteral("charts.png"));
        QVERIFY2(
            window.saveScreenshot(ShotView::Charts, charts, 1.0, false, error), qPrintable(error));
        QVERIFY(QImage(charts).width() > 400);
    }

    void aMissingFolderIsAWarningNotACrash()
    {
        MainWindow window;
        window.openResults(QStringLiteral("/nonexistent/experiment"));
        QVERIFY(waitIdle(window));
        QVERIFY(window.warningsView()->topLevelItemCount() >= 1);
        QVERIFY(window.warningsView()->topLevelItem(0)->text(2).contains(
            QLatin1String("results.sqlite")));
    }

    // The paragraph above the pair says where the runs part and why, and follows the pair shown.
    void thePairSaysWhereTheRunsPart()
    {
        ShownExperiment shown;
        MainWindow& window = shown.window;
        PairView* pair = window.pairView();
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("transient-llm-k3")));
        QVERIFY2(pair->explanation().startsWith(QLatin1String("Both runs match until llm_call#2.")),
            qPrintable(pair->explanation()));
        QVERIFY(pair->explanation().contains(QLatin1String("llm_unavailable")));
        QVERIFY(pair->explanation().contains(QLatin1String("Restate retried the step")));
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("crash-at-llm_call#2")));
        // The killed Writer's unfinished llm_call#2 is in its trace.log: killed inside it.
        QVERIFY2(pair->explanation().contains(QLatin1String("Writer was killed inside llm_call#2")),
            qPrintable(pair->explanation()));
        QVERIFY(pair->explanation().contains(QLatin1String("replayed its journal")));
        QVERIFY(openAndClick(window, shown.experiment.dir, QStringLiteral("nominal")));
        QVERIFY2(pair->explanation().contains(QLatin1String("do not differ")),
            qPrintable(pair->explanation()));
    }
};

QTEST_MAIN(TestPairView)
#include "tst_pairview.moc"
