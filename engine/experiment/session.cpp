// SPDX-License-Identifier: MIT
#include "session.h"

#include "runtraces.h"

#include "engine/restate/restateserver.h"
#include "importers/restate/adminclient.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSaveFile>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <limits>
#include <memory>

namespace tt::engine {

namespace {

const char* const kNotes[][2] = {
    { "notes_memory.md",
        "Durable execution records each step of a workflow in a journal. After a crash the "
        "workflow replays the journal and continues at the first step without a result, so work "
        "that finished is not done again.\n" },
    { "notes_tools.md",
        "An LLM agent's steps are model calls and tool calls. Transient failures (rate limits, "
        "timeouts, dropped connections) are common; retrying a single step is cheaper than "
        "restarting the agent.\n" },
};

} // namespace

QStringList noteFiles()
{
    return { QLatin1String(kNotes[0][0]), QLatin1String(kNotes[1][0]) };
}

LlmCounts llmCounts(const QString& logPath, const QString& runId)
{
    LlmCounts counts;
    QFile log(logPath);
    if (!log.open(QIODevice::ReadOnly))
        return counts;
    const QByteArray needle = "\"run_id\":\"" + runId.toUtf8() + "\"";
    QSet<QString> answeredBodies;
    while (!log.atEnd()) {
        const QByteArray line = log.readLine();
        if (!line.contains(needle))
            continue;
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        ++counts.requests;
        if (entry.value(QLatin1String("status")).toInt() == 200
            && entry.value(QLatin1String("completed")).toBool()) {
            ++counts.answered;
            const int tokens = entry.value(QLatin1String("prompt_tokens")).toInt()
                + entry.value(QLatin1String("completion_tokens")).toInt();
            counts.promptTokens += entry.value(QLatin1String("prompt_tokens")).toInt();
            counts.completionTokens += entry.value(QLatin1String("completion_tokens")).toInt();
            const QString body = entry.value(QLatin1String("body_hash")).toString();
            if (!body.isEmpty() && answeredBodies.contains(body)) {
                ++counts.repeated;
                counts.repeatedTokens += tokens;
            }
            answeredBodies.insert(body);
        }
    }
    return counts;
}

QString RunSession::bin(const QString& name) const
{
    return QDir(options.binDir).filePath(name);
}

QString RunSession::logBase(const QString& process) const
{
    return QDir(logDir).filePath(process + lane);
}

bool RunSession::startLlm(const Scenario& scenario, QString& error)
{
    // DGX Spark mode: the stand-in is the fault proxy in front of the real server, on the fixed
    // address the team's Writers call.
    const ExternalConfig* external = options.external.get();
    llmPort = external ? external->llm.proxyListen.section(QLatin1Char(':'), 1).toInt()
                       : freeLoopbackPort();
    llmLog = QDir(logDir).filePath(QStringLiteral("llm-%1-%2.jsonl").arg(scenario.id, session));
    llmLog.replace(QLatin1Char('#'), QLatin1Char('_'));
    QStringList arguments { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(llmPort),
        QStringLiteral("--scenario"), llmScenarioPath(scenario.llmScenario),
        QStringLiteral("--seed"), QString::number(options.seed), QStringLiteral("--log"), llmLog,
        QStringLiteral("--time-scale"), QString::number(options.timeScale) };
    if (external)
        arguments << QStringLiteral("--upstream") << external->llm.upstream;
    return llm.start(bin(QStringLiteral("twintrace-llm")), arguments,
        logBase(QStringLiteral("llm")), "listening", error);
}

QStringList RunSession::clientOptions() const
{
    return { QStringLiteral("--llm-url"), QStringLiteral("http://127.0.0.1:%1").arg(llmPort),
        QStringLiteral("--timeout-s"), QString::number(catalog.clientTimeoutS),
        QStringLiteral("--max-retries"), QString::number(catalog.clientMaxRetries) };
}

bool RunSession::startEndpoint(const QString& crashAt, QString& error, bool warmUp)
{
    QStringList arguments = { QStringLiteral("--port"), QString::number(endpointPort),
        QStringLiteral("--retry-initial-ms"), QString::number(catalog.restateInitialMs),
        QStringLiteral("--retry-max-interval-ms"), QString::number(catalog.restateMaxIntervalMs),
        QStringLiteral("--retry-max-attempts"), QString::number(catalog.restateMaxAttempts),
        QStringLiteral("--on-max-attempts"), catalog.restateOnMaxAttempts,
        QStringLiteral("--transport"), options.transport };
    arguments += clientOptions();
    if (!crashAt.isEmpty())
        arguments += { QStringLiteral("--crash-at"), crashAt };
    QElapsedTimer registering;
    registering.start();
    if (!endpoint.start(bin(QStringLiteral("twintrace-writer-restate")), arguments,
            logBase(QStringLiteral("endpoint")), "\"listening\"", error))
        return false;
    // Registered again each time: the same address, maybe another LLM URL.
    if (restate
            ->registerDeployment(QStringLiteral("http://127.0.0.1:%1").arg(endpointPort), error,
                options.transport == QLatin1String("h1"))
            .isEmpty())
        return false;
    if (setup.registerMs < 0) // the plan's "the service registers": the first time counts
        setup.registerMs = double(registering.nsecsElapsed()) / 1e6;
    if (warmUp) { // the first invocation after a registration pays for Restate's connection
        int status = 0;
        postJson(ingressUrl() + QStringLiteral("/WriterAgentRestate/warmup"), "{}", status, 10000);
    }
    return true;
}

QString RunSession::notesFolder(const Scenario& scenario, int index) const
{
    // One folder per scenario and run number, shared by the variants: its path is in the prompt,
    // so every variant's LLM sees the same bytes (DESIGN.md section 4).
    return QDir(options.outDir)
        .filePath(QStringLiteral("runs/%1/notes-%2").arg(scenario.id).arg(index));
}

QString RunSession::prepareRun(
    const Scenario& scenario, const QString& variant, int index, QString& error)
{
    const QString dir = runFolder(options.outDir, scenario.id, variant, index);
    QDir(dir).removeRecursively(); // what an interrupted attempt at this run left
    const QString notes = notesFolder(scenario, index);
    if (!QDir().mkpath(notes) || !QDir().mkpath(dir + QStringLiteral("/out"))) {
        error = QStringLiteral("cannot create %1").arg(dir);
        return {};
    }
    for (const auto& note : kNotes) {
        const QString path = notes + QLatin1Char('/') + QLatin1String(note[0]);
        QFile existing(path);
        if (existing.open(QIODevice::ReadOnly) && existing.readAll() == note[1])
            continue; // as the other variant left it: no write (and no fsync) on the run's path
        // Rewritten whole (write and rename), so a variant reading it meanwhile sees the same text.
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(note[1]) < 0 || !file.commit()) {
            error = file.fileName() + QStringLiteral(": ") + file.errorString();
            return {};
        }
    }
    return dir;
}

