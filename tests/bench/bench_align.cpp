// SPDX-License-Identifier: MIT
// Alignment of two runs of N steps, from 1k to 100k: with a fixed number of edits (d constant)
// and with 1 % of the steps edited (d grows with N, so O((n+m)*d) grows as N^2).
#include "importers/timeline/alignment.h"

#include <benchmark/benchmark.h>

#include <map>
#include <random>

namespace {

using namespace tt::timeline;

// Writer-like steps: llm_call, a tool, llm_call, with a few tool names, numbered per name.
std::vector<Step> makeRun(size_t n)
{
    static const char* tools[] = { "read_multiple_files", "save_report", "list_directory" };
    std::vector<Step> steps;
    std::map<std::string, int> occurrences;
    for (size_t i = 0; i < n; ++i) {
        Step s;
        const bool llm = i % 3 != 1;
        s.kind = llm ? SpanKind::LlmCall : SpanKind::ToolCall;
        s.name = llm ? "llm_call" : tools[(i / 3) % 3];
        s.occurrence = ++occurrences[s.name];
        s.startNs = int64_t(i) * 1'000'000;
        s.endNs = s.startNs + 900'000;
        steps.push_back(std::move(s));
    }
    return steps;
}

// Inserts or removes `edits` steps at seeded positions, then renumbers occurrences.
std::vector<Step> edited(std::vector<Step> steps, size_t edits)
{
    std::mt19937 random(7);
    for (size_t e = 0; e < edits && !steps.empty(); ++e) {
        const size_t at = random() % steps.size();
        if (e % 2 == 0)
            steps.insert(steps.begin() + long(at), steps[at]);
        else
            steps.erase(steps.begin() + long(at));
    }
    std::map<std::string, int> occurrences;
    for (auto& s : steps)
        s.occurrence = ++occurrences[s.name];
    return steps;
}

void alignFixedEdits(benchmark::State& state)
{
    const auto left = makeRun(size_t(state.range(0)));
    const auto right = edited(left, 10);
    for (auto _ : state)
        benchmark::DoNotOptimize(alignSteps(left, right));
    state.SetComplexityN(state.range(0));
}

void alignOnePercentEdits(benchmark::State& state)
{
    const auto left = makeRun(size_t(state.range(0)));
    const auto right = edited(left, size_t(state.range(0)) / 100);
    for (auto _ : state)
        benchmark::DoNotOptimize(alignSteps(left, right));
    state.SetComplexityN(state.range(0));
}

} // namespace

BENCHMARK(alignFixedEdits)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();
BENCHMARK(alignOnePercentEdits)
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(10000)
    ->Arg(30000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

BENCHMARK_MAIN();
