// SPDX-License-Identifier: MIT
#include "timemap.h"

#include <algorithm>

namespace tt::timeline {

TimeMap TimeMap::shifted(int64_t origin)
{
    TimeMap map;
    map.m_points = { { origin, 0 } };
    return map;
}

TimeMap TimeMap::through(std::vector<std::pair<int64_t, int64_t>> points)
{
    TimeMap map;
    map.m_points = points.empty() ? std::vector<std::pair<int64_t, int64_t>> { { 0, 0 } }
                                  : std::move(points);
    return map;
}

namespace {

// Interpolates along the points from coordinate `from` to coordinate `to` (first or second).
template <int From, int To>
int64_t interpolate(const std::vector<std::pair<int64_t, int64_t>>& points, int64_t value)
{
    const auto key = [](const std::pair<int64_t, int64_t>& p) { return std::get<From>(p); };
    const auto other = [](const std::pair<int64_t, int64_t>& p) { return std::get<To>(p); };
    // The last point at or before value (a vertical step takes its first point).
    auto it = std::partition_point(
        points.begin(), points.end(), [&](const auto& p) { return key(p) < value; });
    if (it != points.end() && key(*it) == value)
        return other(*it);
    if (it == points.begin())
        return other(*it) - (key(*it) - value);
    const auto& before = *std::prev(it);
    if (it == points.end())
        return other(before) + (value - key(before));
    const auto& after = *it;
    const double fraction = double(value - key(before)) / double(key(after) - key(before));
    return other(before) + int64_t(fraction * double(other(after) - other(before)));
}

} // namespace

int64_t TimeMap::toDisplay(int64_t runNs) const
{
    return interpolate<0, 1>(m_points, runNs);
}

int64_t TimeMap::toRun(int64_t displayNs) const
{
    return interpolate<1, 0>(m_points, displayNs);
}

std::pair<TimeMap, TimeMap> alignByStep(const std::vector<Step>& left, int64_t leftStartNs,
    const std::vector<Step>& right, int64_t rightStartNs, const std::vector<AlignedRow>& rows)
{
    std::vector<std::pair<int64_t, int64_t>> anchors { { leftStartNs, rightStartNs } };
    for (const AlignedRow& row : rows) {
        if (row.left < 0 || row.right < 0)
            continue;
        const Step& l = left[size_t(row.left)];
        const Step& r = right[size_t(row.right)];
        for (const auto& anchor : { std::pair { l.startNs, r.startNs }, { l.endNs, r.endNs } }) {
            // Steps may overlap (parallel tool calls): keep only anchors that move forward.
            if (anchor.first >= anchors.back().first && anchor.second >= anchors.back().second)
                anchors.push_back(anchor);
        }
    }
    std::vector<std::pair<int64_t, int64_t>> leftPoints, rightPoints;
    int64_t display = 0;
    for (size_t i = 0; i < anchors.size(); ++i) {
        if (i > 0)
            display += std::max(
                anchors[i].first - anchors[i - 1].first, anchors[i].second - anchors[i - 1].second);
        leftPoints.emplace_back(anchors[i].first, display);
        rightPoints.emplace_back(anchors[i].second, display);
    }
    return { TimeMap::through(std::move(leftPoints)), TimeMap::through(std::move(rightPoints)) };
}

} // namespace tt::timeline
