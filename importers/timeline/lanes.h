// SPDX-License-Identifier: MIT
#pragma once

#include "runview.h"

#include <string>
#include <vector>

namespace tt::timeline {

// What a lane shows, so that the window can title, order and hide them.
enum class LaneGroup : uint8_t
{
    Lifecycle, // Restate: pending, running, backing-off, suspended...
    Journal, // Restate: the invocation, its commands and failed attempts
    Spans, // OpenAI Agents spans, LangSmith runs
    Logs, // log files
    Gpu,
};
std::string_view toString(LaneGroup group);

// One horizontal row of the timeline: spans of one track that never overlap, sorted by start
// (so their ends are sorted too, and the visible ones are found by binary search).
struct Lane
{
    int32_t track = 0; // index into RunView::tracks()
    LaneGroup group = LaneGroup::Spans;
    uint16_t depth = 0;
    std::string title; // "Restate journal", "LangSmith · attempt 2" (a restarted Writer)
    std::vector<int32_t> spans; // indices into the track's trace
    // errorsBefore[i]: how many of spans[0..i) carry an error, so that a run of sub-pixel spans
    // merged into one mark knows in O(1) whether to show an error.
    std::vector<int32_t> errorsBefore;

    // The first span (position in `spans`) that ends at or after t, given the track's trace.
    size_t firstEndingAfter(const Trace& trace, int64_t t) const;
    bool hasErrorIn(size_t from, size_t to) const { return errorsBefore[to] > errorsBefore[from]; }
};

struct LaneLayout
{
    std::vector<Lane> lanes;
    size_t spanCount() const;
};

// Lays a run's traces out in lanes: one block of lanes per source (Restate lifecycle and journal
// apart), one lane per nesting depth, and extra lanes where spans of one depth overlap (parallel
// tool calls, a retry beside its command). Spans keep their trace order within a lane.
LaneLayout layoutLanes(const RunView& run);

} // namespace tt::timeline
