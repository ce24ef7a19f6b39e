// SPDX-License-Identifier: MIT
// Painting one timeline pane (1600 x 600, as in the window) with 100k and 1M spans at several
// zoom levels: everything (fit), a tenth, a thousandth and a millionth of the run. The goal is
// 16 ms a frame; culling (binary search per lane) and merging sub-pixel spans keep it there.
// Then the window's path for a 1M-span file: import, lanes, and the first paint.
#include "generate.h"

#include "gui/timeline/pairview.h"
#include "gui/timeline/timelinepane.h"
#include "importers/common/files.h"
#include "importers/timeline/tracebuilder.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>

namespace {

using namespace tt;

// One long Writer-like run: an agent span, then LLM calls, tool calls and failed attempts at
// depth 1 with log lines at depth 2, 1 ms to 2 s long, end to end. One trace, n spans.
std::shared_ptr<const gui::PaneRun> longRun(size_t n)
{
    static std::map<size_t, std::shared_ptr<const gui::PaneRun>> cache;
    if (auto it = cache.find(n); it != cache.end())
        return it->second;
    timeline::TraceSetBuilder builder(timeline::Source::OpenAi, "bench");
    std::vector<std::string> ids(n);
    int64_t t = 0;
    timeline::SpanInput root;
    root.traceId = "t";
    root.id = "root";
    root.kind = timeline::SpanKind::Agent;
    root.name = "writer_agent";
    builder.addSpan(root);
    for (size_t i = 1; i < n; ++i) {
        timeline::SpanInput in;
        in.traceId = "t";
        ids[i] = "s" + std::to_string(i);
        in.id = ids[i];
        const bool log = i % 4 == 3;
        in.parentId = log ? ids[i - 1] : std::string_view("root");
        const int pick = int(i % 7);
        in.kind = log  ? timeline::SpanKind::LogLine
            : pick < 3 ? timeline::SpanKind::LlmCall
                       : timeline::SpanKind::ToolCall;
        in.name = log ? "log" : pick < 3 ? "Generation" : "read_multiple_files";
        const int64_t duration = 1'000'000 + int64_t((i * 7919) % 2000) * 1'000'000;
        in.startNs = log ? t - duration / 2 : t;
        in.endNs = log ? t - duration / 4 : t + duration;
        if (i % 50 == 0)
            in.error = "HTTP 503";
        if (!log)
            t += duration + 100'000;
        builder.addSpan(in);
    }
    auto result = builder.finish();
    timeline::RunView view("bench");
    view.addTrace(std::make_shared<const timeline::Trace>(std::move(result.traces.at(0))));
    auto pane = gui::makePaneRun(std::move(view), QStringLiteral("bench"));
    cache[n] = pane;
    return pane;
}

// The window's left pane, 1600 x 600, showing a run (fitted).
struct ShownPane
{
    gui::PairView pair;
    gui::TimelinePane* pane;
    explicit ShownPane(std::shared_ptr<const gui::PaneRun> run)
        : pane(pair.pane(0))
    {
        pair.resize(1600, 1300);
        pair.setRun(0, std::move(run));
        pane->resize(1600, 600);
        pair.fit();
    }
};

void paintPane(benchmark::State& state)
{
    const size_t spans = size_t(state.range(0));
    const double visibleFraction = 1.0 / double(state.range(1));
    const auto run = longRun(spans);
    ShownPane shownPane(run);
    gui::PairView& pair = shownPane.pair;
    gui::TimelinePane* pane = shownPane.pane;
    const int64_t start = run->run.startNs();
    const int64_t duration = run->run.endNs() - start;
    const int width = 1600 - gui::TimelinePane::kLabelWidth - 8;
    // The window shown: visibleFraction of the run, in its middle.
    const int64_t shown = std::max<int64_t>(1000, int64_t(double(duration) * visibleFraction));
    pair.controller()->setView(duration / 2 - shown / 2, double(shown) / width);
    QImage image(pane->size(), QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        QPainter painter(&image);
        pane->render(&painter);
    }
    state.counters["spans"] = double(spans);
}

// What painting costs without culling and merging: every span of every lane drawn, at the fit
// zoom, into the same image. The comparison point for paintPane/N/1.
void paintEverySpan(benchmark::State& state)
{
    const size_t spans = size_t(state.range(0));
    const auto run = longRun(spans);
    ShownPane shown(run);
    gui::TimelinePane* pane = shown.pane;
    QImage image(pane->size(), QImage::Format_ARGB32_Premultiplied);
    const auto& track = run->run.tracks()[0];
    for (auto _ : state) {
        QPainter painter(&image);
        int laneIndex = 0;
        for (const auto& lane : run->lanes.lanes) {
            const double top = 46 + 18 * laneIndex++;
            for (int32_t index : lane.spans) {
                const auto& span = track.trace->spans[size_t(index)];
                const double x0 = pane->xOfDisplay(pane->displayOf(span.startNs + track.offsetNs));
                const double x1 = pane->xOfDisplay(pane->displayOf(span.endNs + track.offsetNs));
                painter.fillRect(QRectF(x0, top, std::max(2.0, x1 - x0), 15), Qt::blue);
            }
        }
    }
    state.counters["spans"] = double(spans);
}

// The window's path for a 1M-span OpenAI file (100k Writer runs of ten spans): import, lanes
// and steps for the pane, and its first paint.
void importAndFirstPaint(benchmark::State& state)
{
    const std::string dir = (std::filesystem::temp_directory_path() / "twintrace-bench").string();
    std::filesystem::create_directories(dir);
    const std::string file = bench::openAiJsonLines(dir, size_t(state.range(0)));
    using Clock = std::chrono::steady_clock;
    const auto ms
        = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    double importMs = 0, laneMs = 0, paintMs = 0;
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto result = importers::importPath(file);
        const auto t1 = Clock::now();
        timeline::RunView view("file");
        for (auto& trace : result.traces)
            view.addTrace(std::make_shared<const timeline::Trace>(std::move(trace)));
        auto run = gui::makePaneRun(std::move(view), QStringLiteral("file"));
        const auto t2 = Clock::now();
        ShownPane shown(run);
        QImage image(shown.pane->size(), QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&image);
        shown.pane->render(&painter);
        benchmark::DoNotOptimize(image.bits());
        const auto t3 = Clock::now();
        importMs += ms(t1 - t0);
        laneMs += ms(t2 - t1);
        paintMs += ms(t3 - t2);
    }
    const double n = double(state.iterations());
    state.counters["import_ms"] = importMs / n;
    state.counters["run_and_lanes_ms"] = laneMs / n;
    state.counters["first_paint_ms"] = paintMs / n;
    state.counters["spans"] = double(state.range(0));
}

} // namespace

// spans x (1 / visible fraction)
BENCHMARK(paintPane)
    ->ArgsProduct({ { 100'000, 1'000'000 }, { 1, 10, 1000, 1'000'000 } })
    ->Unit(benchmark::kMillisecond);
BENCHMARK(paintEverySpan)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(importAndFirstPaint)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
