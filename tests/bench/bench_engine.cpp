// SPDX-License-Identifier: MIT
// What the experiment engine adds around each run (folders, process start, waiting, collecting
// the results; goal <= 10 ms for both variants), measured on real runs of both Writers with the
// stand-in's latency off, one run at a time; and the same experiment (same seed) one run at a
// time and with the default parallelism side by side: their success rates and median times must
// agree (their 95 % intervals overlap).
#include "engine/experiment/runner.h"
#include "engine/experiment/stats.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstdio>

namespace {

using namespace tt::engine;

std::vector<RunRecord> experiment(
    const QString& out, int runs, double timeScale, int parallel, QString& error)
{
    ExperimentOptions options;
    options.scenarios = { QStringLiteral("nominal"), QStringLiteral("transient-llm-k3") };
    options.runs = runs;
    options.timeScale = timeScale;
    options.outDir = out;
    options.parallel = parallel;
    const auto catalog = loadCatalog(defaultCatalogPath(), error);
    if (!catalog)
        return {};
    ExperimentRunner runner(options, *catalog);
    if (!runner.run(error))
        return {};
    ResultStore store;
    store.open(out, error);
    return store.runs();
}

void engineOverhead(benchmark::State& state)
{
    QTemporaryDir dir;
    std::vector<RunRecord> runs;
    for (auto _ : state) {
        QString error;
        runs = experiment(dir.filePath(QStringLiteral("a")), 5, 0, 1, error);
        if (runs.empty()) {
            state.SkipWithError(error.toUtf8().constData());
            return;
        }
    }
    for (const char* variant : { "baseline", "restate" }) {
        std::vector<double> engine, wall;
        for (const RunRecord& r : runs)
            if (r.variant == QLatin1String(variant) && r.scenario == QLatin1String("nominal")) {
                engine.push_back(r.engineMs);
                wall.push_back(r.wallMs);
            }
        state.counters[std::string(variant) + "_engine_ms_median"] = percentile(engine, 0.5);
        state.counters[std::string(variant) + "_run_ms_median"] = percentile(wall, 0.5);
    }
}

void identicalExperimentsAgree(benchmark::State& state)
{
    QTemporaryDir dir;
    Summary first, second;
    for (auto _ : state) {
        QString error;
        // With the latency model on at a tenth of its scale: runs of ~0.5 s, not ~10 ms that
        // any hiccup of the machine would dominate.
        // Folder names of one length: the Writer's prompt holds the path, and the stand-in's
        // latency follows the prompt's length.
        const auto a = experiment(dir.filePath(QStringLiteral("alone")), 5, 0.1, 1, error);
        const auto b = experiment(dir.filePath(QStringLiteral("lanes")), 5, 0.1, 0, error);
        if (a.empty() || b.empty()) {
            state.SkipWithError(error.toUtf8().constData());
            return;
        }
        SummaryInputs inputs;
        inputs.runs = a;
        first = summarize(inputs);
        inputs.runs = b;
        second = summarize(inputs);
    }
    int agreeing = 0, cells = 0;
    for (size_t i = 0; i < first.cells.size() && i < second.cells.size(); ++i) {
        const CellSummary& x = first.cells[i];
        const CellSummary& y = second.cells[i];
        ++cells;
        const bool rates
            = x.successRate.value >= y.successRate.low && x.successRate.value <= y.successRate.high;
        const bool times = x.successes == 0
            || (x.wallMedian.value >= y.wallMedian.low * 0.98
                && x.wallMedian.value <= y.wallMedian.high * 1.02);
        agreeing += rates && times;
        std::fprintf(stderr,
            "%s/%s: success %.0f%% vs %.0f%% [%.0f, %.0f]; median %.0f ms vs %.0f ms [%.0f, "
            "%.0f]\n",
            qPrintable(x.scenario), qPrintable(x.variant), x.successRate.value * 100,
            y.successRate.value * 100, y.successRate.low * 100, y.successRate.high * 100,
            x.wallMedian.value, y.wallMedian.value, y.wallMedian.low, y.wallMedian.high);
    }
    state.counters["cells"] = cells;
    state.counters["cells_agreeing"] = agreeing;
}

} // namespace

BENCHMARK(engineOverhead)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(identicalExperimentsAgree)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // QProcess and Qt Sql need one
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
