// SPDX-License-Identifier: MIT
// twintrace-writer-baseline: the team's Writer without durability. Progress as JSON lines on
// stdout, a final JSON line, and an exit code per outcome (see --help).
#include "agents/writer/commandline.h"
#include "agents/writer/emitters.h"
#include "agents/writer/writer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

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

int finish(const WriterOutcome& result)
{
    nlohmann::json line = { { "event", "finished" } };
    line.update(outcomeJson(result));
    emitLine(line);
    if (result.outcome != Outcome::Success)
        std::fprintf(stderr, "twintrace-writer-baseline: %s: %s\n",
            std::string(toString(result.outcome)).c_str(), qPrintable(result.message));
    return int(result.outcome);
}

int badInput(const QString& message)
{
    WriterOutcome result;
    result.outcome = Outcome::BadInput;
    result.message = message;
    return finish(result);
}

const char* kExitCodes
    = "Exit codes: 0 success, 2 bad_input, 3 llm_unavailable (HTTP errors or dropped "
      "connections beyond the retries), 4 llm_timeout, 5 malformed_output (not JSON, no "
      "choices, bad tool arguments, missing headings, max_turns), 6 save_failed, 7 tool_failed.";

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
        { QStringLiteral("run-id"), QStringLiteral("Sent to the LLM as X-TwinTrace-Run."),
            QStringLiteral("ID") },
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
        { QStringLiteral("append-traces"),
            QStringLiteral("Add to the trace files instead of starting them afresh (the same run "
                           "relaunched by a supervisor).") },
    });
    addWriterOptions(parser);
    parser.addHelpOption();
    parser.process(app);

    WriterInput input;
    QString error;
    if (parser.isSet(QStringLiteral("input"))) {
        QFile file(parser.value(QStringLiteral("input")));
        if (!file.open(QIODevice::ReadOnly))
            return badInput(file.fileName() + QStringLiteral(": ") + file.errorString());
        const nlohmann::json object
            = nlohmann::json::parse(file.readAll().toStdString(), nullptr, false);
        if (object.is_discarded())
            return badInput(file.fileName() + QStringLiteral(": not JSON"));
        if (!readWriterInput(object, input, error))
            return badInput(file.fileName() + QStringLiteral(": ") + error);
    }
    if (parser.isSet(QStringLiteral("query")))
        input.query = parser.value(QStringLiteral("query"));
    if (parser.isSet(QStringLiteral("temp-dir")))
        input.tempDir = parser.value(QStringLiteral("temp-dir"));
    if (parser.isSet(QStringLiteral("output-dir")))
        input.outputDir = parser.value(QStringLiteral("output-dir"));
    input.files += parser.values(QStringLiteral("file"));

    WriterConfig config;
    if (!readWriterOptions(parser, config, error))
        return badInput(error);
    config.runId = parser.value(QStringLiteral("run-id"));
    config.retry.jitterSeed = qHash(config.runId);

    EmitterSettings traces;
    traces.openAiJsonl = parser.value(QStringLiteral("openai-trace"));
    traces.openAiIngestUrl = parser.value(QStringLiteral("openai-ingest"));
    traces.langSmithJsonl = parser.value(QStringLiteral("langsmith-runs"));
    traces.langSmithEndpoint = parser.value(QStringLiteral("langsmith-endpoint"));
    traces.traceLog = parser.value(QStringLiteral("trace-log"));
    traces.append = parser.isSet(QStringLiteral("append-traces"));
    Tracer tracer(qHash(config.runId));
    if (!addEmitters(tracer, traces, error))
        return badInput(error);

    return finish(runWriter(input, config, tracer, jsonProgress(emitLine)));
}
