// SPDX-License-Identifier: MIT
// The window on imported traces: the browser, the timelines, the inspector, the warnings, the
// filter and the screenshots.
#include "guifixture.h"

#include "gui/browser/browsermodel.h"
#include "gui/browser/comparedialog.h"
#include "gui/environment/envdialog.h"
#include "gui/inspector/inspector.h"
#include "gui/inspector/jsontreemodel.h"
#include "gui/timeline/alignedrowsmodel.h"
#include "gui/timeline/pairview.h"
#include "gui/timeline/timelinepane.h"

#include "gui/importjob.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QStatusBar>
#include <QTreeView>
#include <QTreeWidget>

#include <thread>

using namespace tt::gui;
using tt::gui::testing::fixture;
using tt::gui::testing::waitIdle;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Recent files and settings go to a throwaway place, not the user's.
        QStandardPaths::setTestModeEnabled(true);
    }

    void importsInTheBackgroundAndShowsTheFirstImport()
    {
        MainWindow window;
        QAbstractItemModelTester tester(
            window.browser(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths(
            { fixture("openai/writer_python.jsonl"), fixture("langsmith/writer_runs.jsonl") });
        QVERIFY(window.isBusy());
        QVERIFY(waitIdle(window));
        BrowserModel* browser = window.browser();
        QCOMPARE(browser->rowCount(browser->importsRoot()), 2);
        QCOMPARE(browser->traceCount(), 2);
        const QModelIndex first = browser->index(0, 0, browser->importsRoot());
        QCOMPARE(browser->kindOf(first), BrowserModel::NodeKind::Import);
        // The first import shows on the left, all its traces on one clock.
        const auto left = window.pairView()->run(0);
        QVERIFY(left);
        QCOMPARE(left->run.tracks().size(), size_t(1));
        QCOMPARE(left->run.tracks()[0].trace->spans.size(), size_t(9));
        QVERIFY(left->lanes.lanes.size() >= 2);
        QVERIFY(!window.pairView()->run(1));
    }

    void filesOpenedTogetherMergeATraceSplitAcrossThem()
    {
        // @openai/agents exported this slow run in three requests (tests/fixtures/sdk).
        const QStringList requests { fixture("sdk/openai-slow-run-split/01-traces-ingest.json"),
            fixture("sdk/openai-slow-run-split/02-traces-ingest.json"),
            fixture("sdk/openai-slow-run-split/03-traces-ingest.json") };
        MainWindow window;
        window.openPaths(requests);
        QVERIFY(waitIdle(window));
        BrowserModel* browser = window.browser();
        QCOMPARE(browser->traceCount(), 1);
        QCOMPARE(browser->rowCount(browser->importsRoot()), 1);
        QCOMPARE(window.warningsView()->topLevelItemCount(), 0); // every parent found
        const auto left = window.pairView()->run(0);
        QVERIFY(left);
        QCOMPARE(left->run.tracks()[0].trace->spans.size(), size_t(7));
    }

    void contextMenuSidesLineTwoImportsUp()
    {
        MainWindow window;
        window.show();
        window.openPaths(
            { fixture("openai/writer_python.jsonl"), fixture("langsmith/writer_runs.jsonl") });
        QVERIFY(waitIdle(window));
        BrowserModel* browser = window.browser();
        window.showTracesOnSide(1, browser->index(1, 0, browser->importsRoot()));
        QVERIFY(waitIdle(window));
        QVERIFY(window.pairView()->run(0));
        QVERIFY(window.pairView()->run(1));
        // Python OpenAI spans vs LangSmith runs of the same Writer run: the same three steps
        // (llm_call#1, read_multiple_files#1, llm_call#2) with the same durations.
        QCOMPARE(window.pairView()->rows().size(), size_t(3));
        for (const auto& row : window.pairView()->rows())
            QVERIFY(row.status == tt::timeline::RowStatus::Same);
        QCOMPARE(window.rowsModel()->rowCount(), int(window.pairView()->rows().size()));
    }

    // File > Compare: two sources, the first on the left, the second on the right.
    void fileCompareShowsTwoSourcesSideBySide()
    {
        MainWindow window;
        window.resize(1400, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction* compare = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            if (action->text() == QLatin1String("&Compare..."))
                compare = action;
        QVERIFY(compare);
        const QString left = fixture("openai/writer_python.jsonl");
        const QString right = fixture("langsmith/writer_runs.jsonl");
        QTimer::singleShot(0, this, [&]() {
            auto* dialog = qobject_cast<CompareDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QVERIFY(!dialog->compareButton()->isEnabled());
            dialog->setSource(0, left);
            dialog->setSource(1, right);
            QTest::mouseClick(dialog->compareButton(), Qt::LeftButton);
        });
        compare->trigger();
        QVERIFY(waitIdle(window));
        const auto shownLeft = window.pairView()->run(0);
        const auto shownRight = window.pairView()->run(1);
        QVERIFY(shownLeft && shownRight);
        QCOMPARE(shownLeft->title, QStringLiteral("writer_python.jsonl"));
        QCOMPARE(shownRight->title, QStringLiteral("writer_runs.jsonl"));
        QCOMPARE(window.pairView()->rows().size(), size_t(3));
        for (const auto& row : window.pairView()->rows())
            QVERIFY(row.status == tt::timeline::RowStatus::Same);
    }

    // Opening a file after a pair of runs shows the file alone, fitted; the browser's right click
    // loads nothing until a side is chosen.
    void anOpenedFileIsShownAloneAndFitted()
    {
        tt::gui::testing::ExperimentCopy experiment;
        MainWindow window;
        window.resize(1400, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openResults(experiment.dir);
        QVERIFY(waitIdle(window));
        QVERIFY(window.pairView()->run(1)); // a pair of runs is on screen
        window.openPaths({ fixture("openai/writer_python.jsonl") });
        QVERIFY(waitIdle(window));
        const auto shown = window.pairView()->run(0);
        QVERIFY(shown);
        QCOMPARE(shown->title, QStringLiteral("writer_python.jsonl"));
        QVERIFY(!window.pairView()->run(1));
        // The zoom fits the file: its whole duration spans most of the pane's width.
        const int64_t duration = shown->run.endNs() - shown->run.startNs();
        const double shownWidth = double(duration) / window.pairView()->controller()->nsPerPixel();
        const int area = window.pairView()->width() - TimelinePane::kLabelWidth;
        QVERIFY2(shownWidth > 0.8 * area && shownWidth <= area,
            qPrintable(QStringLiteral("%1 of %2 px").arg(shownWidth).arg(area)));
        // A right click on the experiment's first run: nothing loads, the menu offers both sides.
        QTreeView* view = window.browserView();
        view->expandAll();
        const QModelIndex run = window.browser()->findRun(
            experiment.dir, QStringLiteral("nominal"), QStringLiteral("baseline"), 1);
        const QModelIndex before = view->currentIndex();
        QTest::mouseClick(view->viewport(), Qt::RightButton, {}, view->visualRect(run).center());
        QCOMPARE(view->currentIndex(), before);
        QVERIFY(!window.isBusy());
        QCOMPARE(window.pairView()->run(0), shown);
        std::unique_ptr<QMenu> menu(window.browserMenu(run));
        QVERIFY(menu);
        // Both sides, then the run's other variant (this experiment has two).
        QCOMPARE(menu->actions().size(), 4);
        QCOMPARE(menu->actions().at(3)->text(), QStringLiteral("Compare with restate"));
        menu->actions().at(1)->trigger(); // "Show on the right"
        QVERIFY(waitIdle(window));
        QCOMPARE(window.pairView()->run(0), shown);
        QVERIFY(window.pairView()->run(1));
        QVERIFY(window.pairView()->run(1)->title.startsWith(QStringLiteral("baseline · nominal")));
    }

    void clickingASpanShowsItInTheInspector()
    {
        MainWindow window;
        QAbstractItemModelTester tester(
            window.inspector()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1400, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({ fixture("openai/writer_js_ingest.json") });
        QVERIFY(waitIdle(window));
        TimelinePane* pane = window.pairView()->pane(0);
        const auto run = pane->run();
        QVERIFY(run);
        // The first lane's first span: the root "task" span.
        const auto& lane = run->lanes.lanes.front();
        const QRectF box = pane->spanRect(lane.track, lane.spans.front());
        QVERIFY(box.width() > 10);
        QTest::mouseClick(pane, Qt::LeftButton, {}, box.center().toPoint());
        const SpanRef selected = window.pairView()->controller()->selectedSpan();
        QVERIFY(selected.isValid());
        QCOMPARE(selected.side, 0);
        QVERIFY(window.inspector()->title().startsWith(QLatin1String("task")));
        JsonTreeModel* model = window.inspector()->model();
        QCOMPARE(model->index(0, JsonTreeModel::Key).data().toString(), QStringLiteral("span"));
        bool hasRecord = false;
        for (int row = 0; row < model->rowCount(); ++row)
            hasRecord |= model->index(row, 0).data().toString() == QLatin1String("record");
        QVERIFY(hasRecord);
        // Clicking where nothing is clears the selection.
        QTest::mouseClick(pane, Qt::LeftButton, {}, QPoint(pane->width() - 20, pane->height() - 3));
        QVERIFY(!window.pairView()->controller()->selectedSpan().isValid());
    }

    void warningsNameFileAndLine()
    {
        MainWindow window;
        window.openPaths({ fixture("bad/truncated.jsonl"), fixture("bad/garbage.bin") });
        QVERIFY(waitIdle(window));
        QTreeWidget* warnings = window.warningsView();
        QVERIFY(warnings->topLevelItemCount() >= 2);
        bool lineFour = false;
        for (int i = 0; i < warnings->topLevelItemCount(); ++i)
            lineFour |= warnings->topLevelItem(i)->text(0) == QLatin1String("truncated.jsonl")
                && warnings->topLevelItem(i)->text(1) == QLatin1String("4");
        QVERIFY(lineFour);
        QCOMPARE(window.browser()->traceCount(), 1); // garbage adds nothing, the rest stays
    }

    void restateSnapshotsAndAdminUrls()
    {
        MainWindow window;
        // A saved snapshot folder (the real 1.7.12 captures), and an admin URL nobody answers:
        // its reason is a warning, the window stays responsive and keeps what it has.
        window.openPaths({ fixture("restate-1.7.12"), QStringLiteral("http://127.0.0.1:9") });
        QVERIFY(waitIdle(window, 30000));
        QCOMPARE(window.browser()->traceCount(), 23);
        QTreeWidget* warnings = window.warningsView();
        bool refused = false;
        for (int i = 0; i < warnings->topLevelItemCount(); ++i)
            refused
                |= warnings->topLevelItem(i)->text(2).contains(QLatin1String("does not answer"));
        QVERIFY(refused);
    }

    void filterDimsWhatDoesNotMatch()
    {
        MainWindow window;
        window.resize(1400, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({ fixture("openai/writer_python.jsonl") });
        QVERIFY(waitIdle(window));
        TimelinePane* pane = window.pairView()->pane(0);
        const auto run = pane->run();
        // The root span (writer_agent) and what its colour is before and after filtering on
        // "Generation", which it does not match.
        const auto& lane = run->lanes.lanes.front();
        const QPoint inRoot = pane->spanRect(lane.track, lane.spans.front()).center().toPoint();
        const QRgb before = pane->grab().toImage().pixel(inRoot);
        window.filterEdit()->setFocus();
        QTest::keyClicks(window.filterEdit(), QStringLiteral("generation"));
        QCOMPARE(window.pairView()->controller()->filter().text, QStringLiteral("generation"));
        const auto& trace = *run->run.tracks()[0].trace;
        QVERIFY(!window.pairView()->controller()->filter().matches(
            trace, trace.spans[size_t(lane.spans.front())]));
        const QRgb after = pane->grab().toImage().pixel(inRoot);
        QVERIFY2(before != after, "a span that does not match is drawn dimmed");
        // Errors only: this run has none, so every span is dimmed, and the status says so.
        QTest::mouseClick(window.errorsOnlyBox(), Qt::LeftButton);
        QVERIFY(window.pairView()->controller()->filter().errorsOnly);
        QVERIFY(
            window.statusBar()->findChild<QLabel*>()->text().startsWith(QLatin1String("0 span")));
        window.filterEdit()->clear();
        QTest::mouseClick(window.errorsOnlyBox(), Qt::LeftButton);
        QVERIFY(!window.pairView()->controller()->filter().isActive());
        QCOMPARE(pane->grab().toImage().pixel(inRoot), before);
    }

    void environmentCheckRunsOffTheGuiThread()
    {
        EnvDialog dialog;
        dialog.show();
        QSignalSpy checked(&dialog, &EnvDialog::checked);
        dialog.check();
        QVERIFY(checked.wait(60000));
        QCOMPARE(dialog.items()->topLevelItemCount(), 5);
        QCOMPARE(dialog.items()->topLevelItem(0)->text(0), QStringLiteral("Restate server"));
        QVERIFY(dialog.items()->topLevelItem(0)->text(1).contains(QLatin1String("1.7.12")));
        if (const QString shots = qEnvironmentVariable("TT_GUI_SHOTS"); !shots.isEmpty())
            dialog.grab().save(shots + QStringLiteral("/environment.png"));
    }

    void langSmithApiImportRunsInTheBackground()
    {
        // A LangSmith stand-in answering one /api/v2 page (the fixture) for the key it expects.
        httplib::Server server;
        const std::string key = "lsv2_pt_window_test_key_0123456789";
        std::string seenKey;
        server.Post("/api/v2/runs/query", [&](const httplib::Request& q, httplib::Response& r) {
            seenKey = q.get_header_value("x-api-key");
            QFile page(fixture("langsmith/runs_query_v2_page.json"));
            page.open(QIODevice::ReadOnly);
            auto body = nlohmann::json::parse(page.readAll().toStdString());
            body["next_cursor"] = nullptr;
            r.set_content(body.dump(), "application/json");
        });
        const int port = server.bind_to_any_port("127.0.0.1");
        std::thread serving([&]() { server.listen_after_bind(); });
        tt::importers::langsmith::RunQuery query;
        query.project = "5f0c1c8e-8a55-4c3e-9d52-3f1d2b6a7c01";
        auto future = importLangSmithInBackground(
            QStringLiteral("http://127.0.0.1:%1").arg(port), QString::fromStdString(key), query);
        future.waitForFinished();
        server.stop();
        serving.join();
        const ImportedTraces imported = future.result();
        QCOMPARE(seenKey, key);
        QCOMPARE(imported.sources.size(), size_t(1));
        QVERIFY(imported.spanCount() >= 6);
        QVERIFY(imported.sources[0].path.startsWith(QLatin1String("LangSmith: ")));
        QCOMPARE(imported.warningCount(), size_t(0));
    }

    void screenshotsArePngAtTwiceTheSizeOrSvg()
    {
        MainWindow window;
        window.resize(1200, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({ fixture("openai/writer_python.jsonl") });
        QVERIFY(waitIdle(window));
        QTemporaryDir temp;
        QString error;
        const QString png = temp.filePath(QStringLiteral("window.png"));
        QVERIFY2(window.saveScreenshot(ShotView::Window, png, 2.0, true, error), qPrintable(error));
        QImage image(png);
        QCOMPARE(image.size(), QSize(2400, 1400));
        const QString left = temp.filePath(QStringLiteral("left.png"));
        QVERIFY(window.saveScreenshot(ShotView::LeftPane, left, 2.0, false, error));
        const QImage pane(left);
        QCOMPARE(pane.size(), window.pairView()->pane(0)->size() * 2);
        // The timeline paints coloured spans, not just the background.
        QSet<QRgb> colours;
        const int y = int(window.pairView()->pane(0)->spanRect(0, 0).center().y() * 2);
        for (int x = 0; x < pane.width(); x += 7)
            colours.insert(pane.pixel(x, y));
        QVERIFY(colours.size() >= 3);
        const QString svg = temp.filePath(QStringLiteral("pair.svg"));
        QVERIFY(window.saveScreenshot(ShotView::Pair, svg, 2.0, false, error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("writer_agent")); // text stays text in the vector image
        // A folder that cannot be written is a clear error, not a crash.
        QVERIFY(!window.saveScreenshot(
            ShotView::Window, QStringLiteral("/proc/none/x.png"), 2.0, false, error));
        QVERIFY(error.contains(QLatin1String("/proc/none/x.png")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
