// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "child.h"
#include "ingress.h"
#include "resultstore.h"
#include "runner.h"
#include "setuptime.h"

#include "engine/restate/restateserver.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>

#include <atomic>
#include <memory>

namespace tt::engine {

// The stand-in's log for one run id: what it was asked, answered, and answered twice.
struct LlmCounts
{
    int requests = 0;
    int answered = 0;
    int promptTokens = 0;
    int completionTokens = 0;
    int repeated = 0; // answered requests whose body (its hash) was answered before
    int repeatedTokens = 0; // their prompt and completion tokens
};
LlmCounts llmCounts(const QString& logPath, const QString& runId);

// The research notes' file names, as the Writer is given them.
QStringList noteFiles();

// One run to make: its cell, its number, its folder and its id (which the stand-in counts by).
struct RunPlan
{
    const Scenario& scenario;
    QString variant;
    int index = 1;
    QString dir;
    QString runId;
};

struct RunSession;

// The restate-crash scenario: restate-server SIGKILLed once the durable run starts the step the
// scenario names (seen in the endpoint's progress lines), then started again on its data folder
// after the engine's restart delay (restartloop.cpp).
class RestateOutage
{
public:
    RestateOutage(RunSession& session, const RunPlan& plan, const QString& invocationId);
    // Called while the run is awaited: kills and restarts the server when its time comes; false
    // with `error` when the server does not come back. Sets record.restateOutageMs.
    bool watch(const QElapsedTimer& clock, RunRecord& record, QString& error);
    double killedAtMs() const { return m_killedAtMs; }

private:
    RunSession& m_session;
    QString m_step;
    QByteArray m_invocation;
    QString m_log;
    qint64 m_offset = 0;
    double m_killedAtMs = -1;
};

// One experiment session's processes and its two kinds of run. The runner decides what runs;
// this knows how: the stand-in per scenario, the durable endpoint, a baseline process, and what
// each run measured.
struct RunSession
{
    ExperimentOptions options;
    Catalog catalog;
    std::unique_ptr<RestateServer> restate;
    Child llm;
    Child endpoint;
    int llmPort = 0;
    int endpointPort = 0;
    QString llmLog;
    QString session; // tells this process's run ids from an interrupted one's
    QString logDir;
    QString lane; // "" alone; "-2"... in a parallel experiment, in its processes' log names
    SetupParts setup; // timed as this session sets up; stored once the first durable run succeeds
    QStringList invocations; // this session's durable runs: the journals saved are theirs only
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(); }
    // The Restate server the durable runs go to: ours, or the team's (DGX Spark mode).
    bool hasRestate() const { return restate || options.external; }
    IngressPatience ingressPatience() const
    {
        return { catalog.ingressPatienceMs, catalog.ingressRetryInitialMs,
            catalog.ingressRetryMaxMs };
    }
    QString adminUrl() const;
    QString ingressUrl() const;
    QByteArray queryAdmin(const QString& sql, int& status, int timeoutMs) const;
    QString bin(const QString& name) const;
    // DIR/logs/<process><lane>: where a process this session starts appends its output.
    QString logBase(const QString& process) const;
    bool startLlm(const Scenario& scenario, QString& error);
    // Starts (or restarts) our durable endpoint and registers it; a warm-up invocation follows
    // unless a run is waiting on it (a restart after a crash).
    bool startEndpoint(const QString& crashAt, QString& error, bool warmUp = true);
    void saveJournals(QString& warning);
    QString prepareRun(const Scenario& scenario, const QString& variant, int index, QString& error);
    // Each times the run on the engine's clock (RunRecord::wallMs).
    RunRecord runBaseline(const RunPlan& plan);
    // The same baseline relaunched from scratch by a supervisor as a job queue would, with
    // Restate's retry policy (restartloop.cpp); the crash point fires once per run.
    RunRecord runBaselineRestart(const RunPlan& plan);
    // The team's baseline command line (externalruns.cpp).
    // A command that cannot start is an experiment error (`error`), not a failed run.
    RunRecord runExternalBaseline(const RunPlan& plan, QString& error);
    // Without its journal's counts: countJournal() adds them (the lane does it off the run's
    // path, while its next run goes).
    RunRecord runDurable(const RunPlan& plan, QString& error);
    // The durable run's journal entries, durable steps and Restate retries (one admin query),
    // and the client retries that leaves. Touches nothing but `record`.
    void countJournal(RunRecord& record) const;

private:
    QStringList clientOptions() const;
    // The research notes of a scenario's run number, shared by the variants.
    QString notesFolder(const Scenario& scenario, int index) const;
    QJsonObject writerInput(const RunPlan& plan) const;
    void fillLlm(RunRecord& record, const QString& runId);
    void writeBaselineInput(const RunPlan& plan) const;
    // One baseline process to its end (outcome, crash), within the run's time on `clock`; a
    // relaunched one adds to the trace files of the attempts before it (appendTraces).
    RunRecord runBaselineProcess(const RunPlan& plan, const QString& crashAt,
        const QElapsedTimer& clock, bool appendTraces = false);
    // Waits for a Writer process; kills it on cancel or past limitMs (then false).
    bool waitForWriter(QProcess& process, const QElapsedTimer& clock, qint64 limitMs) const;
    Placeholders placeholders(const RunPlan& plan) const;
    // restate-down-at-start: the client submits while the server, killed `down` ago, is started
    // again on its data folder once downMs have passed (restartloop.cpp). Sets the outage.
    IngressSubmission submitWhileRestateDown(const QString& url, const QByteArray& body,
        const QList<QPair<QByteArray, QByteArray>>& headers, const QElapsedTimer& clock,
        const QElapsedTimer& down, int downMs, RunRecord& record, QString& error);
    // Waits for a durable invocation's result through the ingress (attach); restarts a crashed
    // endpoint meanwhile. Sets the state row, and the engine's clock when the result is known.
    QJsonObject awaitInvocation(const RunPlan& plan, const QString& id, const QElapsedTimer& clock,
        qint64 limitMs, RunRecord& record, QString& error);
};

} // namespace tt::engine
