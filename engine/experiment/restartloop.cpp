// SPDX-License-Identifier: MIT
// Restarts: the baseline-restart variant (what a team without Restate would do, their job queue
// running the same baseline Writer again from scratch when it fails or dies), and restate-server
// itself killed and restarted under a durable run (restate-crash) or down when it is submitted
// (restate-down-at-start).
#include "resultcheck.h"
#include "session.h"
#include "supervisor.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

namespace tt::engine {

RunRecord RunSession::runBaselineRestart(const RunPlan& plan)
{
    writeBaselineInput(plan);
    const RestartPolicy policy = RestartPolicy::fromCatalog(catalog);
    // The engine's clock: the first process spawned -> the last one exited (waits included).
    QElapsedTimer clock;
    clock.start();
    RunRecord record;
    bool crashed = false;
    LlmCounts beforeLast; // what the attempts before the last one were answered: thrown away
    int reportsBeforeLast = 0;
    const auto attempt = [&](int number) {
        beforeLast = llmCounts(llmLog, plan.runId);
        reportsBeforeLast = int(reportsIn(plan.dir + QStringLiteral("/out")).size());
        // A crash point fires once per run, as for the durable variant: relaunched Writers
        // run past it.
        // Each attempt's traces follow the earlier ones' in the run's files, as the durable
        // endpoint's do after a restart: the window shows every attempt.
        record = runBaselineProcess(
            plan, crashed ? QString() : plan.scenario.crashAt, clock, number > 1);
        crashed = crashed || record.crashed;
        if (record.outcome == QLatin1String("timeout")
            || record.outcome == QLatin1String("cancelled"))
            return AttemptEnd::Stopped;
        return record.success ? AttemptEnd::Succeeded
            : record.crashed  ? AttemptEnd::Died
                              : AttemptEnd::Failed;
    };
    const auto wait = [&](int policyMs) {
        // A Writer that died comes back no sooner than the durable endpoint does after its
        // crash (the engine's restart delay): the same outage for both, like for like.
        const int delayMs = record.crashed ? std::max(policyMs, options.restartDelayMs) : policyMs;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < delayMs) {
            if (cancelled() || clock.elapsed() > options.runTimeoutMs)
                return false;
            QThread::msleep(ulong(std::min<qint64>(20, delayMs - waited.elapsed())));
        }
        return true;
    };
    const Supervised supervised = supervise(policy, attempt, wait);
    record.wallMs = double(clock.nsecsElapsed()) / 1e6;
    if (!record.success && !supervised.gaveUp && record.outcome != QLatin1String("cancelled")
        && !cancelled() && clock.elapsed() > options.runTimeoutMs) {
        record.outcome = QStringLiteral("timeout");
        record.message = QStringLiteral("no attempt succeeded in %1 s (%2 attempts)")
                             .arg(options.runTimeoutMs / 1000)
                             .arg(supervised.attempts);
    } else if (cancelled()) {
        record.outcome = QStringLiteral("cancelled");
    } else if (supervised.gaveUp) {
        record.message = QStringLiteral("gave up after %1 attempts: %2")
                             .arg(supervised.attempts)
                             .arg(record.message);
    }
    record.crashed = crashed;
    record.attempts = supervised.attempts;
    record.earlierReports = reportsBeforeLast;
    fillLlm(record, plan.runId);
    record.clientRetries = std::max(0, record.llmRequests - record.llmAnswered);
    // The work of every attempt but the last was thrown away: the calls it was answered are
    // paid again by the next one.
    record.llmRepeated = supervised.attempts > 1 ? beforeLast.answered : 0;
    record.tokensRepeated
        = supervised.attempts > 1 ? beforeLast.promptTokens + beforeLast.completionTokens : 0;
    return record;
}

RestateOutage::RestateOutage(RunSession& session, const RunPlan& plan, const QString& invocationId)
    : m_session(session)
    , m_step(session.restate ? plan.scenario.restateCrashAt : QString())
    , m_invocation(invocationId.toUtf8())
    , m_log(session.logBase(QStringLiteral("endpoint")) + QStringLiteral(".stdout.log"))
{
    m_offset = QFileInfo(m_log).size();
}

bool RestateOutage::watch(const QElapsedTimer& clock, RunRecord& record, QString& error)
{
    if (m_step.isEmpty() || m_killedAtMs >= 0)
        return true;
    QFile log(m_log);
    if (!log.open(QIODevice::ReadOnly) || !log.seek(m_offset))
        return true;
    bool started = false;
    while (!started && !log.atEnd()) {
        const QByteArray line = log.readLine();
        if (!line.endsWith('\n'))
            break; // being written: read again on the next look
        m_offset += line.size();
        started = line.contains("\"event\":\"step_started\"") && line.contains(m_invocation)
            && line.contains("\"step\":\"" + m_step.toUtf8() + "\"");
    }
    if (!started)
        return true;
    // Mid-step: the power cut. The same server comes back on the same folder after the delay.
    m_killedAtMs = double(clock.nsecsElapsed()) / 1e6;
    record.restateDownAtMs = double(QDateTime::currentMSecsSinceEpoch());
    m_session.restate->killHard();
    QThread::msleep(ulong(m_session.options.restartDelayMs));
    if (!m_session.restate->start(error)) {
        error = QStringLiteral("restate-server did not come back after its crash: ") + error;
        return false;
    }
    record.restateOutageMs = double(clock.nsecsElapsed()) / 1e6 - m_killedAtMs;
    record.restateUpAtMs = double(QDateTime::currentMSecsSinceEpoch());
    return true;
}

IngressSubmission RunSession::submitWhileRestateDown(const QString& url, const QByteArray& body,
    const QList<QPair<QByteArray, QByteArray>>& headers, const QElapsedTimer& clock,
    const QElapsedTimer& down, int downMs, RunRecord& record, QString& error)
{
    // The client tries on its own thread, as it would in another process, while this one brings
    // the server back: what the client sees meanwhile is the scenario's point.
    IngressSubmission submitted;
    const IngressPatience patience = ingressPatience();
    std::unique_ptr<QThread> client(QThread::create(
        [&] { submitted = submitPatiently(url, body, headers, clock, patience, cancel); }));
    client->start();
    while (down.elapsed() < downMs && !cancelled())
        QThread::msleep(10);
    if (!restate->start(error))
        error = QStringLiteral("restate-server did not come back after being down at the "
                               "submission: ")
            + error;
    else {
        record.restateOutageMs = double(down.nsecsElapsed()) / 1e6;
        record.restateUpAtMs = double(QDateTime::currentMSecsSinceEpoch());
    }
    client->wait();
    return submitted;
}

} // namespace tt::engine
