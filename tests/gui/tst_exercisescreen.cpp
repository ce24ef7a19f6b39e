// SPDX-License-Identifier: MIT
// A full timed debugging exercise series driven through the screen with the mouse and the
// keyboard, on the recorded experiment: answers, timing, hidden scenario names, the store.
#include "guifixture.h"

#include "gui/browser/browsermodel.h"
#include "gui/exercise/exercisescreen.h"
#include "gui/inspector/inspector.h"
#include "gui/inspector/jsontreemodel.h"
#include "gui/results/resultspage.h"
#include "gui/timeline/timelinepane.h"

#include "engine/experiment/resultstore.h"
#include "engine/report/resultsreport.h"

#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

#include <set>

using namespace tt::gui;
using tt::gui::testing::ExperimentCopy;

namespace {

// Every string the inspector shows, recursively.
QStringList inspectorText(Inspector* inspector)
{
    QStringList out;
    JsonTreeModel* model = inspector->model();
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int row = 0; row < model->rowCount(parent); ++row) {
            for (int column = 0; column < model->columnCount(parent); ++column)
                out << model->index(row, column, parent).data(Qt::ToolTipRole).toString()
                    << model->index(row, column, parent).data().toString();
            walk(model->index(row, 0, parent));
        }
    };
    walk({});
    return out;
}

// Where the step with this label is drawn widest in the pane.
QPoint whereIsStep(TimelinePane* pane, const QString& label)
{
    const auto run = pane->run();
    QRectF best;
    for (size_t t = 0; t < run->run.tracks().size(); ++t) {
        const auto& trace = *run->run.tracks()[t].trace;
        for (size_t s = 0; s < trace.spans.size(); ++s) {
            if (!tt::timeline::isStepKind(trace.spanKind(trace.spans[s])))
                continue;
            if (QString::fromStdString(run->run.stepLabelOf(int(t), int32_t(s))) != label)
                continue;
            const QRectF box = pane->spanRect(int(t), int(s));
            if (box.width() > best.width() && box.top() < pane->height())
                best = box;
        }
    }
    return best.isEmpty() ? QPoint() : best.center().toPoint();
}

// Clicks a button of the next message box that asks (it runs modal: the click is queued).
void answerNextQuestion(QObject* context, const QString& button)
{
    QTimer::singleShot(0, context, [button]() {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        for (QAbstractButton* b : box->buttons())
            if (b->text() == button)
                b->click();
    });
}

} // namespace

