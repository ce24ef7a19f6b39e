// SPDX-License-Identifier: MIT
// Import throughput on generated 1M-span files, side by side with python3's json.loads per line
// on the same files in the same run, and the heap each imported span costs.
//   TT_BENCH_SPANS (default 1000000), TT_BENCH_DIR (default /tmp/twintrace-bench)
#include "generate.h"

#include "importers/common/files.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <malloc.h>

namespace {

using tt::importers::Format;

size_t spanCount()
{
    const char* value = std::getenv("TT_BENCH_SPANS");
    return value ? std::strtoull(value, nullptr, 10) : 1'000'000;
}

std::string dataDir()
{
    const char* value = std::getenv("TT_BENCH_DIR");
    std::string dir = value ? value : "/tmp/twintrace-bench";
    std::filesystem::create_directories(dir);
    return dir;
}

std::string fileFor(Format format)
{
    return format == Format::OpenAi ? tt::bench::openAiJsonLines(dataDir(), spanCount())
                                    : tt::bench::langSmithJsonLines(dataDir(), spanCount());
}

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd; // small blocks plus mmapped large ones
}

void importFile(benchmark::State& state, Format format)
{
    const std::string path = fileFor(format);
    std::string error;
    const auto bytes = tt::importers::readFile(path, error);
    if (!bytes) {
        state.SkipWithError(error.c_str());
        return;
    }
    size_t spans = 0;
    size_t heap = 0;
    for (auto _ : state) {
        const size_t before = heapInUse();
        auto result = tt::importers::importBytes(bytes, path, format);
        heap = heapInUse() - before;
        spans = result.spanCount();
        benchmark::DoNotOptimize(result);
        state.PauseTiming(); // freeing the result is not importing
        result = {};
        state.ResumeTiming();
    }
    state.SetBytesProcessed(int64_t(state.iterations() * bytes->size()));
    state.counters["spans"] = double(spans);
    state.counters["spans_per_s"]
        = benchmark::Counter(double(spans * state.iterations()), benchmark::Counter::kIsRate);
    state.counters["heap_B_per_span"] = spans ? double(heap) / double(spans) : 0;
    state.counters["source_B_per_span"] = spans ? double(bytes->size()) / double(spans) : 0;
}

// python3 reads the file line by line and json.loads each one; it reports its own loop time,
// so interpreter start-up is not counted against it.
void pythonJsonLoads(benchmark::State& state, Format format)
{
    const std::string path = fileFor(format);
    const std::string command = "python3 -c \"import json,sys,time\n"
                                "t=time.perf_counter()\n"
                                "n=0\n"
                                "with open(sys.argv[1],'rb') as f:\n"
                                "    for line in f:\n"
                                "        json.loads(line); n+=1\n"
                                "print(time.perf_counter()-t)\" "
        + path;
    for (auto _ : state) {
        FILE* pipe = popen(command.c_str(), "r");
        double seconds = -1;
        if (!pipe || std::fscanf(pipe, "%lf", &seconds) != 1) {
            if (pipe)
                pclose(pipe);
            state.SkipWithError("python3 did not run");
            return;
        }
        pclose(pipe);
        state.SetIterationTime(seconds);
    }
    const auto size = std::filesystem::file_size(path);
    state.SetBytesProcessed(int64_t(state.iterations() * size));
    state.counters["spans_per_s"]
        = benchmark::Counter(double(spanCount() * state.iterations()), benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK_CAPTURE(importFile, openai, Format::OpenAi)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(pythonJsonLoads, openai, Format::OpenAi)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2);
BENCHMARK_CAPTURE(importFile, langsmith, Format::LangSmith)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(pythonJsonLoads, langsmith, Format::LangSmith)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2);

BENCHMARK_MAIN();
