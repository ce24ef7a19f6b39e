// SPDX-License-Identifier: MIT
#include "gui/mainwindow.h"
#include "gui/timelineview.h"
#include "gui/tracelistmodel.h"

#include <QAbstractItemModelTester>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

using namespace tt::gui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    static QString fixture(const char* relative)
    {
        return QStringLiteral(TT_FIXTURES "/") + QLatin1String(relative);
    }

private slots:
    void importsInTheBackgroundAndShowsTheFirstTrace()
    {
        MainWindow window;
        QAbstractItemModelTester tester(
            window.traceModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &MainWindow::importsFinished);
        window.openPaths(
            { fixture("openai/writer_python.jsonl"), fixture("langsmith/writer_runs.jsonl") });
        QVERIFY(window.isImporting());
        QVERIFY(finished.wait(10000));
        QCOMPARE(window.traceModel()->rowCount(), 2);
        QCOMPARE(window.traceModel()->index(0, TraceListModel::Spans).data().toInt(), 9);
        QVERIFY(window.timeline()->trace());
        QCOMPARE(window.timeline()->trace()->spans.size(), size_t(9));
    }

    void clickingASpanShowsItsRecord()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &MainWindow::importsFinished);
        window.openPaths({ fixture("openai/writer_js_ingest.json") });
        QVERIFY(finished.wait(10000));
        TimelineView* view = window.timeline();
        // The root task span fills the first lane: click its middle.
        const QPoint inRoot(view->width() / 2, 24 + 4 + 10);
        QSignalSpy selected(view, &TimelineView::spanSelected);
        QTest::mouseClick(view, Qt::LeftButton, {}, inRoot);
        QCOMPARE(selected.count(), 1);
        const int index = selected.at(0).at(0).toInt();
        QVERIFY(index >= 0);
        QCOMPARE(
            view->trace()->spanName(view->trace()->spans[size_t(index)]), std::string_view("task"));
        auto* details = window.findChild<QPlainTextEdit*>();
        QVERIFY(details->toPlainText().contains(QLatin1String("\"trace.span\"")));
    }

    void warningsNameFileAndLine()
    {
        MainWindow window;
        QSignalSpy finished(&window, &MainWindow::importsFinished);
        window.openPaths({ fixture("bad/truncated.jsonl"), fixture("bad/garbage.bin") });
        QVERIFY(finished.wait(10000));
        auto* warnings = window.findChild<QTreeWidget*>();
        QVERIFY(warnings->topLevelItemCount() >= 2);
        bool lineFour = false;
        for (int i = 0; i < warnings->topLevelItemCount(); ++i)
            lineFour |= warnings->topLevelItem(i)->text(0) == QLatin1String("truncated.jsonl")
                && warnings->topLevelItem(i)->text(1) == QLatin1String("4");
        QVERIFY(lineFour);
        QCOMPARE(window.traceModel()->rowCount(), 1); // garbage adds nothing, the rest stays
    }

    void restateSnapshotsAndAdminUrls()
    {
        MainWindow window;
        QSignalSpy finished(&window, &MainWindow::importsFinished);
        // A saved snapshot folder (the real 1.7.12 captures), and an admin URL nobody answers:
        // its reason is a warning, the window stays responsive and keeps what it has.
        window.openPaths({ fixture("restate-1.7.12"), QStringLiteral("http://127.0.0.1:9") });
        QVERIFY(finished.wait(20000));
        QCOMPARE(window.traceModel()->rowCount(), 23);
        auto* warnings = window.findChild<QTreeWidget*>();
        bool refused = false;
        for (int i = 0; i < warnings->topLevelItemCount(); ++i)
            refused
                |= warnings->topLevelItem(i)->text(2).contains(QLatin1String("does not answer"));
        QVERIFY(refused);
    }

    void rendersToAnImage()
    {
        MainWindow window;
        window.resize(1200, 700);
        window.show();
        QSignalSpy finished(&window, &MainWindow::importsFinished);
        window.openPaths({ fixture("openai/writer_python.jsonl") });
        QVERIFY(finished.wait(10000));
        const QImage image = window.grab().toImage();
        QCOMPARE(image.size(), QSize(1200, 700));
        // The timeline paints coloured spans, not just the background.
        const QImage timeline = window.timeline()->grab().toImage();
        QSet<QRgb> colours;
        for (int x = 0; x < timeline.width(); x += 7)
            colours.insert(timeline.pixel(x, 24 + 4 + 22 * 2 + 10));
        QVERIFY(colours.size() >= 3);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