class TestExerciseScreen : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aFullSeriesIsTimedAndStored()
    {
        ExperimentCopy experiment;
        ExerciseScreen screen(experiment.dir);
        screen.resize(1400, 820);
        screen.show();
        QVERIFY(QTest::qWaitForWindowExposed(&screen));
        QTRY_VERIFY_WITH_TIMEOUT(screen.startButton()->isEnabled(), 10000);
        screen.setPerson(QStringLiteral("t1"));
        tt::engine::SeriesOptions options;
        options.seed = 3;
        screen.setSeriesOptions(options);
        QSignalSpy shown(&screen, &ExerciseScreen::itemShown);
        QSignalSpy stored(&screen, &ExerciseScreen::answerStored);
        QSignalSpy finished(&screen, &ExerciseScreen::seriesFinished);
        QTest::mouseClick(screen.startButton(), Qt::LeftButton);
        const auto series = screen.series();
        QCOMPARE(series.size(), size_t(4)); // 2 scenarios x 2 views (no spare one for a warm-up)
        const int wrongOne = 2; // answered with the wrong kind on purpose
        for (const auto& item : series) {
            QTRY_COMPARE_WITH_TIMEOUT(shown.count(), item.position + 1, 10000);
            QVERIFY(!screen.submitButton()->isEnabled());
            // The failing step, clicked on the timeline.
            const QPoint at = whereIsStep(screen.pane(), item.truthStep);
            QVERIFY2(!at.isNull(), qPrintable(item.scenario + QLatin1Char(' ') + item.truthStep));
            QTest::mouseClick(screen.pane(), Qt::LeftButton, {}, at);
            QCOMPARE(screen.chosenStep(), item.truthStep);
            // Nothing names the scenario, not even the inspector.
            for (const QString& text : inspectorText(screen.findChild<Inspector*>()))
                QVERIFY2(!text.contains(item.scenario, Qt::CaseInsensitive), qPrintable(text));
            // The fault kind, with the keyboard.
            QComboBox* kinds = screen.faultBox();
            const QString kind = item.position == wrongOne
                ? (item.truthKind == QLatin1String("crash") ? QStringLiteral("tool-failure")
                                                            : QStringLiteral("crash"))
                : item.truthKind;
            const int target = kinds->findData(kind);
            QVERIFY(target > 0);
            kinds->setFocus();
            while (kinds->currentIndex() < target)
                QTest::keyClick(kinds, Qt::Key_Down);
            QVERIFY(screen.submitButton()->isEnabled());
            if (item.position == 1)
                if (const QString shots = qEnvironmentVariable("TT_GUI_SHOTS"); !shots.isEmpty())
                    screen.grab().save(shots + QStringLiteral("/exercise-screen.png"));
            QTest::qWait(20);
            QTest::mouseClick(screen.submitButton(), Qt::LeftButton);
        }
        QVERIFY(finished.wait(10000) || finished.count() == 1);
        QCOMPARE(stored.count(), 4);
        QVERIFY(screen.summaryText().contains(QLatin1String("Series done")));

        tt::engine::ResultStore store;
        QString error;
        QVERIFY(store.open(experiment.dir, error));
        const auto answers = store.exercises();
        QCOMPARE(answers.size(), size_t(4));
        for (const auto& answer : answers) {
            QCOMPARE(answer.series, screen.seriesId());
            QCOMPARE(answer.person, QStringLiteral("t1"));
            QVERIFY(!answer.practice);
            QVERIFY(answer.seconds > 0.01);
            QCOMPARE(answer.answerStep, answer.truthStep);
            QCOMPARE(answer.correct, answer.position != wrongOne);
            QCOMPARE(answer.variant,
                answer.view == QLatin1String("today") ? QStringLiteral("baseline")
                                                      : QStringLiteral("restate"));
        }
        // TT_GUI_SHOTS=DIR keeps the report this series gives (its "Debugging exercises").
        if (const QString shots = qEnvironmentVariable("TT_GUI_SHOTS"); !shots.isEmpty()) {
            tt::engine::ResultsReportRequest request;
            request.dir = experiment.dir;
            request.adrDir = experiment.dir + QStringLiteral("/adr");
            QVERIFY(tt::engine::writeResultsReport(request, error));
            QFile::remove(shots + QStringLiteral("/exercise-report.md"));
            QFile::copy(experiment.dir + QStringLiteral("/RESTATE_POC_RESULTS.md"),
                shots + QStringLiteral("/exercise-report.md"));
        }
    }

    // The exercise can be scored on every fault scenario in both views: clicking the true failing
    // step (a crash's unfinished one included) and naming the true kind is right everywhere.
    void everyFaultScenarioIsRightWhenTheTrueStepIsClicked()
    {
        ExperimentCopy experiment("experiment-faults");
        ExerciseScreen screen(experiment.dir);
        screen.resize(1400, 820);
        screen.show();
        QVERIFY(QTest::qWaitForWindowExposed(&screen));
        QTRY_VERIFY_WITH_TIMEOUT(screen.startButton()->isEnabled(), 10000);
        tt::engine::SeriesOptions options;
        options.practice = false;
        screen.setSeriesOptions(options);
        QSignalSpy shown(&screen, &ExerciseScreen::itemShown);
        QSignalSpy finished(&screen, &ExerciseScreen::seriesFinished);
        QVERIFY(screen.start());
        const auto series = screen.series();
        QCOMPARE(series.size(), size_t(2 * 14)); // every fault scenario of the catalog, twice
        std::set<std::pair<QString, tt::engine::DebugView>> screens;
        for (const auto& item : series) {
            QTRY_COMPARE_WITH_TIMEOUT(shown.count(), item.position + 1, 10000);
            const QString what = item.scenario + QLatin1Char(' ') + tt::engine::toString(item.view)
                + QLatin1Char(' ') + item.truthStep;
            const QPoint at = whereIsStep(screen.pane(), item.truthStep);
            QVERIFY2(!at.isNull(), qPrintable(what));
            QTest::mouseClick(screen.pane(), Qt::LeftButton, {}, at);
            QVERIFY2(screen.chosenStep() == item.truthStep,
                qPrintable(what + QStringLiteral(": chose ") + screen.chosenStep()));
            screen.faultBox()->setCurrentIndex(screen.faultBox()->findData(item.truthKind));
            // TT_GUI_SHOTS=DIR keeps today's view of a crash, answered.
            if (const QString shots = qEnvironmentVariable("TT_GUI_SHOTS"); !shots.isEmpty()
                && item.scenario == QLatin1String("crash-at-llm_call#2")
                && item.view == tt::engine::DebugView::Today)
                screen.grab().save(shots + QStringLiteral("/exercise-crash-today.png"));
            // Enter submits.
            QTest::keyClick(screen.pane(), Qt::Key_Return);
            screens.insert({ item.scenario, item.view });
        }
        QVERIFY(finished.wait(10000) || finished.count() == 1);
        QCOMPARE(screens.size(), series.size());
        tt::engine::ResultStore store;
        QString error;
        QVERIFY(store.open(experiment.dir, error));
        const auto answers = store.exercises();
        QCOMPARE(answers.size(), series.size());
        for (const auto& answer : answers)
            QVERIFY2(answer.correct,
                qPrintable(answer.scenario + QLatin1Char(' ') + answer.view + QStringLiteral(": ")
                    + answer.answerStep + QLatin1Char('/') + answer.answerKind));
    }

    // Escape in a series asks first: Resume goes on with the same screen, Leave closes. The
    // number of scenarios cannot exceed what was recorded.
    void escapeAsksBeforeLeavingASeries()
    {
        ExperimentCopy experiment;
        ExerciseScreen screen(experiment.dir);
        screen.show();
        QVERIFY(QTest::qWaitForWindowExposed(&screen));
        QTRY_VERIFY_WITH_TIMEOUT(screen.startButton()->isEnabled(), 10000);
        QSpinBox* scenarios = nullptr;
        for (QSpinBox* box : screen.findChildren<QSpinBox*>())
            if (!box->specialValueText().isEmpty())
                scenarios = box;
        QVERIFY(scenarios);
        QCOMPARE(scenarios->maximum(), 2); // transient-llm-k3 and crash-at-llm_call#2
        QSignalSpy shown(&screen, &ExerciseScreen::itemShown);
        QVERIFY(screen.start());
        QVERIFY(shown.wait(10000));
        answerNextQuestion(this, QStringLiteral("&Resume"));
        QTest::keyClick(&screen, Qt::Key_Escape);
        QVERIFY(screen.isVisible());
        QCOMPARE(screen.current(), 0);
        answerNextQuestion(this, QStringLiteral("&Leave"));
        QTest::keyClick(&screen, Qt::Key_Escape);
        QVERIFY(!screen.isVisible());
        QCOMPARE(screen.result(), int(QDialog::Rejected));
    }

    // The window's Results cards follow the answers without reopening the folder, also when a
    // series is left before its end.
    void theResultsCardsFollowTheAnswers()
    {
        ExperimentCopy experiment;
        MainWindow window;
        window.show();
        window.openResults(experiment.dir);
        QVERIFY(tt::gui::testing::waitIdle(window));
        const auto debuggingCard = [&]() {
            QStringList texts;
            for (QFrame* card : window.resultsPage()->findChildren<QFrame*>())
                if (card->accessibleName() == QLatin1String("debugging time"))
                    for (QLabel* label : card->findChildren<QLabel*>())
                        texts << label->text();
            return texts.join(QLatin1Char(' '));
        };
        QVERIFY2(debuggingCard().contains(QLatin1String("no debugging exercises")),
            qPrintable(debuggingCard()));
        ExerciseScreen* screen = window.openExerciseScreen();
        QVERIFY(screen);
        QTRY_VERIFY_WITH_TIMEOUT(screen->startButton()->isEnabled(), 10000);
        tt::engine::SeriesOptions options;
        options.practice = false;
        screen->setSeriesOptions(options);
        QSignalSpy shown(screen, &ExerciseScreen::itemShown);
        QVERIFY(screen->start());
        // Two answers, then the series is left (Escape, Leave): what was stored counts.
        for (const auto& item : screen->series()) {
            if (item.position == 2)
                break;
            QTRY_COMPARE_WITH_TIMEOUT(shown.count(), item.position + 1, 10000);
            QVERIFY(screen->selectStep(item.truthStep));
            screen->faultBox()->setCurrentIndex(screen->faultBox()->findData(item.truthKind));
            QTest::mouseClick(screen->submitButton(), Qt::LeftButton);
        }
        answerNextQuestion(this, QStringLiteral("&Leave"));
        QTest::keyClick(screen, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(
            !debuggingCard().contains(QLatin1String("no debugging exercises")), 10000);
        QVERIFY(tt::gui::testing::waitIdle(window));
    }

    void aStepIsNeededBeforeSubmitting()
    {
        ExperimentCopy experiment;
        ExerciseScreen screen(experiment.dir);
        screen.show();
        QTRY_VERIFY_WITH_TIMEOUT(screen.startButton()->isEnabled(), 10000);
        QSignalSpy shown(&screen, &ExerciseScreen::itemShown);
        QVERIFY(screen.start());
        QVERIFY(shown.wait(10000));
        screen.faultBox()->setCurrentIndex(1);
        QVERIFY(!screen.submitButton()->isEnabled()); // a kind alone is not an answer
    }

    void anExperimentWithoutFaultRunsSaysSo()
    {
        QTemporaryDir temp;
        {
            tt::engine::ResultStore store;
            QString error;
            QVERIFY(store.open(temp.path(), error));
        }
        // (The reason may arrive before anyone could connect to `failed`: read the page.)
        ExerciseScreen screen(temp.path());
        QTRY_VERIFY_WITH_TIMEOUT(screen.setupMessage().contains(QLatin1String("both")), 10000);
        QVERIFY(!screen.startButton()->isEnabled());
        QVERIFY(!screen.start());
    }
};

QTEST_MAIN(TestExerciseScreen)
#include "tst_exercisescreen.moc"