QJsonObject RunSession::writerInput(const RunPlan& plan) const
{
    QJsonObject input { { QStringLiteral("query"),
                            QStringLiteral("Durable execution for LLM agents") },
        { QStringLiteral("temp_dir"), notesFolder(plan.scenario, plan.index) },
        { QStringLiteral("files"), QJsonArray::fromStringList(noteFiles()) },
        { QStringLiteral("output_dir"), plan.dir + QStringLiteral("/out") },
        { QStringLiteral("run_id"), plan.runId },
        { QStringLiteral("traces"),
            QJsonObject { { QStringLiteral("openai"), plan.dir + QStringLiteral("/openai.jsonl") },
                { QStringLiteral("langsmith"), plan.dir + QStringLiteral("/langsmith.jsonl") },
                { QStringLiteral("trace_log"), plan.dir + QStringLiteral("/trace.log") } } } };
    if (!plan.scenario.failOnce.isEmpty())
        input.insert(QStringLiteral("fail_once"),
            QJsonObject { { QStringLiteral("step"), plan.scenario.failOnce },
                { QStringLiteral("marker"), plan.dir + QStringLiteral("/fail-once.marker") } });
    return input;
}

bool RunSession::waitForWriter(QProcess& process, const QElapsedTimer& clock, qint64 limitMs) const
{
    while (process.state() != QProcess::NotRunning) {
        if (cancelled() || clock.elapsed() > limitMs) {
            process.kill();
            process.waitForFinished(3000);
            return false;
        }
        process.waitForFinished(100);
    }
    return true;
}

Placeholders RunSession::placeholders(const RunPlan& plan) const
{
    // The research notes as the team's Writers take them: one text, and a file holding it.
    QString notes;
    for (const auto& note : kNotes)
        notes
            += QStringLiteral("## %1\n\n%2\n").arg(QLatin1String(note[0]), QLatin1String(note[1]));
    const QString notesFile
        = notesFolder(plan.scenario, plan.index) + QStringLiteral("/research_info.md");
    QFile file(notesFile);
    if (file.open(QIODevice::WriteOnly))
        file.write(notes.toUtf8());
    return { { QStringLiteral("query"), QStringLiteral("Durable execution for LLM agents") },
        { QStringLiteral("research_info"), notes },
        { QStringLiteral("research_info_file"), notesFile },
        { QStringLiteral("temp_dir"), notesFolder(plan.scenario, plan.index) },
        { QStringLiteral("output_dir"), plan.dir + QStringLiteral("/out") },
        { QStringLiteral("run_dir"), plan.dir }, { QStringLiteral("run_id"), plan.runId },
        { QStringLiteral("scenario"), plan.scenario.id },
        { QStringLiteral("llm_url"),
            options.external ? options.external->llmUrl(plan.runId)
                             : QStringLiteral("http://127.0.0.1:%1").arg(llmPort) },
        { QStringLiteral("client_timeout_s"), QString::number(catalog.clientTimeoutS) },
        { QStringLiteral("max_retries"), QString::number(catalog.clientMaxRetries) } };
}

