// SPDX-License-Identifier: MIT
#include "runner.h"

#include "engine/restate/restateserver.h"
#include "importers/restate/adminclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QThread>
#include <QUuid>

#include <sys/prctl.h>

#include <csignal>
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

// A child process that dies with the engine and is stopped politely, then firmly.
class Child
{
public:
    ~Child() { stop(); }

    bool start(const QString& program, const QStringList& arguments, const QString& logPath,
        const QByteArray& readyText, QString& error, int timeoutMs = 15000)
    {
        stop();
        m_process = std::make_unique<QProcess>();
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_process->setStandardErrorFile(logPath, QIODevice::Append);
        m_process->start(program, arguments);
        if (!m_process->waitForStarted(10000)) {
            error = QStringLiteral("cannot start %1: %2").arg(program, m_process->errorString());
            return false;
        }
        QElapsedTimer clock;
        clock.start();
        QByteArray seen;
        while (clock.elapsed() < timeoutMs) {
            if (m_process->canReadLine()) {
                const QByteArray line = m_process->readLine();
                seen += line;
                if (line.contains(readyText))
                    return true;
                continue;
            }
            if (m_process->state() == QProcess::NotRunning)
                break;
            m_process->waitForReadyRead(100);
        }
        error = QStringLiteral("%1 did not start (%2): %3")
                    .arg(QFileInfo(program).fileName(),
                        m_process->state() == QProcess::NotRunning ? QStringLiteral("it exited")
                                                                   : QStringLiteral("timeout"),
                        QString::fromUtf8(seen.right(300)));
        stop();
        return false;
    }

    bool running() const { return m_process && m_process->state() != QProcess::NotRunning; }
    QProcess* process() { return m_process.get(); }

    void stop()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(3000)) {
                m_process->kill();
                m_process->waitForFinished(3000);
            }
        }
        m_process.reset();
    }

private:
    std::unique_ptr<QProcess> m_process;
};

struct LlmCounts
{
    int requests = 0;
    int answered = 0;
    int promptTokens = 0;
    int completionTokens = 0;
};

LlmCounts llmCounts(const QString& logPath, const QString& runId)
{
    LlmCounts counts;
    QFile log(logPath);
    if (!log.open(QIODevice::ReadOnly))
        return counts;
    const QByteArray needle = "\"run_id\":\"" + runId.toUtf8() + "\"";
    while (!log.atEnd()) {
        const QByteArray line = log.readLine();
        if (!line.contains(needle))
            continue;
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        ++counts.requests;
        if (entry.value(QLatin1String("status")).toInt() == 200
            && entry.value(QLatin1String("completed")).toBool()) {
            ++counts.answered;
            counts.promptTokens += entry.value(QLatin1String("prompt_tokens")).toInt();
            counts.completionTokens += entry.value(QLatin1String("completion_tokens")).toInt();
        }
    }
    return counts;
}

int reportFiles(const QString& outputDir)
{
    return int(QDir(outputDir).entryList({ QStringLiteral("*.md") }, QDir::Files).size());
}

QJsonObject firstRow(const QByteArray& answer)
{
    return QJsonDocument::fromJson(answer)
        .object()
        .value(QLatin1String("rows"))
        .toArray()
        .at(0)
        .toObject();
}

} // namespace

