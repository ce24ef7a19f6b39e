// SPDX-License-Identifier: MIT
// twintrace-writer-baseline: the team's Writer without durability. Progress as JSON lines on
// stdout, a final JSON line, and an exit code per outcome (see --help).
#include "agents/writer/emitters.h"
#include "agents/writer/writer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace tt::writer;

namespace {

QElapsedTimer g_clock;

void emitLine(nlohmann::json line)
{
    line["t_ms"] = double(g_clock.nsecsElapsed()) / 1e6;
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fprintf(stdout, "%s\n", text.c_str());
    std::fflush(stdout);
}

int finish(Outcome outcome, const QString& message, const WriterOutcome* result = nullptr)
{
    nlohmann::json line = { { "event", "finished" }, { "outcome", std::string(toString(outcome)) },
        { "exit_code", int(outcome) }, { "message", message.toStdString() } };
    if (result) {
        line["report"] = result->reportPath.toStdString();
        line["llm_calls"] = result->llmCalls;
        line["llm_retries"] = result->llmRetries;
        line["tool_calls"] = result->toolCalls;
        line["prompt_tokens"] = result->promptTokens;
        line["completion_tokens"] = result->completionTokens;
        line["wall_ms"] = result->wallMs;
        line["llm_ms"] = result->llmMs;
        line["writer_ms"] = result->wallMs - result->llmMs;
    }
    emitLine(line);
    if (outcome != Outcome::Success)
        std::fprintf(stderr, "twintrace-writer-baseline: %s: %s\n",
            std::string(toString(outcome)).c_str(), qPrintable(message));
    return int(outcome);
}

const char* kExitCodes
    = "Exit codes: 0 success, 2 bad_input, 3 llm_unavailable (HTTP errors or dropped "
      "connections beyond the retries), 4 llm_timeout, 5 malformed_output (not JSON, no "
      "choices, bad tool arguments, missing headings, max_turns), 6 save_failed.";

} // namespace

