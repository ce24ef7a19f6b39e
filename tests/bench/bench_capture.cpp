// SPDX-License-Identifier: MIT
// What one large ingest body costs the capture server: its peak memory per MB of body, and what
// it still holds after answering. One body per process (the peak, VmHWM, only ever grows), sent
// from a 1 MB buffer so that the client adds nothing.
#include "importers/capture/captureserver.h"
#include "tests/net/rawclient.h"

#include <benchmark/benchmark.h>

#include <filesystem>

namespace {

void captureIngestBody(benchmark::State& state)
{
    const size_t megabytes = size_t(state.range(0));
    const std::string dir = (std::filesystem::temp_directory_path()
        / ("tt-bench-capture-" + std::to_string(::getpid())))
                                .string();
    for (auto _ : state) {
        tt::importers::capture::CaptureServer server;
        std::string error;
        if (!server.start(0, dir, error)) {
            state.SkipWithError(error.c_str());
            return;
        }
        const long rssBefore = tt::testing::memoryKiB("VmRSS");
        const long peakBefore = std::max(rssBefore, tt::testing::memoryKiB("VmHWM"));
        size_t bodyBytes = 0;
        if (tt::testing::postIngestSpans(server.port(), megabytes, bodyBytes) != 200) {
            state.SkipWithError("the body was not accepted");
            return;
        }
        const double bodyMiB = double(bodyBytes) / double(1 << 20);
        state.counters["body_MiB"] = bodyMiB;
        state.counters["peak_MiB_per_body_MiB"]
            = double(tt::testing::memoryKiB("VmHWM") - peakBefore) / 1024 / bodyMiB;
        state.counters["held_MiB_after"]
            = double(tt::testing::memoryKiB("VmRSS") - rssBefore) / 1024;
        server.stop();
        std::filesystem::remove_all(dir);
    }
}

} // namespace

BENCHMARK(captureIngestBody)->Arg(200)->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