struct ExperimentRunner::Impl
{
    ExperimentOptions options;
    Catalog catalog;
    ResultStore store;
    std::unique_ptr<RestateServer> restate;
    Child llm;
    Child endpoint;
    int llmPort = 0;
    int endpointPort = 0;
    QString llmLog;
    QString session; // tells this process's run ids from an interrupted one's
    QString logDir;
    QElapsedTimer sinceLaunch;
    bool setupMeasured = false;
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(); }
    QString bin(const QString& name) const { return QDir(options.binDir).filePath(name); }

    bool startLlm(const Scenario& scenario, QString& error)
    {
        llmPort = freeLoopbackPort();
        llmLog = QDir(logDir).filePath(QStringLiteral("llm-%1-%2.jsonl").arg(scenario.id, session));
        llmLog.replace(QLatin1Char('#'), QLatin1Char('_'));
        return llm.start(bin(QStringLiteral("twintrace-llm")),
            { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(llmPort),
                QStringLiteral("--scenario"), llmScenarioPath(scenario.llmScenario),
                QStringLiteral("--seed"), QString::number(options.seed), QStringLiteral("--log"),
                llmLog, QStringLiteral("--time-scale"), QString::number(options.timeScale) },
            QDir(logDir).filePath(QStringLiteral("llm.stderr.log")), "listening", error);
    }

    QStringList clientOptions() const
    {
        return { QStringLiteral("--llm-url"), QStringLiteral("http://127.0.0.1:%1").arg(llmPort),
            QStringLiteral("--timeout-s"), QString::number(catalog.clientTimeoutS),
            QStringLiteral("--max-retries"), QString::number(catalog.clientMaxRetries) };
    }

    bool startEndpoint(const QString& crashAt, QString& error)
    {
        QStringList arguments = { QStringLiteral("--port"), QString::number(endpointPort),
            QStringLiteral("--retry-initial-ms"), QString::number(catalog.restateInitialMs),
            QStringLiteral("--retry-max-interval-ms"),
            QString::number(catalog.restateMaxIntervalMs), QStringLiteral("--retry-max-attempts"),
            QString::number(catalog.restateMaxAttempts), QStringLiteral("--on-max-attempts"),
            catalog.restateOnMaxAttempts };
        arguments += clientOptions();
        if (!crashAt.isEmpty())
            arguments += { QStringLiteral("--crash-at"), crashAt };
        if (!endpoint.start(bin(QStringLiteral("twintrace-writer-restate")), arguments,
                QDir(logDir).filePath(QStringLiteral("endpoint.stderr.log")), "\"listening\"",
                error))
            return false;
        // Registered again each time: the same address, maybe another LLM URL.
        return !restate
                    ->registerDeployment(
                        QStringLiteral("http://127.0.0.1:%1").arg(endpointPort), error)
                    .isEmpty();
    }

    // Every invocation of this session's restate-server, saved as one snapshot folder
    // (importable with `twintrace import`): three queries per thousand runs.
    void saveJournals(QString& warning)
    {
        importers::restate::AdminClient admin(restate->adminUrl().toStdString());
        importers::restate::AdminFilter filter;
        filter.service = "WriterAgentRestate";
        const auto fetched = admin.fetch(filter);
        std::string error = fetched.error;
        if (fetched.complete)
            importers::restate::saveSnapshot(fetched.snapshot,
                QDir(options.outDir).filePath(QStringLiteral("restate/") + session).toStdString(),
                error);
        warning = QString::fromStdString(error);
    }

    QString prepareRun(const Scenario& scenario, const QString& variant, int index, QString& error)
    {
        const QString dir
            = QDir(options.outDir)
                  .filePath(
                      QStringLiteral("runs/%1/%2-%3")
                          .arg(QString(scenario.id).replace(QLatin1Char('#'), QLatin1Char('_')),
                              variant)
                          .arg(index));
        QDir(dir).removeRecursively(); // what an interrupted attempt at this run left
        if (!QDir().mkpath(dir + QStringLiteral("/tmp"))
            || !QDir().mkpath(dir + QStringLiteral("/out"))) {
            error = QStringLiteral("cannot create %1").arg(dir);
            return {};
        }
        for (const auto& note : kNotes) {
            QFile file(dir + QStringLiteral("/tmp/") + QLatin1String(note[0]));
            if (!file.open(QIODevice::WriteOnly) || file.write(note[1]) < 0) {
                error = file.fileName() + QStringLiteral(": ") + file.errorString();
                return {};
            }
        }
        return dir;
    }

    QJsonObject writerInput(
        const QString& dir, const QString& runId, const Scenario& scenario) const
    {
        QJsonObject input { { QStringLiteral("query"),
                                QStringLiteral("Durable execution for LLM agents") },
            { QStringLiteral("temp_dir"), dir + QStringLiteral("/tmp") },
            { QStringLiteral("files"),
                QJsonArray { QLatin1String(kNotes[0][0]), QLatin1String(kNotes[1][0]) } },
            { QStringLiteral("output_dir"), dir + QStringLiteral("/out") },
            { QStringLiteral("run_id"), runId },
            { QStringLiteral("traces"),
                QJsonObject { { QStringLiteral("openai"), dir + QStringLiteral("/openai.jsonl") },
                    { QStringLiteral("langsmith"), dir + QStringLiteral("/langsmith.jsonl") },
                    { QStringLiteral("trace_log"), dir + QStringLiteral("/trace.log") } } } };
        if (!scenario.failOnce.isEmpty())
            input.insert(QStringLiteral("fail_once"),
                QJsonObject { { QStringLiteral("step"), scenario.failOnce },
                    { QStringLiteral("marker"), dir + QStringLiteral("/fail-once.marker") } });
        return input;
    }

    void fillLlm(RunRecord& record, const QString& runId)
    {
        const LlmCounts counts = llmCounts(llmLog, runId);
        record.llmRequests = counts.requests;
        record.llmAnswered = counts.answered;
        record.promptTokens = counts.promptTokens;
        record.completionTokens = counts.completionTokens;
    }

    RunRecord runBaseline(const Scenario& scenario, const QString& dir, const QString& runId)
    {
        RunRecord record;
        QFile inputFile(dir + QStringLiteral("/input.json"));
        inputFile.open(QIODevice::WriteOnly);
        inputFile.write(QJsonDocument(writerInput(dir, runId, scenario)).toJson());
        inputFile.close();
        QStringList arguments
            = { QStringLiteral("--input"), inputFile.fileName(), QStringLiteral("--run-id"), runId,
                  QStringLiteral("--openai-trace"), dir + QStringLiteral("/openai.jsonl"),
                  QStringLiteral("--langsmith-runs"), dir + QStringLiteral("/langsmith.jsonl"),
                  QStringLiteral("--trace-log"), dir + QStringLiteral("/trace.log") };
        arguments += clientOptions();
        if (!scenario.crashAt.isEmpty())
            arguments += { QStringLiteral("--crash-at"), scenario.crashAt };
        if (!scenario.failOnce.isEmpty())
            arguments += { QStringLiteral("--fail-once"), scenario.failOnce,
                QStringLiteral("--fail-once-marker"), dir + QStringLiteral("/fail-once.marker") };
        QProcess process;
        process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        process.setStandardOutputFile(dir + QStringLiteral("/writer.jsonl"));
        process.setStandardErrorFile(dir + QStringLiteral("/writer.stderr.log"));
        QElapsedTimer clock;
        clock.start();
        process.start(bin(QStringLiteral("twintrace-writer-baseline")), arguments);
        bool finished = process.waitForStarted(10000);
        while (finished && process.state() != QProcess::NotRunning) {
            if (cancelled() || clock.elapsed() > options.runTimeoutMs) {
                process.kill();
                process.waitForFinished(3000);
                finished = false;
                break;
            }
            process.waitForFinished(100);
        }
        record.wallMs = double(clock.nsecsElapsed()) / 1e6;
        if (!finished) {
            record.outcome = cancelled() ? QStringLiteral("cancelled") : QStringLiteral("timeout");
            record.message = QStringLiteral("the baseline did not finish in %1 s")
                                 .arg(options.runTimeoutMs / 1000);
        } else if (process.exitStatus() == QProcess::CrashExit) {
            record.crashed = true;
            record.outcome = QStringLiteral("crashed");
            record.message = QStringLiteral("killed at %1: the run is lost").arg(scenario.crashAt);
        } else {
            // The last line is {"event": "finished", "outcome", "wall_ms", ...}.
            QFile out(dir + QStringLiteral("/writer.jsonl"));
            out.open(QIODevice::ReadOnly);
            const QList<QByteArray> lines = out.readAll().trimmed().split('\n');
            const QJsonObject last
                = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
            record.outcome
                = last.value(QLatin1String("outcome")).toString(QStringLiteral("unknown"));
            record.success = record.outcome == QLatin1String("success");
            record.message = last.value(QLatin1String("message")).toString();
            if (last.contains(QLatin1String("wall_ms")))
                record.wallMs = last.value(QLatin1String("wall_ms")).toDouble();
        }
        fillLlm(record, runId);
        record.clientRetries = std::max(0, record.llmRequests - record.llmAnswered);
        return record;
    }

    RunRecord runDurable(
        const Scenario& scenario, const QString& dir, const QString& runId, QString& error)
    {
        RunRecord record;
        if (!scenario.crashAt.isEmpty() || !endpoint.running()) {
            if (!startEndpoint(scenario.crashAt, error))
                return record;
        }
        int status = 0;
        const QByteArray sent
            = postJson(restate->ingressUrl() + QStringLiteral("/WriterAgentRestate/run/send"),
                QJsonDocument(writerInput(dir, runId, scenario)).toJson(QJsonDocument::Compact),
                status, 10000);
        const QString id = QJsonDocument::fromJson(sent)
                               .object()
                               .value(QLatin1String("invocationId"))
                               .toString();
        if (status != 202 || id.isEmpty()) {
            error = QStringLiteral("the ingress refused the run: HTTP %1 %2")
                        .arg(status)
                        .arg(QString::fromUtf8(sent.left(300)));
            return record;
        }
        record.invocationId = id;
        QElapsedTimer clock;
        clock.start();
        qint64 crashedAt = -1;
        QJsonObject row;
        QString state;
        while (true) {
            if (cancelled() || clock.elapsed() > options.runTimeoutMs)
                break;
            if (!scenario.crashAt.isEmpty() && crashedAt < 0 && !endpoint.running()) {
                crashedAt = clock.elapsed();
                record.crashed = true;
                QThread::msleep(ulong(options.restartDelayMs));
                if (!startEndpoint({}, error))
                    return record;
            }
            row = firstRow(restate->query(
                QStringLiteral("SELECT status, completion_result, completion_failure, "
                               "created_at, completed_at, journal_size, last_failure "
                               "FROM sys_invocation WHERE id = '%1'")
                    .arg(id),
                status, 5000));
            state = row.value(QLatin1String("status")).toString();
            if (state == QLatin1String("completed") || state == QLatin1String("paused"))
                break;
            QThread::msleep(5); // Restate answers such a query in about a millisecond
        }
        if (state == QLatin1String("completed")) {
            record.success = row.value(QLatin1String("completion_result")).toString()
                == QLatin1String("success");
            record.outcome = record.success ? QStringLiteral("success") : QStringLiteral("failed");
            record.message = row.value(QLatin1String("completion_failure")).toString();
        } else if (state == QLatin1String("paused")) {
            record.outcome = QStringLiteral("paused");
            record.message = row.value(QLatin1String("last_failure"))
                                 .toString()
                                 .section(QLatin1Char('\n'), 0, 0);
        } else {
            record.outcome = cancelled() ? QStringLiteral("cancelled") : QStringLiteral("timeout");
            record.message = QStringLiteral("not finished after %1 s (status %2)")
                                 .arg(options.runTimeoutMs / 1000)
                                 .arg(state);
        }
        QString killError;
        if (state != QLatin1String("completed")) // leave nothing running behind
            restate->killInvocation(id, killError);
        const auto created = QDateTime::fromString(
            row.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
        const auto completed = QDateTime::fromString(
            row.value(QLatin1String("completed_at")).toString(), Qt::ISODateWithMs);
        record.wallMs = created.isValid() && completed.isValid()
            ? double(created.msecsTo(completed))
            : double(clock.elapsed());
        if (record.crashed && record.success)
            record.recoverMs = double(clock.elapsed() - crashedAt);
        record.journalEntries = row.value(QLatin1String("journal_size")).toInt();
        // Its failed attempts (TransientError events) are the Restate retries. The journals
        // themselves are saved once for the whole experiment (saveJournals), off the runs' path.
        const QJsonObject events = firstRow(restate->query(
            QStringLiteral("SELECT count(*) AS n FROM sys_journal_events WHERE id = '%1' AND "
                           "event_type = 'TransientError'")
                .arg(id),
            status, 5000));
        record.restateRetries = events.value(QLatin1String("n")).toInt();
        fillLlm(record, runId);
        record.clientRetries
            = std::max(0, record.llmRequests - record.llmAnswered - record.restateRetries);
        return record;
    }
};

