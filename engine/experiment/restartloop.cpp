// SPDX-License-Identifier: MIT
// The baseline-restart variant: what a team without Restate would do, their job queue running
// the same baseline Writer again from scratch when it fails or dies.
#include "session.h"
#include "supervisor.h"

#include <QDir>
#include <QThread>

namespace tt::engine {

namespace {

int reportsIn(const QString& outputDir)
{
    return int(
        QDir(outputDir).entryList({ QStringLiteral("*.md") }, QDir::Files, QDir::Name).size());
}

} // namespace

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
    const auto attempt = [&](int) {
        beforeLast = llmCounts(llmLog, plan.runId);
        reportsBeforeLast = reportsIn(plan.dir + QStringLiteral("/out"));
        // A crash point fires once per run, as for the durable variant: relaunched Writers
        // run past it.
        record = runBaselineProcess(plan, crashed ? QString() : plan.scenario.crashAt, clock);
        crashed = crashed || record.crashed;
        if (record.outcome == QLatin1String("timeout")
            || record.outcome == QLatin1String("cancelled"))
            return AttemptEnd::Stopped;
        return record.success ? AttemptEnd::Succeeded
            : record.crashed  ? AttemptEnd::Died
                              : AttemptEnd::Failed;
    };
    const auto wait = [&](int delayMs) {
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

} // namespace tt::engine
