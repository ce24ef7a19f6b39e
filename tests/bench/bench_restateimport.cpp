// SPDX-License-Identifier: MIT
// The Restate importer at scale: a real restate-server holding 10k invocations of ~10 journal
// entries each (a service of four durable steps: Input, 4 x Run + completion, Output), read
// live through the admin API (queries issued, wall time; goal <= 2 s here) and from the snapshot
// folder that fetch saved. TT_BENCH_INVOCATIONS changes the count.
#include "agents/restate/endpoint.h"
#include "engine/restate/restateserver.h"
#include "importers/restate/adminclient.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

using namespace tt;

struct Fixture
{
    engine::RestateServer restate;
    restate::Endpoint endpoint;
    QTemporaryDir dir;
    int invocations = 10000;
    std::string snapshotFolder;
};

Fixture* g_fixture = nullptr;

bool populate(Fixture& fixture, std::string& error)
{
    QString problem;
    if (!fixture.restate.start(problem)) {
        error = problem.toStdString();
        return false;
    }
    restate::ServiceDefinition service;
    service.name = "Steps";
    service.handlers.push_back({ "run", [](restate::Context& ctx) {
                                    std::string out;
                                    for (const char* step : { "call LLM", "read_multiple_files",
                                             "call LLM", "save_report" })
                                        out = ctx.run(step, [&] { return ctx.input(); });
                                    return out;
                                } });
    fixture.endpoint.addService(std::move(service));
    if (!fixture.endpoint.start(error))
        return false;
    if (fixture.restate.registerDeployment(QString::fromStdString(fixture.endpoint.url()), problem)
            .isEmpty()) {
        error = problem.toStdString();
        return false;
    }
    // Send them all (/send returns at once), from a few threads, then wait for completion.
    const auto started = std::chrono::steady_clock::now();
    std::atomic<int> next { 0 }, failed { 0 };
    std::vector<std::thread> senders;
    for (int t = 0; t < 8; ++t)
        senders.emplace_back([&] {
            httplib::Client client("127.0.0.1", fixture.restate.ingressPort());
            while (next++ < fixture.invocations) {
                auto answer = client.Post("/Steps/run/send", "\"note\"", "application/json");
                if (!answer || answer->status != 202)
                    ++failed;
            }
        });
    for (auto& sender : senders)
        sender.join();
    if (failed > 0) {
        error = std::to_string(failed.load()) + " invocations could not be sent";
        return false;
    }
    for (int waited = 0; waited < 1200; ++waited) {
        int status = 0;
        const QByteArray rows = fixture.restate.query(
            QStringLiteral("SELECT count(*) AS n FROM sys_invocation WHERE status = 'completed'"),
            status);
        const auto parsed = nlohmann::json::parse(rows.toStdString(), nullptr, false);
        const int done
            = parsed.is_object() && !parsed.value("rows", nlohmann::json::array()).empty()
            ? parsed["rows"][0].value("n", 0)
            : 0;
        if (done >= fixture.invocations)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "bench_restateimport: %d invocations completed in %.1f s\n",
        fixture.invocations, seconds);
    return true;
}

void liveFetch(benchmark::State& state)
{
    Fixture& fixture = *g_fixture;
    importers::restate::FetchOptions options;
    options.pageSize = int(state.range(0));
    int queries = 0;
    size_t spans = 0;
    for (auto _ : state) {
        importers::restate::AdminClient client(fixture.restate.adminUrl().toStdString());
        const auto fetched = client.fetch({}, options);
        if (!fetched.complete || fetched.invocations < fixture.invocations) {
            state.SkipWithError(
                fetched.error.empty() ? "fewer invocations than sent" : fetched.error.c_str());
            return;
        }
        const auto result = importers::restate::importSnapshot(fetched.snapshot, "live");
        queries = fetched.queries;
        spans = result.spanCount();
        if (fixture.snapshotFolder.empty()) {
            fixture.snapshotFolder = fixture.dir.filePath(QStringLiteral("snapshot")).toStdString();
            std::string error;
            importers::restate::saveSnapshot(fetched.snapshot, fixture.snapshotFolder, error);
        }
    }
    state.counters["queries"] = queries;
    state.counters["invocations"] = fixture.invocations;
    state.counters["spans"] = double(spans);
}

void snapshotImport(benchmark::State& state)
{
    Fixture& fixture = *g_fixture;
    if (fixture.snapshotFolder.empty()) {
        state.SkipWithError("no snapshot (run liveFetch first)");
        return;
    }
    size_t spans = 0;
    for (auto _ : state)
        spans = importers::restate::importSnapshotFolder(fixture.snapshotFolder).spanCount();
    state.counters["spans"] = double(spans);
}

} // namespace

BENCHMARK(liveFetch)
    ->Arg(1000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK(snapshotImport)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // QProcess needs one
    benchmark::Initialize(&argc, argv);
    Fixture fixture;
    if (const char* count = std::getenv("TT_BENCH_INVOCATIONS"))
        fixture.invocations = std::max(1, std::atoi(count));
    std::string error;
    if (!populate(fixture, error)) {
        std::fprintf(stderr, "bench_restateimport: %s\n", error.c_str());
        return 1;
    }
    g_fixture = &fixture;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    fixture.endpoint.stop();
    fixture.restate.stop();
    return 0;
}