int main(int argc, char** argv)
{
    g_clock.start();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("twintrace-writer-baseline"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The team's Writer, without durability.\n") + QLatin1String(kExitCodes));
    parser.addOptions({
        { QStringLiteral("input"),
            QStringLiteral("JSON file {query, temp_dir, files[], output_dir}."),
            QStringLiteral("FILE") },
        { QStringLiteral("query"), QStringLiteral("The research request."),
            QStringLiteral("TEXT") },
        { QStringLiteral("temp-dir"),
            QStringLiteral("The run's temp folder (the file tool's root)."),
            QStringLiteral("DIR") },
        { QStringLiteral("file"), QStringLiteral("A search-result file (repeat)."),
            QStringLiteral("PATH") },
        { QStringLiteral("output-dir"), QStringLiteral("Where the report is saved."),
            QStringLiteral("DIR") },
        { QStringLiteral("llm-url"), QStringLiteral("OpenAI-compatible server."),
            QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:8080") },
        { QStringLiteral("model"), QStringLiteral("Model name."), QStringLiteral("NAME"),
            QStringLiteral("openai/wm") },
        { QStringLiteral("run-id"), QStringLiteral("Sent to the LLM as X-TwinTrace-Run."),
            QStringLiteral("ID") },
        { QStringLiteral("timeout-s"),
            QStringLiteral("Client read timeout (default 600, the OpenAI client's)."),
            QStringLiteral("S"), QStringLiteral("600") },
        { QStringLiteral("max-retries"),
            QStringLiteral("Client retries (default 2, the OpenAI client's)."), QStringLiteral("N"),
            QStringLiteral("2") },
        { QStringLiteral("max-turns"), QStringLiteral("Agent turns (default 10, the SDK's)."),
            QStringLiteral("N"), QStringLiteral("10") },
        { QStringLiteral("no-stream"),
            QStringLiteral("Ask for whole answers instead of streams.") },
        { QStringLiteral("openai-trace"), QStringLiteral("Write OpenAI Agents spans (JSONL) here."),
            QStringLiteral("FILE") },
        { QStringLiteral("openai-ingest"),
            QStringLiteral("Also POST them here (needs OPENAI_API_KEY)."), QStringLiteral("URL") },
        { QStringLiteral("langsmith-runs"), QStringLiteral("Write LangSmith runs (JSONL) here."),
            QStringLiteral("FILE") },
        { QStringLiteral("langsmith-endpoint"),
            QStringLiteral("Also POST {URL}/runs/batch (needs LANGSMITH_API_KEY)."),
            QStringLiteral("URL") },
        { QStringLiteral("trace-log"), QStringLiteral("Write agentic-research's trace.log here."),
            QStringLiteral("FILE") },
        { QStringLiteral("crash-at"),
            QStringLiteral("Kill this process (SIGKILL) at STEP#N[:before|inside|after]; "
                           "also TWINTRACE_CRASH_AT."),
            QStringLiteral("POINT") },
    });
    parser.addHelpOption();
    parser.process(app);

    WriterInput input;
    if (parser.isSet(QStringLiteral("input"))) {
        QFile file(parser.value(QStringLiteral("input")));
        if (!file.open(QIODevice::ReadOnly))
            return finish(
                Outcome::BadInput, file.fileName() + QStringLiteral(": ") + file.errorString());
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(file.readAll(), &error).object();
        if (error.error != QJsonParseError::NoError)
            return finish(Outcome::BadInput,
                file.fileName() + QStringLiteral(": not JSON: ") + error.errorString());
        input.query = object.value(QLatin1String("query")).toString();
        input.tempDir = object.value(QLatin1String("temp_dir")).toString();
        input.outputDir = object.value(QLatin1String("output_dir")).toString();
        for (const auto& value : object.value(QLatin1String("files")).toArray())
            input.files << value.toString();
    }
    if (parser.isSet(QStringLiteral("query")))
        input.query = parser.value(QStringLiteral("query"));
    if (parser.isSet(QStringLiteral("temp-dir")))
        input.tempDir = parser.value(QStringLiteral("temp-dir"));
    if (parser.isSet(QStringLiteral("output-dir")))
        input.outputDir = parser.value(QStringLiteral("output-dir"));
    input.files += parser.values(QStringLiteral("file"));

    WriterConfig config;
    config.llmUrl = parser.value(QStringLiteral("llm-url"));
    config.model = parser.value(QStringLiteral("model"));
    config.runId = parser.value(QStringLiteral("run-id"));
    config.stream = !parser.isSet(QStringLiteral("no-stream"));
    bool ok = true;
    config.retry.timeoutSeconds = parser.value(QStringLiteral("timeout-s")).toDouble(&ok);
    if (!ok || config.retry.timeoutSeconds <= 0)
        return finish(Outcome::BadInput, QStringLiteral("--timeout-s: expected a positive number"));
    config.retry.maxRetries = parser.value(QStringLiteral("max-retries")).toInt(&ok);
    if (!ok || config.retry.maxRetries < 0)
        return finish(Outcome::BadInput, QStringLiteral("--max-retries: expected a number >= 0"));
    config.maxTurns = parser.value(QStringLiteral("max-turns")).toInt(&ok);
    if (!ok || config.maxTurns < 1)
        return finish(Outcome::BadInput, QStringLiteral("--max-turns: expected a number >= 1"));
    config.retry.jitterSeed = qHash(config.runId);
    const QString crash = parser.isSet(QStringLiteral("crash-at"))
        ? parser.value(QStringLiteral("crash-at"))
        : qEnvironmentVariable("TWINTRACE_CRASH_AT");
    QString error;
    if (!crash.isEmpty() && !CrashPoint::parse(crash, config.crash, error))
        return finish(Outcome::BadInput, error);

    EmitterSettings traces;
    traces.openAiJsonl = parser.value(QStringLiteral("openai-trace"));
    traces.openAiIngestUrl = parser.value(QStringLiteral("openai-ingest"));
    traces.langSmithJsonl = parser.value(QStringLiteral("langsmith-runs"));
    traces.langSmithEndpoint = parser.value(QStringLiteral("langsmith-endpoint"));
    traces.traceLog = parser.value(QStringLiteral("trace-log"));
    Tracer tracer(qHash(config.runId));
    if (!addEmitters(tracer, traces, error))
        return finish(Outcome::BadInput, error);

    ProgressEvents progress;
    progress.stepStarted = [](const QString& step) {
        emitLine({ { "event", "step_started" }, { "step", step.toStdString() } });
    };
    progress.stepFinished = [](const QString& step, bool ok, int attempts) {
        emitLine({ { "event", "step_finished" }, { "step", step.toStdString() }, { "ok", ok },
            { "attempts", attempts } });
    };
    progress.retrying = [](const QString& step, const RetryNotice& retry) {
        emitLine(
            { { "event", "retry" }, { "step", step.toStdString() }, { "attempt", retry.attempt },
                { "reason", retry.reason.toStdString() }, { "delay_ms", retry.delayMs } });
    };
    progress.crashing = [](const QString& step, CrashPoint::Phase phase) {
        static const char* phases[] = { "before", "inside", "after" };
        emitLine({ { "event", "crash_point" }, { "step", step.toStdString() },
            { "phase", phases[int(phase)] } });
    };
    const WriterOutcome result = runWriter(input, config, tracer, progress);
    return finish(result.outcome, result.message, &result);
}