void RunSession::fillLlm(RunRecord& record, const QString& runId)
{
    const LlmCounts counts = llmCounts(llmLog, runId);
    record.llmRequests = counts.requests;
    record.llmAnswered = counts.answered;
    record.promptTokens = counts.promptTokens;
    record.completionTokens = counts.completionTokens;
    record.llmRepeated = counts.repeated;
    record.tokensRepeated = counts.repeatedTokens;
}

void RunSession::writeBaselineInput(const RunPlan& plan) const
{
    QFile inputFile(plan.dir + QStringLiteral("/input.json"));
    inputFile.open(QIODevice::WriteOnly);
    inputFile.write(QJsonDocument(writerInput(plan)).toJson());
}

RunRecord RunSession::runBaselineProcess(
    const RunPlan& plan, const QString& crashAt, const QElapsedTimer& clock, bool appendTraces)
{
    const QString& dir = plan.dir;
    RunRecord record;
    QStringList arguments = { QStringLiteral("--input"), dir + QStringLiteral("/input.json"),
        QStringLiteral("--run-id"), plan.runId, QStringLiteral("--openai-trace"),
        dir + QStringLiteral("/openai.jsonl"), QStringLiteral("--langsmith-runs"),
        dir + QStringLiteral("/langsmith.jsonl"), QStringLiteral("--trace-log"),
        dir + QStringLiteral("/trace.log") };
    arguments += clientOptions();
    if (!crashAt.isEmpty())
        arguments += { QStringLiteral("--crash-at"), crashAt };
    if (appendTraces)
        arguments << QStringLiteral("--append-traces");
    if (!plan.scenario.failOnce.isEmpty())
        arguments += { QStringLiteral("--fail-once"), plan.scenario.failOnce,
            QStringLiteral("--fail-once-marker"), dir + QStringLiteral("/fail-once.marker") };
    QProcess process;
    Child::dieWithParent(process);
    // Appended: a relaunched Writer's lines follow the earlier attempts', its final line last.
    process.setStandardOutputFile(dir + QStringLiteral("/writer.jsonl"), QIODevice::Append);
    process.setStandardErrorFile(dir + QStringLiteral("/writer.stderr.log"), QIODevice::Append);
    process.start(bin(QStringLiteral("twintrace-writer-baseline")), arguments);
    const bool finished
        = process.waitForStarted(10000) && waitForWriter(process, clock, options.runTimeoutMs);
    if (!finished) {
        record.outcome = cancelled() ? QStringLiteral("cancelled") : QStringLiteral("timeout");
        record.message = QStringLiteral("the baseline did not finish in %1 s")
                             .arg(options.runTimeoutMs / 1000);
    } else if (process.exitStatus() == QProcess::CrashExit) {
        record.crashed = true;
        record.outcome = QStringLiteral("crashed");
        record.message = QStringLiteral("killed at %1: the run is lost").arg(crashAt);
    } else {
        // The last line is {"event": "finished", "outcome", "message", ...}.
        QFile out(dir + QStringLiteral("/writer.jsonl"));
        out.open(QIODevice::ReadOnly);
        const QList<QByteArray> lines = out.readAll().trimmed().split('\n');
        const QJsonObject last
            = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
        record.outcome = last.value(QLatin1String("outcome")).toString(QStringLiteral("unknown"));
        record.success = record.outcome == QLatin1String("success");
        record.message = last.value(QLatin1String("message")).toString();
    }
    return record;
}

RunRecord RunSession::runBaseline(const RunPlan& plan)
{
    writeBaselineInput(plan);
    // The engine's clock: the process spawned -> it exited, its final line written.
    QElapsedTimer clock;
    clock.start();
    RunRecord record = runBaselineProcess(plan, plan.scenario.crashAt, clock);
    record.wallMs = double(clock.nsecsElapsed()) / 1e6;
    // The stand-in logs a streamed call once its last chunk is out: a Writer that kills itself
    // as soon as it has read it can be gone before that line is written (seen with lanes
    // beside it). The others end later (a relaunch, a restarted endpoint wait for the delay).
    if (record.crashed)
        QThread::msleep(100);
    fillLlm(record, plan.runId);
    record.clientRetries = std::max(0, record.llmRequests - record.llmAnswered);
    return record;
}

} // namespace tt::engine
