// SPDX-License-Identifier: MIT
// The LLM stand-in with its latency model off: requests per second, and the latency proxy mode
// adds (p50, p99) over asking the same stand-in directly, side by side in one run.
#include "agents/llm/server.h"

#include <benchmark/benchmark.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <memory>

namespace {

using namespace tt::llm;

const char* kRequest = R"({"model":"gpt-oss-20b","messages":[
  {"role":"system","content":"You are the writer agent."},
  {"role":"user","content":"<research_request>Durable execution</research_request>\nSearch results:\n- /tmp/run/a.txt\n- /tmp/run/b.txt"}]})";

std::unique_ptr<LlmServer> start(const std::string& upstream = {})
{
    ServerConfig config;
    config.scenario.latency.scale = 0;
    config.upstream = upstream;
    auto server = std::make_unique<LlmServer>(config);
    std::string error;
    if (!server->start(error))
        return nullptr;
    return server;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

std::vector<double> latenciesUs(int port, int count)
{
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    std::vector<double> out;
    out.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto result = client.Post("/v1/chat/completions", kRequest, "application/json");
        const auto end = std::chrono::steady_clock::now();
        if (result && result->status == 200)
            out.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    return out;
}

void standInRequests(benchmark::State& state)
{
    auto server = start();
    httplib::Client client("127.0.0.1", server->port());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    for (auto _ : state) {
        auto result = client.Post("/v1/chat/completions", kRequest, "application/json");
        if (!result || result->status != 200) {
            state.SkipWithError("request failed");
            break;
        }
    }
    state.counters["requests_per_s"]
        = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void proxyAddedLatency(benchmark::State& state)
{
    auto upstream = start();
    auto proxy = start("http://127.0.0.1:" + std::to_string(upstream->port()));
    std::vector<double> direct, proxied;
    for (auto _ : state) {
        // Interleaved batches so both see the same machine load.
        for (int round = 0; round < 10; ++round) {
            auto d = latenciesUs(upstream->port(), 200);
            auto p = latenciesUs(proxy->port(), 200);
            direct.insert(direct.end(), d.begin(), d.end());
            proxied.insert(proxied.end(), p.begin(), p.end());
        }
    }
    state.counters["direct_p50_us"] = percentile(direct, 0.50);
    state.counters["proxy_p50_us"] = percentile(proxied, 0.50);
    state.counters["added_p50_us"] = percentile(proxied, 0.50) - percentile(direct, 0.50);
    state.counters["direct_p99_us"] = percentile(direct, 0.99);
    state.counters["proxy_p99_us"] = percentile(proxied, 0.99);
    state.counters["added_p99_us"] = percentile(proxied, 0.99) - percentile(direct, 0.99);
}

} // namespace

BENCHMARK(standInRequests)->Unit(benchmark::kMicrosecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(proxyAddedLatency)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

BENCHMARK_MAIN();
