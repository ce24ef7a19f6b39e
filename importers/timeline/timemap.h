// SPDX-License-Identifier: MIT
#pragma once

#include "alignment.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace tt::timeline {

// How the window places a run's time on screen: display time = f(run time), monotonic and
// piecewise linear. Outside its points it runs parallel to the run's clock.
class TimeMap
{
public:
    // display = run - origin: "from start" (origin = the run's start) or "absolute" (origin shared
    // by both panes).
    static TimeMap shifted(int64_t origin);
    // Through the given (run, display) points, which must not decrease in either coordinate.
    static TimeMap through(std::vector<std::pair<int64_t, int64_t>> points);

    int64_t toDisplay(int64_t runNs) const;
    int64_t toRun(int64_t displayNs) const;
    const std::vector<std::pair<int64_t, int64_t>>& points() const { return m_points; }

private:
    std::vector<std::pair<int64_t, int64_t>> m_points; // (run, display), at least one
};

// "Aligned by step": both runs' matched steps start at the same display time, and end at the
// same display time, so a matched row is a vertical band across both panes. Between two
// anchors, the side with less to show is stretched to the other's length (a retry or an extra
// step on one side opens a gap on the other). Display time 0 is both runs' start.
std::pair<TimeMap, TimeMap> alignByStep(const std::vector<Step>& left, int64_t leftStartNs,
    const std::vector<Step>& right, int64_t rightStartNs, const std::vector<AlignedRow>& rows);

} // namespace tt::timeline
