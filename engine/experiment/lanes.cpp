// SPDX-License-Identifier: MIT
#include "lanes.h"

#include "resultcheck.h"
#include "session.h"

#include "engine/restate/restateserver.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QThread>

#include <chrono>
#include <memory>

namespace tt::engine {

Schedule::Schedule(std::deque<ScheduledRun> runs, int lanes, int staggerMs)
    : m_runs(std::move(runs))
    , m_lanesStarting(lanes)
    , m_staggerMs(staggerMs)
    , m_allReady(std::chrono::steady_clock::now())
    , m_started(size_t(std::max(lanes, 1)), false)
{ }

std::optional<ScheduledRun> Schedule::next(int lane)
{
    std::unique_lock lock(m_mutex);
    if (lane >= 0 && size_t(lane) < m_started.size() && !m_started[size_t(lane)]) {
        m_started[size_t(lane)] = true;
        m_posted.wait_until(lock, m_allReady + std::chrono::milliseconds(lane * m_staggerMs),
            [this] { return m_stop.load(); });
    }
    if (m_stop || m_runs.empty())
        return std::nullopt;
    ScheduledRun run = m_runs.front();
    m_runs.pop_front();
    return run;
}

void Schedule::post(LaneEvent event)
{
    {
        std::lock_guard lock(m_mutex);
        m_events.push_back(std::move(event));
    }
    m_posted.notify_all(); // lanes waiting for their turn wait on it too
}

std::vector<LaneEvent> Schedule::take(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    m_posted.wait_for(
        lock, std::chrono::milliseconds(timeoutMs), [this] { return !m_events.empty(); });
    return std::exchange(m_events, {});
}

void Schedule::serverStarted()
{
    {
        std::lock_guard lock(m_mutex);
        m_firstServer = true;
    }
    m_posted.notify_all();
}

void Schedule::waitForFirstServer()
{
    std::unique_lock lock(m_mutex);
    m_posted.wait(lock, [this] { return m_firstServer || m_stop; });
}

void Schedule::laneReady()
{
    {
        std::lock_guard lock(m_mutex);
        if (--m_lanesStarting == 0)
            m_allReady = std::chrono::steady_clock::now();
    }
    m_posted.notify_all();
}

void Schedule::waitForAllLanes()
{
    std::unique_lock lock(m_mutex);
    m_posted.wait(lock, [this] { return m_lanesStarting <= 0 || m_stop; });
}

int laneStaggerMs(double timeScale)
{
    return int(400 * timeScale);
}

namespace {

// The set-up parts a lane reports: its server's start only from lane 1, which starts alone (the
// others start theirs together: not what a team's set-up costs); the first registration from
// whichever lane ran a durable run first (lane 1 may take only baselines).
SetupParts reported(const RunSession& impl, bool first)
{
    SetupParts parts = impl.setup;
    if (!first)
        parts.serverStartMs = -1;
    return parts;
}

// The last durable run's journal counts (one admin query, ~10 ms), read in a thread of their
// own while the lane's next run goes; its record is posted once they are in.
class Counting
{
public:
    ~Counting() { wait(); }
    void start(RunSession& impl, Schedule& schedule, RunRecord record, const SetupParts& setup)
    {
        wait();
        m_thread.reset(
            QThread::create([&impl, &schedule, record = std::move(record), setup]() mutable {
                impl.countJournal(record);
                schedule.post({ LaneEvent::Kind::Finished, {}, std::move(record), setup });
            }));
        m_thread->start();
    }
    void wait()
    {
        if (m_thread)
            m_thread->wait();
        m_thread.reset();
    }

private:
    std::unique_ptr<QThread> m_thread;
};

// The lane's runs, one after another; false with `error` when the experiment cannot go on.
bool runScheduled(RunSession& impl, Schedule& schedule, int lane, QString& error)
{
    const bool first = lane == 0;
    const Scenario* current = nullptr;
    Counting counting;
    while (const auto next = schedule.next(lane)) {
        const Scenario& scenario = *next->scenario;
        const QString& variant = next->variant;
        const int n = next->index;
        if (!scenario.restateCrashAt.isEmpty())
            counting.wait(); // this run kills the server the counts come from
        if (current != &scenario) {
            if (!impl.startLlm(scenario, error))
                return false;
            impl.endpoint.stop(); // its LLM URL changes with the stand-in
            current = &scenario;
        }
        const QString runId
            = QStringLiteral("%1/%2/%3/%4").arg(scenario.id, variant).arg(n).arg(impl.session);
        QElapsedTimer aroundRun;
        aroundRun.start();
        const QString dir = impl.prepareRun(scenario, variant, n, error);
        if (dir.isEmpty())
            return false;
        schedule.post({ LaneEvent::Kind::Started,
            QStringLiteral("%1 %2 #%3").arg(scenario.id, variant).arg(n), {},
            reported(impl, first) });
        const RunPlan plan { scenario, variant, n, dir, runId };
        RunRecord record = variant == QLatin1String("restate") ? impl.runDurable(plan, error)
            : variant == QLatin1String("baseline-restart")     ? impl.runBaselineRestart(plan)
            : impl.options.external ? impl.runExternalBaseline(plan, error)
                                    : impl.runBaseline(plan);
        if (!error.isEmpty())
            return false;
        if (record.outcome == QLatin1String("cancelled"))
            return true; // not stored: a resumed experiment runs it again
        record.scenario = scenario.id;
        record.variant = variant;
        record.runIndex = n;
        record.seed = impl.options.seed;
        record.runDir = dir;
        judgeResult(record, dir + QStringLiteral("/out"), impl.catalog.reportHeadings);
        record.writerMs = writerSpanMs(dir);
        record.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        // Everything but the run itself: folders, process start, collection.
        record.engineMs = std::max(0.0, double(aroundRun.nsecsElapsed()) / 1e6 - record.wallMs);
        if (record.invocationId.isEmpty())
            schedule.post(
                { LaneEvent::Kind::Finished, {}, std::move(record), reported(impl, first) });
        else
            counting.start(impl, schedule, std::move(record), reported(impl, first));
    }
    return true;
}

} // namespace

void runLane(RunSession& impl, Schedule& schedule, bool needsRestate, int index)
{
    const bool first = index == 0;
    QString error;
    bool ok = true;
    if (!impl.options.external && needsRestate) {
        if (!first)
            schedule.waitForFirstServer();
        QElapsedTimer clock;
        clock.start();
        // Two lanes starting at once may pick the same free port (each is free until its server
        // binds it): a second try gets other ports.
        for (int attempt = 0; attempt < 2; ++attempt) {
            RestateServer::Options restateOptions;
            restateOptions.keepLogAs
                = QDir(impl.logDir).filePath(QStringLiteral("restate-%1.log").arg(impl.session));
            impl.restate = std::make_unique<RestateServer>(restateOptions);
            error.clear();
            ok = impl.restate->start(error);
            if (ok)
                break;
        }
        impl.setup.serverStartMs = double(clock.nsecsElapsed()) / 1e6;
        impl.endpointPort = freeLoopbackPort();
        if (first)
            schedule.serverStarted();
    }
    schedule.laneReady();
    schedule.waitForAllLanes();
    ok = ok && runScheduled(impl, schedule, index, error);
    impl.endpoint.stop();
    impl.llm.stop();
    if (!ok) {
        schedule.post({ LaneEvent::Kind::Failed, error, {}, reported(impl, first) });
        schedule.stop();
    } else if (impl.hasRestate() && needsRestate && !schedule.stopping()->load()) {
        QString warning;
        impl.saveJournals(warning);
        if (!impl.invocations.isEmpty())
            schedule.post({ LaneEvent::Kind::Message,
                warning.isEmpty() ? QStringLiteral("journals saved in %1/restate/%2")
                                        .arg(impl.options.outDir, impl.session)
                                  : QStringLiteral("the journals could not be saved: ") + warning,
                {}, reported(impl, first) });
    }
    impl.restate.reset(); // stopped here, in the thread that started it
}

} // namespace tt::engine
