// SPDX-License-Identifier: MIT
#include "reportimages.h"

#include "browser/loaders.h"
#include "exercise/exercisescreen.h"
#include "screenshot/imageexport.h"
#include "timeline/cellview.h"
#include "timeline/pairview.h"

#include "charts/resultcharts.h"
#include "engine/exercise/series.h"
#include "engine/experiment/celltraces.h"
#include "engine/experiment/runtraces.h"

#include <QApplication>
#include <QDir>
#include <QSemaphore>
#include <QThread>

#include <functional>
#include <memory>

#include <set>

namespace tt::gui {

namespace {

// Widgets live on the GUI thread: paint there, and let a worker thread wait for it, unless it is
// told to give up (a worker must never block a GUI thread that is itself waiting for it).
bool onGuiThread(const std::function<void()>& work, const std::atomic<bool>* abandon)
{
    if (QThread::currentThread() == qApp->thread()) {
        work();
        return true;
    }
    // 0 waiting, 1 running, 2 given up: the work refers to the caller's stack, so it either runs
    // while the caller waits, or never.
    auto state = std::make_shared<std::atomic<int>>(0);
    auto done = std::make_shared<QSemaphore>();
    auto task = std::make_shared<std::function<void()>>(work);
    QMetaObject::invokeMethod(
        qApp,
        [state, done, task]() {
            int waiting = 0;
            if (state->compare_exchange_strong(waiting, 1))
                (*task)();
            done->release();
        },
        Qt::QueuedConnection);
    while (!done->tryAcquire(1, 100)) {
        if (abandon && *abandon) {
            int waiting = 0;
            if (state->compare_exchange_strong(waiting, 2))
                return false;
            done->acquire(); // already running on the GUI thread, which is not waiting for us
            return true;
        }
    }
    return true;
}

const engine::RunRecord* findRun(
    const engine::ExperimentResults& results, const QString& scenario, const QString& variant)
{
    const engine::RunRecord* best = nullptr;
    for (const auto& run : results.runs)
        if (run.scenario == scenario && run.variant == variant
            && (!best || run.runIndex < best->runIndex))
            best = &run;
    return best;
}

} // namespace

std::vector<ReportPair> reportPairs(const engine::ExperimentResults& results)
{
    std::set<QString> ids;
    for (const auto& run : results.runs)
        ids.insert(run.scenario);
    auto pick = [&](const QStringList& preferred, const QString& prefix) -> QString {
        for (const QString& id : preferred)
            if (ids.count(id))
                return id;
        for (auto it = ids.rbegin(); it != ids.rend(); ++it)
            if (it->startsWith(prefix))
                return *it;
        return {};
    };
    std::vector<ReportPair> pairs;
    if (ids.count(QStringLiteral("nominal")))
        pairs.push_back({ QStringLiteral("nominal"),
            QStringLiteral("Nominal run: the same four steps on both sides. The durable side adds "
                           "Restate's journal and lifecycle lanes; the gutter shows each step's "
                           "time difference.") });
    const QString crash
        = pick({ QStringLiteral("crash-at-llm_call#2") }, QStringLiteral("crash-at"));
    if (!crash.isEmpty())
        pairs.push_back({ crash,
            QStringLiteral("Crash (%1): the baseline's run ends where the process was killed; "
                           "Restate restarts the endpoint, replays the finished steps from its "
                           "journal and completes the run.")
                .arg(crash) });
    if (!crash.isEmpty()) {
        if (findRun(results, crash, QStringLiteral("baseline-restart")))
            pairs.push_back({ crash,
                QStringLiteral("Restart loop vs Restate (%1): the loop relaunches the baseline "
                               "from scratch (a second attempt lane) and pays again for the LLM "
                               "calls the first attempt was answered; Restate replays them from "
                               "its journal.")
                    .arg(crash),
                QStringLiteral("baseline-restart"), QStringLiteral("restate") });
    }
    const QString transient
        = pick({ QStringLiteral("transient-llm-k3") }, QStringLiteral("transient-llm"));
    if (!transient.isEmpty())
        pairs.push_back({ transient,
            QStringLiteral("Transient LLM errors (%1): the baseline's client retries run out and "
                           "the run fails; Restate retries the step durably (failed attempts in "
                           "the journal lane) and completes.")
                .arg(transient) });
    if (ids.count(QStringLiteral("restate-crash")))
        pairs.push_back({ QStringLiteral("restate-crash"),
            QStringLiteral("restate-crash: restate-server itself is killed in the durable run's "
                           "second LLM call and started again on its data folder (the hatched "
                           "band on the Restate lanes); the run completes. The baseline does not "
                           "use Restate and runs as nominal.") });
    if (ids.count(QStringLiteral("restate-down-at-start")))
        pairs.push_back({ QStringLiteral("restate-down-at-start"),
            QStringLiteral("restate-down-at-start: restate-server is down when the durable run is "
                           "submitted (the hatched band); the ingress client is refused, tries "
                           "again, and the run starts once the server is back.") });
    return pairs;
}

std::vector<engine::ReportImage> renderReportImages(const engine::ExperimentResults& results,
    const QString& outDir, QString& error, const std::atomic<bool>* abandon)
{
    std::vector<engine::ReportImage> images;
    QStringList problems;
    onGuiThread(
        [&]() {
            QString chartError;
            for (const QString& chart :
                charts::renderResultCharts(results.summary, results.runs, outDir, chartError))
                images.push_back({ chart, {}, {} });
            if (!chartError.isEmpty())
                problems << chartError;
        },
        abandon);
    const auto gaveUp = [abandon]() { return abandon && *abandon; };
    if (gaveUp())
        return images;
    const auto journals = engine::importExperimentJournals(results.dir);
    const auto llmLogs = engine::readLlmLogs(results.dir);
    QDir(outDir).mkpath(QStringLiteral("images"));
    for (const ReportPair& pair : reportPairs(results)) {
        if (gaveUp())
            break;
        const auto* leftRun = findRun(results, pair.scenario, pair.left);
        const auto* rightRun = findRun(results, pair.scenario, pair.right);
        if (!leftRun || !rightRun)
            continue;
        const auto left = paneOfRun(results.dir, *leftRun, journals, &llmLogs);
        const auto right = paneOfRun(results.dir, *rightRun, journals, &llmLogs);
        // '#' would start a fragment in the report's links. The plan's pair is pair-ID.png.
        const QString relative
            = QStringLiteral("images/pair-%1%2.png")
                  .arg(QString(pair.scenario).replace(QLatin1Char('#'), QLatin1Char('_')),
                      pair.left == QLatin1String("baseline") ? QString()
                                                             : QLatin1Char('-') + pair.left);
        onGuiThread(
            [&]() {
                PairView view;
                view.setAttribute(Qt::WA_DontShowOnScreen);
                view.resize(1400, 600);
                view.show();
                view.setRun(0, left);
                view.setRun(1, right);
                view.resize(1400, view.sizeHint().height());
                view.fit();
                view.controller()->selectRow(view.firstDifference());
                QString shotError;
                if (saveWidgetImage(
                        &view, QDir(outDir).filePath(relative), 2.0, shotError, view.contentRect()))
                    images.push_back({ relative, pair.caption, view.explanation() });
                else
                    problems << shotError;
            },
            abandon);
    }
    // The cells whose runs spread the most: is the pair above typical?
    for (const QString& scenario : engine::widestCells(results.runs, 2)) {
        engine::CellSpread spread = engine::cellSpread(results.runs, scenario);
        if (gaveUp() || spread.runs.size() < 4) // a pair alone says nothing about spread
            break;
        engine::readCellTraces(results.dir, spread, journals, llmLogs);
        const QString relative
            = QStringLiteral("images/cell-%1.png")
                  .arg(QString(scenario).replace(QLatin1Char('#'), QLatin1Char('_')));
        onGuiThread(
            [&]() {
                CellView view;
                view.setAttribute(Qt::WA_DontShowOnScreen);
                view.setCell(scenario, std::move(spread));
                view.resize(1400, view.sizeHint().height());
                view.show();
                QString shotError;
                if (saveWidgetImage(&view, QDir(outDir).filePath(relative), 2.0, shotError))
                    images.push_back({ relative,
                        QStringLiteral("Every run of %1, one per row, aligned by step: each "
                                       "step a column as wide as its slowest run, every bar its "
                                       "real length (failed attempts in red inside it); each "
                                       "variant's median run shaded, runs beyond 1.5 x IQR of "
                                       "wall time flagged with the reason their traces and the "
                                       "stand-in's log give.")
                            .arg(scenario),
                        {} });
                else
                    problems << shotError;
            },
            abandon);
    }
    // The debugging exercise's screen, on the series' first counted screen in Restate's view.
    QString seriesError;
    const auto series = engine::buildSeries(results, {}, seriesError);
    const auto shown = std::find_if(series.begin(), series.end(),
        [](const auto& item) { return !item.practice && item.view == engine::DebugView::Restate; });
    if (shown != series.end() && !gaveUp()) {
        const engine::RunRecord* run = nullptr;
        for (const auto& r : results.runs)
            if (r.scenario == shown->scenario && r.variant == shown->variant()
                && r.runIndex == shown->runIndex)
                run = &r;
        if (run) {
            const auto pane = ExerciseScreen::runToDiagnose(results.dir, *run, journals);
            const QString relative = QStringLiteral("images/exercise-screen.png");
            onGuiThread(
                [&]() {
                    ExerciseScreen screen(results.dir, nullptr, false);
                    screen.setAttribute(Qt::WA_DontShowOnScreen);
                    screen.resize(1400, 760);
                    screen.show();
                    screen.showPreview(series, int(shown - series.begin()), pane);
                    screen.selectStep(shown->truthStep);
                    QString shotError;
                    if (saveWidgetImage(&screen, QDir(outDir).filePath(relative), 2.0, shotError))
                        images.push_back({ relative,
                            QStringLiteral("The debugging exercise (screen %1 of %2, Restate's "
                                           "view): one recorded fault run, its scenario hidden "
                                           "everywhere; the person has clicked the failing step "
                                           "and picks the fault kind; the clock stops on Submit.")
                                .arg(shown->position + 1)
                                .arg(series.size()),
                            {} });
                    else
                        problems << shotError;
                },
                abandon);
        }
    }
    error = problems.join(QStringLiteral("; "));
    return images;
}

} // namespace tt::gui
