// SPDX-License-Identifier: MIT
// What durability costs. Side by side in one run: a whole Writer run in place (the baseline) and
// the same run through the real restate-server and our endpoint (the durable Writer), both against
// the stand-in with its latency model off, so the difference is Restate's: a round trip and a
// journal write per step. Plus the endpoint's own cost per attempt: parsing a journal of N steps
// and replaying it to the output.
#include "agents/durable/durablewriter.h"
#include "agents/llm/server.h"
#include "agents/restate/context.h"
#include "agents/writer/writer.h"
#include "engine/restate/restateserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <httplib.h>

namespace {

using nlohmann::json;

// A journal of `steps` completed runs, as the runtime sends it on the last attempt.
std::string journalBody(int steps)
{
    using namespace tt::restate;
    std::string entries;
    pb::InputCommandMessage input;
    input.mutable_value()->set_content(std::string(2000, 'q'));
    appendFrame(entries, MessageType::InputCommand, input);
    for (int i = 1; i <= steps; ++i) {
        pb::RunCommandMessage command;
        command.set_name("call LLM");
        command.set_result_completion_id(uint32_t(i));
        appendFrame(entries, MessageType::RunCommand, command);
        pb::NotificationTemplate result;
        result.set_completion_id(uint32_t(i));
        result.mutable_value()->set_content(std::string(4000, 'r'));
        appendFrame(entries, MessageType::RunCompletion, result);
    }
    pb::StartMessage start;
    start.set_debug_id("inv_bench");
    start.set_known_entries(uint32_t(1 + 2 * steps));
    std::string body;
    appendFrame(body, MessageType::Start, start);
    return body + entries;
}

void replayJournal(benchmark::State& state)
{
    using namespace tt::restate;
    const int steps = int(state.range(0));
    const std::string body = journalBody(steps);
    const Handler handler = [steps](Context& ctx) {
        std::string last;
        for (int i = 0; i < steps; ++i)
            last = ctx.run("call LLM", [] { return std::string("fresh"); });
        return last;
    };
    for (auto _ : state) {
        Journal journal;
        std::string error;
        if (!parseJournal(body, journal, error, 32u << 20)) {
            state.SkipWithError(error.c_str());
            return;
        }
        std::string out;
        const AttemptEnd end = runAttempt(journal, handler, [&](std::string_view bytes) {
            out.append(bytes);
            return true;
        });
        if (end.kind != AttemptEnd::Kind::Output) {
            state.SkipWithError("the replay did not reach the output");
            return;
        }
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(body.size()));
}

// Everything both Writer benchmarks share: the stand-in, the run folder, and the durable side.
struct Bench
{
    tt::llm::LlmServer llm { [] {
        tt::llm::ServerConfig config;
        config.scenario.latency.scale = 0;
        return config;
    }() };
    QTemporaryDir dir;
    tt::engine::RestateServer restate;
    std::unique_ptr<tt::restate::Endpoint> endpoint;
    std::string error;

    bool start()
    {
        if (!llm.start(error))
            return false;
        QDir(dir.path()).mkpath(QStringLiteral("tmp"));
        for (const char* name : { "tmp/notes_memory.txt", "tmp/notes_tools.txt" }) {
            QFile file(dir.filePath(QLatin1String(name)));
            file.open(QIODevice::WriteOnly);
            file.write(QByteArray("A research note of a few hundred bytes. ").repeated(8));
        }
        return true;
    }

    tt::writer::WriterConfig config() const
    {
        tt::writer::WriterConfig config;
        config.llmUrl = QStringLiteral("http://127.0.0.1:%1").arg(llm.port());
        return config;
    }

    json input() const
    {
        return { { "query", "Durable execution for LLM agents" },
            { "temp_dir", dir.filePath(QStringLiteral("tmp")).toStdString() },
            { "files", { "notes_memory.txt", "notes_tools.txt" } },
            { "output_dir", dir.filePath(QStringLiteral("out")).toStdString() } };
    }

    bool startDurable()
    {
        QString problem;
        if (!restate.start(problem)) {
            error = problem.toStdString();
            return false;
        }
        tt::durable::DurableWriterOptions options;
        options.writer = config();
        endpoint = std::make_unique<tt::restate::Endpoint>();
        endpoint->addService(tt::durable::writerService(options));
        if (!endpoint->start(error))
            return false;
        if (restate.registerDeployment(QString::fromStdString(endpoint->url()), problem)
                .isEmpty()) {
            error = problem.toStdString();
            return false;
        }
        return true;
    }
};

Bench* g_bench = nullptr;

void baselineRun(benchmark::State& state)
{
    tt::writer::WriterInput input;
    const json in = g_bench->input();
    input.query = QString::fromStdString(in["query"]);
    input.tempDir = QString::fromStdString(in["temp_dir"]);
    input.files = { QStringLiteral("notes_memory.txt"), QStringLiteral("notes_tools.txt") };
    input.outputDir = QString::fromStdString(in["output_dir"]);
    const tt::writer::WriterConfig config = g_bench->config();
    for (auto _ : state) {
        tt::writer::Tracer tracer(1);
        const auto result = tt::writer::runWriter(input, config, tracer);
        if (result.outcome != tt::writer::Outcome::Success) {
            state.SkipWithError(result.message.toUtf8().constData());
            return;
        }
    }
}

void durableRun(benchmark::State& state)
{
    httplib::Client ingress("127.0.0.1", g_bench->restate.ingressPort());
    ingress.set_read_timeout(60);
    const std::string body = g_bench->input().dump();
    for (auto _ : state) {
        auto answer = ingress.Post("/WriterAgentRestate/run", body, "application/json");
        if (!answer || answer->status != 200) {
            state.SkipWithError(answer ? answer->body.c_str() : "the ingress did not answer");
            return;
        }
    }
    state.counters["steps"] = 4;
}

} // namespace

BENCHMARK(replayJournal)->Arg(4)->Arg(40)->Arg(400)->Unit(benchmark::kMicrosecond);
BENCHMARK(baselineRun)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(durableRun)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // Qt Network and QProcess need one
    benchmark::Initialize(&argc, argv);
    Bench bench;
    if (!bench.start() || !bench.startDurable()) {
        std::fprintf(stderr, "bench_durable: %s\n", bench.error.c_str());
        return 1;
    }
    g_bench = &bench;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    bench.endpoint->stop();
    bench.restate.stop();
    return 0;
}
