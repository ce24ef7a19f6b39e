// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "resultstore.h"
#include "setuptime.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace tt::engine {

struct RunSession;

// One run of the matrix as the schedule hands it to a lane.
struct ScheduledRun
{
    const Scenario* scenario = nullptr;
    QString variant;
    int index = 1;
};

// What a lane tells the runner's thread, which alone writes the results store and reports.
struct LaneEvent
{
    enum class Kind
    {
        Message,
        Started,
        Finished,
        Failed
    };
    Kind kind = Kind::Message;
    QString text;
    std::optional<RunRecord> record; // Finished: the run, judged and complete
    SetupParts setup; // the lane's set-up timings so far
};

// The runs left, handed out in order (scenario by scenario) to whichever lane is free, and the
// lanes' events back to the runner. Stopping (cancel, or a lane's error) hands out nothing more
// and makes the lanes' runs in progress end as cancelled: they are not stored, so a resumed
// experiment runs them again.
class Schedule
{
public:
    // Lane k (from 0) takes its first run k * staggerMs after every lane is ready.
    Schedule(std::deque<ScheduledRun> runs, int lanes, int staggerMs = 0);

    // The next run for `lane`, nothing when none is left or the experiment stops.
    std::optional<ScheduledRun> next(int lane);
    void post(LaneEvent event);
    // The events posted since the last call, waiting up to timeoutMs for one.
    std::vector<LaneEvent> take(int timeoutMs);
    void stop()
    {
        m_stop = true;
        serverStarted();
    }
    // Lane 1 starts its restate-server alone, so the setup time's "server start" is one
    // server's, not a dozen's at once; the other lanes wait for it (or for a stop).
    void serverStarted();
    void waitForFirstServer();
    // No lane takes a run before every lane is set up: a restate-server starting takes the CPU
    // from the runs going on beside it.
    void laneReady();
    void waitForAllLanes();
    const std::atomic<bool>* stopping() const { return &m_stop; }

private:
    std::mutex m_mutex;
    std::condition_variable m_posted;
    std::deque<ScheduledRun> m_runs;
    std::vector<LaneEvent> m_events;
    std::atomic<bool> m_stop { false };
    bool m_firstServer = false;
    int m_lanesStarting = 0;
    int m_staggerMs = 0;
    std::chrono::steady_clock::time_point m_allReady;
    std::vector<bool> m_started; // by lane: has it taken a run yet
};

// One lane of a parallel experiment: its own restate-server (when the durable variant runs), its
// own durable endpoint and stand-in, so a run that kills its Writer, its endpoint or its server
// disturbs only its lane, whose runs go one after another. Runs in its own thread and stops every
// process it started before it returns (PR_SET_PDEATHSIG follows the thread that forked them).
// Lane 1 (index 0) times the set-up parts the report shows; the others' are not reported.
void runLane(RunSession& lane, Schedule& schedule, bool needsRestate, int index);

// How far apart the lanes start, at this latency scale. Runs of one scenario last the same time,
// so lanes that start together stay in step: every process start, every LLM answer and every
// journal write of a dozen runs would land in the same milliseconds and queue for the CPU, and
// each run would measure a few % slower than alone. 400 ms apart spreads twelve lanes over one
// nominal run (~4.8 s at scale 1).
int laneStaggerMs(double timeScale);

} // namespace tt::engine
