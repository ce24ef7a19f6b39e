// SPDX-License-Identifier: MIT
// The DGX Spark mode's baseline: the team's own command line, run per run with the run's
// placeholders, its outcome read from its exit code.
#include "child.h"
#include "session.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

namespace tt::engine {

RunRecord RunSession::runExternalBaseline(const RunPlan& plan, QString& error)
{
    const ExternalConfig& config = *options.external;
    const QString& dir = plan.dir;
    const Placeholders values = placeholders(plan);
    QStringList command;
    for (const QString& part : config.baseline.command)
        command << substitute(part, values);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (auto it = config.baseline.env.begin(); it != config.baseline.env.end(); ++it)
        environment.insert(it.key(), substitute(it.value(), values));
    // The run id, for Writers that send it as X-TwinTrace-Run (the run's own base URL, {llm_url},
    // needs nothing from them); the catalog's client settings, for Writers that honour them.
    environment.insert(QStringLiteral("TWINTRACE_RUN_ID"), plan.runId);
    environment.insert(
        QStringLiteral("TWINTRACE_LLM_URL"), values.value(QStringLiteral("llm_url")));
    environment.insert(QStringLiteral("TWINTRACE_CLIENT_TIMEOUT_S"),
        values.value(QStringLiteral("client_timeout_s")));
    environment.insert(
        QStringLiteral("TWINTRACE_MAX_RETRIES"), values.value(QStringLiteral("max_retries")));
    QProcess process;
    Child::dieWithParent(process);
    process.setProcessEnvironment(environment);
    if (!config.baseline.workingDir.isEmpty())
        process.setWorkingDirectory(substitute(config.baseline.workingDir, values));
    process.setStandardOutputFile(dir + QStringLiteral("/writer.stdout.log"));
    process.setStandardErrorFile(dir + QStringLiteral("/writer.stderr.log"));
    RunRecord record;
    // The engine's clock, as for every variant: the command spawned -> it exited.
    QElapsedTimer clock;
    clock.start();
    process.start(command.first(), command.mid(1));
    if (!process.waitForStarted(10000)) {
        // Not the baseline failing: the experiment cannot run as configured.
        error = QStringLiteral("the baseline command did not start: %1 (%2); fix baseline.command "
                               "in %3")
                    .arg(command.first(), process.errorString(), config.path);
        return record;
    }
    const qint64 limit
        = std::min<qint64>(qint64(config.baseline.timeoutS) * 1000, options.runTimeoutMs);
    const bool finished = waitForWriter(process, clock, limit);
    record.wallMs = double(clock.nsecsElapsed()) / 1e6;
    if (!finished) {
        record.outcome = cancelled() ? QStringLiteral("cancelled") : QStringLiteral("timeout");
        record.message
            = QStringLiteral("the baseline command did not finish in %1 s").arg(limit / 1000);
    } else if (process.exitStatus() == QProcess::CrashExit) {
        record.crashed = true;
        record.outcome = QStringLiteral("crashed");
        record.message = QStringLiteral("the baseline command died (signal)");
    } else {
        record.success = process.exitCode() == 0;
        record.outcome = record.success ? QStringLiteral("success")
                                        : QStringLiteral("exit %1").arg(process.exitCode());
        if (!record.success) {
            // Its last words say why.
            QFile err(dir + QStringLiteral("/writer.stderr.log"));
            if (err.open(QIODevice::ReadOnly)) {
                const QList<QByteArray> lines = err.readAll().trimmed().split('\n');
                record.message = QString::fromUtf8(lines.last()).left(300);
            }
        }
    }
    fillLlm(record, plan.runId);
    record.clientRetries = std::max(0, record.llmRequests - record.llmAnswered);
    return record;
}

} // namespace tt::engine
