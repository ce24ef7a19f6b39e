// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "external.h"
#include "resultstore.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace tt::engine {

struct ExperimentOptions
{
    QStringList scenarios = { QStringLiteral("nominal"), QStringLiteral("transient-llm"),
        QStringLiteral("crash-at-step") };
    QStringList variants = knownVariants();
    int runs = 3; // per cell
    qint64 seed = 1;
    QString outDir = QStringLiteral("plannings");
    QString catalogPath; // empty: resources/experiments/catalog.json
    double timeScale = 1; // the stand-in's latency model (1 = gpt-oss-20b on a DGX Spark)
    // The durable endpoint's transport: "h2" (HTTP/2, a bidirectional stream per attempt, as
    // Restate's SDKs serve) or "h1" (HTTP/1.1, request-response: one request per step).
    QString transport = QStringLiteral("h2");
    int runTimeoutMs = 180000; // one run, restarts included
    int restartDelayMs = 500; // how long a crashed durable endpoint stays down
    QString binDir; // where twintrace-llm and the Writers are (empty: beside this binary)
    // Runs at once, each lane with its own restate-server, durable endpoint and stand-in (runs
    // that kill a process disturb only their lane); 0: defaultParallelism().
    int parallel = 0;
    int gpuSampleMs = 500; // GPU readings into DIR/gpu.jsonl when NVML finds one; 0: none
    // The DGX Spark mode: the team's Writers, their Restate server and the real LLM behind the
    // fault proxy (external.h). Empty: TwinTrace's own Writers on a local restate-server.
    std::shared_ptr<const ExternalConfig> external;
};

// Lanes when --parallel is not given: with the stand-in the runs mostly wait on its simulated
// latency, so many share two cores (issue 18, the full study's 480 runs on this 2-core machine:
// 6.3 min with 12 lanes, 12 min with 6, about 70 one at a time; ~300 MB of memory per lane's
// restate-server); 1 with the team's LLM.
constexpr int kDefaultParallel = 12;
int defaultParallelism(bool external);
// The lanes an experiment with these options runs (before the runs left cap it).
int parallelism(const ExperimentOptions& options);

// What the runner reports as it goes.
struct ExperimentProgress
{
    int done = 0; // runs finished (resumed ones included)
    int total = 0;
    QString message; // one line for people
    const RunRecord* finished = nullptr; // the run that just ended, if any
};

// Runs the matrix scenarios x variants x runs (DESIGN.md section 4) on real parts: the pinned
// restate-server, the LLM stand-in (one process per scenario, faults by run id), the durable
// Writer's endpoint (restarted after a crash, after a delay) and one baseline process per run.
// Every child dies with the runner (PR_SET_PDEATHSIG), on cancel, on error and on exit. Each run
// has its own folder, run id and outputs, and its row is stored as it ends; an experiment in a
// folder that already has results resumes and runs only what is missing. Blocking: run it off
// the GUI thread.
class ExperimentRunner
{
public:
    ExperimentRunner(ExperimentOptions options, Catalog catalog);
    ~ExperimentRunner();

    void setProgress(std::function<void(const ExperimentProgress&)> progress);
    void setCancel(const std::atomic<bool>* cancel);

    // False with a reason when the experiment could not run to its end (cancel included);
    // everything finished before is in the store either way.
    bool run(QString& error);

    QString storeDir() const { return m_options.outDir; }
    // True once a run began (false when the experiment was refused before any).
    bool started() const { return m_started; }

private:
    ExperimentOptions m_options;
    Catalog m_catalog;
    std::function<void(const ExperimentProgress&)> m_progress;
    const std::atomic<bool>* m_cancel = nullptr;
    bool m_started = false;
};

} // namespace tt::engine