ExperimentRunner::ExperimentRunner(ExperimentOptions options, Catalog catalog)
    : m_options(std::move(options))
    , m_catalog(std::move(catalog))
{
    if (m_options.binDir.isEmpty())
        m_options.binDir = QCoreApplication::applicationDirPath();
}

ExperimentRunner::~ExperimentRunner() = default;

void ExperimentRunner::setProgress(std::function<void(const ExperimentProgress&)> progress)
{
    m_progress = std::move(progress);
}

void ExperimentRunner::setCancel(const std::atomic<bool>* cancel)
{
    m_cancel = cancel;
}

bool ExperimentRunner::run(QString& error)
{
    Impl impl;
    impl.options = m_options;
    impl.catalog = m_catalog;
    impl.cancel = m_cancel;
    impl.sinceLaunch.start();
    impl.session = QUuid::createUuid().toString(QUuid::Id128).left(8);
    const auto selected = m_catalog.select(m_options.scenarios, error);
    if (!selected)
        return false;
    for (const QString& variant : m_options.variants)
        if (variant != QLatin1String("baseline") && variant != QLatin1String("restate")) {
            error = QStringLiteral("unknown variant \"%1\" (expected baseline, restate)")
                        .arg(variant);
            return false;
        }
    for (const char* tool :
        { "twintrace-llm", "twintrace-writer-baseline", "twintrace-writer-restate" })
        if (!QFileInfo::exists(impl.bin(QLatin1String(tool)))) {
            error = QStringLiteral("%1 is missing: build it (scripts/setup.sh)")
                        .arg(impl.bin(QLatin1String(tool)));
            return false;
        }
    if (!impl.store.open(m_options.outDir, error))
        return false;
    impl.logDir = QDir(m_options.outDir).filePath(QStringLiteral("logs"));
    QDir().mkpath(impl.logDir);
    const auto finished = impl.store.finished();
    const int total = int(selected->size()) * int(m_options.variants.size()) * m_options.runs;
    int done = 0;
    for (const Scenario& scenario : *selected)
        for (const QString& variant : m_options.variants)
            for (int n = 1; n <= m_options.runs; ++n)
                done += finished.count({ scenario.id, variant, n }) ? 1 : 0;
    const auto report = [&](const QString& message, const RunRecord* record = nullptr) {
        if (m_progress)
            m_progress({ done, total, message, record });
    };
    if (done > 0)
        report(QStringLiteral("resuming: %1 of %2 runs already in %3")
                   .arg(done)
                   .arg(total)
                   .arg(impl.store.path()));
    if (done == total) {
        report(QStringLiteral("nothing left to run"));
        return true;
    }
    impl.store.setMeta(QStringLiteral("catalog"), m_catalog.path);
    impl.store.setMeta(QStringLiteral("seed"), QString::number(m_options.seed));
    impl.store.setMeta(QStringLiteral("time_scale"), QString::number(m_options.timeScale));

    const bool needsRestate = m_options.variants.contains(QStringLiteral("restate"));
    if (needsRestate) {
        report(QStringLiteral("starting restate-server"));
        RestateServer::Options restateOptions;
        restateOptions.keepLogAs
            = QDir(impl.logDir).filePath(QStringLiteral("restate-%1.log").arg(impl.session));
        impl.restate = std::make_unique<RestateServer>(restateOptions);
        if (!impl.restate->start(error))
            return false;
        impl.endpointPort = freeLoopbackPort();
        impl.store.setMeta(QStringLiteral("restate_version"), RestateServer::version());
    }

    for (const Scenario& scenario : *selected) {
        bool llmStarted = false;
        for (int n = 1; n <= m_options.runs; ++n)
            for (const QString& variant : m_options.variants) {
                if (finished.count({ scenario.id, variant, n }))
                    continue;
                if (impl.cancelled()) {
                    error = QStringLiteral("cancelled after %1 of %2 runs").arg(done).arg(total);
                    return false;
                }
                if (!llmStarted) {
                    if (!impl.startLlm(scenario, error))
                        return false;
                    impl.endpoint.stop(); // its LLM URL changes with the stand-in
                    llmStarted = true;
                }
                const QString runId = QStringLiteral("%1/%2/%3/%4")
                                          .arg(scenario.id, variant)
                                          .arg(n)
                                          .arg(impl.session);
                QElapsedTimer aroundRun;
                aroundRun.start();
                const QString dir = impl.prepareRun(scenario, variant, n, error);
                if (dir.isEmpty())
                    return false;
                report(QStringLiteral("%1 %2 #%3").arg(scenario.id, variant).arg(n));
                RunRecord record = variant == QLatin1String("baseline")
                    ? impl.runBaseline(scenario, dir, runId)
                    : impl.runDurable(scenario, dir, runId, error);
                if (!error.isEmpty())
                    return false;
                if (record.outcome == QLatin1String("cancelled")) {
                    error = QStringLiteral("cancelled after %1 of %2 runs").arg(done).arg(total);
                    return false;
                }
                record.scenario = scenario.id;
                record.variant = variant;
                record.runIndex = n;
                record.seed = m_options.seed;
                record.runDir = dir;
                record.reportsWritten = reportFiles(dir + QStringLiteral("/out"));
                record.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
                // Everything but the run itself: folders, process start, polling, collection.
                record.engineMs
                    = std::max(0.0, double(aroundRun.nsecsElapsed()) / 1e6 - record.wallMs);
                if (!impl.store.add(record, error))
                    return false;
                if (variant == QLatin1String("restate") && record.success
                    && impl.store.meta(QStringLiteral("setup_ms")).isEmpty())
                    impl.store.setMeta(
                        QStringLiteral("setup_ms"), QString::number(impl.sinceLaunch.elapsed()));
                ++done;
                report(QStringLiteral("%1 %2 #%3: %4 in %5 s, %6 LLM calls")
                           .arg(scenario.id, variant)
                           .arg(n)
                           .arg(record.outcome)
                           .arg(record.wallMs / 1000, 0, 'f', 2)
                           .arg(record.llmRequests),
                    &record);
            }
    }
    impl.endpoint.stop();
    impl.llm.stop();
    if (impl.restate) {
        QString warning;
        impl.saveJournals(warning);
        report(warning.isEmpty() ? QStringLiteral("journals saved in %1/restate/%2")
                                       .arg(m_options.outDir, impl.session)
                                 : QStringLiteral("the journals could not be saved: ") + warning);
        impl.restate->stop();
    }
    return true;
}

} // namespace tt::engine
