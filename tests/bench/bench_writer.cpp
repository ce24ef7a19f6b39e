// SPDX-License-Identifier: MIT
// The Writer's own cost per run outside the LLM calls: a whole run against the stand-in with its
// latency model off, minus the time spent inside chat completion calls. With and without the
// three trace emitters writing their files.
#include "agents/llm/server.h"
#include "agents/writer/emitters.h"
#include "agents/writer/writer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

namespace {

using namespace tt::writer;

void writerRun(benchmark::State& state, bool traces)
{
    tt::llm::ServerConfig serverConfig;
    serverConfig.scenario.latency.scale = 0;
    tt::llm::LlmServer llm(serverConfig);
    std::string error;
    if (!llm.start(error)) {
        state.SkipWithError(error.c_str());
        return;
    }
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("tmp"));
    for (const char* name : { "tmp/notes_memory.txt", "tmp/notes_tools.txt" }) {
        QFile file(dir.filePath(QLatin1String(name)));
        file.open(QIODevice::WriteOnly);
        file.write(QByteArray("A research note of a few hundred bytes. ").repeated(8));
    }
    WriterInput input;
    input.query = QStringLiteral("Durable execution for LLM agents");
    input.tempDir = dir.filePath(QStringLiteral("tmp"));
    input.files = { QStringLiteral("notes_memory.txt"), QStringLiteral("notes_tools.txt") };
    input.outputDir = dir.filePath(QStringLiteral("out"));
    WriterConfig config;
    config.llmUrl = QStringLiteral("http://127.0.0.1:%1").arg(llm.port());
    double wallMs = 0, llmMs = 0;
    for (auto _ : state) {
        Tracer tracer(1);
        EmitterSettings settings;
        if (traces) {
            settings.openAiJsonl = dir.filePath(QStringLiteral("openai.jsonl"));
            settings.langSmithJsonl = dir.filePath(QStringLiteral("langsmith.jsonl"));
            settings.traceLog = dir.filePath(QStringLiteral("trace.log"));
        }
        QString problem;
        addEmitters(tracer, settings, problem);
        const WriterOutcome result = runWriter(input, config, tracer);
        if (result.outcome != Outcome::Success) {
            state.SkipWithError(result.message.toUtf8().constData());
            return;
        }
        wallMs += result.wallMs;
        llmMs += result.llmMs;
    }
    const double runs = double(state.iterations());
    state.counters["wall_ms"] = wallMs / runs;
    state.counters["llm_ms"] = llmMs / runs;
    state.counters["writer_ms"] = (wallMs - llmMs) / runs;
}

} // namespace

BENCHMARK_CAPTURE(writerRun, no_traces, false)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)
    ->UseRealTime();
BENCHMARK_CAPTURE(writerRun, three_emitters, true)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)
    ->UseRealTime();

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // Qt Network needs one
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
