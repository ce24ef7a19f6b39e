// SPDX-License-Identifier: MIT
#include "lanes.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace tt::timeline {

std::string_view toString(LaneGroup group)
{
    switch (group) {
    case LaneGroup::Lifecycle:
        return "lifecycle";
    case LaneGroup::Journal:
        return "journal";
    case LaneGroup::Spans:
        return "spans";
    case LaneGroup::Logs:
        return "logs";
    case LaneGroup::Gpu:
        return "gpu";
    }
    return "spans";
}

size_t Lane::firstEndingAfter(const Trace& trace, int64_t t) const
{
    const auto it = std::partition_point(spans.begin(), spans.end(),
        [&](int32_t index) { return trace.spans[size_t(index)].endNs < t; });
    return size_t(it - spans.begin());
}

size_t LaneLayout::spanCount() const
{
    size_t count = 0;
    for (const Lane& lane : lanes)
        count += lane.spans.size();
    return count;
}

namespace {

LaneGroup groupOf(const Trace& trace, const Span& span)
{
    switch (trace.source) {
    case Source::Restate:
        return trace.spanKind(span) == SpanKind::Lifecycle ? LaneGroup::Lifecycle
                                                           : LaneGroup::Journal;
    case Source::AgenticTraceLog:
    case Source::AgenticRunLog:
        return LaneGroup::Logs;
    case Source::Gpu:
        return LaneGroup::Gpu;
    default:
        return trace.spanKind(span) == SpanKind::GpuSample ? LaneGroup::Gpu : LaneGroup::Spans;
    }
}

std::string sourceTitle(Source source, LaneGroup group)
{
    switch (source) {
    case Source::Restate:
        return group == LaneGroup::Lifecycle ? "Restate lifecycle" : "Restate journal";
    case Source::OpenAi:
        return "OpenAI spans";
    case Source::LangSmith:
        return "LangSmith runs";
    case Source::AgenticTraceLog:
        return "trace.log";
    case Source::AgenticRunLog:
        return "run log";
    case Source::AgenticBenchmark:
        return "benchmark";
    case Source::Gpu:
        return "GPU";
    case Source::LlmRequests:
        return "LLM requests (proxy log)";
    default:
        return std::string(toString(source));
    }
}

// Packs the spans of one (track, group) block: lanes by depth, then the first lane of that
// depth whose last span has ended. Lifecycle states follow each other, so their depth is
// ignored and they share as few lanes as possible.
void packBlock(const Trace& trace, int32_t track, LaneGroup group,
    const std::vector<int32_t>& indices, std::vector<Lane>& out)
{
    struct Open
    {
        Lane lane;
        int64_t lastEnd = INT64_MIN;
    };
    std::map<uint16_t, std::vector<Open>> byDepth;
    for (int32_t index : indices) {
        const Span& span = trace.spans[size_t(index)];
        const uint16_t depth = group == LaneGroup::Lifecycle ? 0 : span.depth;
        auto& lanes = byDepth[depth];
        auto it = std::find_if(lanes.begin(), lanes.end(),
            [&](const Open& open) { return open.lastEnd <= span.startNs; });
        if (it == lanes.end()) {
            lanes.push_back({});
            it = std::prev(lanes.end());
            it->lane.track = track;
            it->lane.group = group;
            it->lane.depth = depth;
        }
        it->lane.spans.push_back(index);
        it->lastEnd = std::max(it->lastEnd, span.endNs);
    }
    bool first = true;
    for (auto& [depth, lanes] : byDepth) {
        for (Open& open : lanes) {
            Lane& lane = open.lane;
            lane.title = first ? sourceTitle(trace.source, group) : std::string();
            first = false;
            lane.errorsBefore.resize(lane.spans.size() + 1);
            lane.errorsBefore[0] = 0;
            for (size_t i = 0; i < lane.spans.size(); ++i)
                lane.errorsBefore[i + 1] = lane.errorsBefore[i]
                    + (trace.spans[size_t(lane.spans[i])].hasError() ? 1 : 0);
            out.push_back(std::move(lane));
        }
    }
}

// A source with several traces in one run (a Writer restarted after a crash writes a new
// LangSmith root): their lanes say which attempt each is.
void nameAttempts(const RunView& run, std::vector<Lane>& lanes)
{
    const auto& tracks = run.tracks();
    std::map<std::pair<Source, LaneGroup>, std::vector<int32_t>> tracksOf;
    for (const Lane& lane : lanes)
        if (!lane.title.empty())
            tracksOf[{ tracks[size_t(lane.track)].trace->source, lane.group }].push_back(
                lane.track);
    for (auto& [key, same] : tracksOf) {
        if (same.size() < 2)
            continue;
        // By end: a restarted durable Writer's trace keeps the run's first start time, while the
        // attempt that was killed ended first.
        std::stable_sort(same.begin(), same.end(), [&](int32_t a, int32_t b) {
            return tracks[size_t(a)].trace->endNs + tracks[size_t(a)].offsetNs
                < tracks[size_t(b)].trace->endNs + tracks[size_t(b)].offsetNs;
        });
        for (Lane& lane : lanes)
            if (!lane.title.empty()
                && std::pair(tracks[size_t(lane.track)].trace->source, lane.group) == key) {
                const auto position = std::find(same.begin(), same.end(), lane.track);
                // "LangSmith · attempt 2": short enough for the lane's title column.
                for (const char* noun : { " runs", " spans" })
                    if (lane.title.size() > strlen(noun)
                        && lane.title.compare(lane.title.size() - strlen(noun), strlen(noun), noun)
                            == 0)
                        lane.title.resize(lane.title.size() - strlen(noun));
                lane.title += " · attempt " + std::to_string(position - same.begin() + 1);
            }
    }
}

} // namespace

LaneLayout layoutLanes(const RunView& run)
{
    LaneLayout layout;
    const auto& tracks = run.tracks();
    for (size_t t = 0; t < tracks.size(); ++t) {
        const Trace& trace = *tracks[t].trace;
        std::map<LaneGroup, std::vector<int32_t>> groups;
        for (size_t i = 0; i < trace.spans.size(); ++i)
            groups[groupOf(trace, trace.spans[i])].push_back(int32_t(i));
        for (const auto& [group, indices] : groups)
            packBlock(trace, int32_t(t), group, indices, layout.lanes);
    }
    nameAttempts(run, layout.lanes);
    // The durable side's journal first, then spans, logs and GPU: the steps people compare lead.
    std::stable_sort(layout.lanes.begin(), layout.lanes.end(), [](const Lane& a, const Lane& b) {
        const auto rank = [](LaneGroup g) {
            return g == LaneGroup::Journal ? 0 : g == LaneGroup::Lifecycle ? 1 : int(g) + 1;
        };
        return rank(a.group) < rank(b.group);
    });
    return layout;
}

} // namespace tt::timeline
