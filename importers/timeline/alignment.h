// SPDX-License-Identifier: MIT
#pragma once

#include "steps.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace tt::timeline {

enum class RowStatus : uint8_t
{
    Same, // matched, durations within tolerance
    Slower, // matched, right took longer
    Faster, // matched, right took less time
    Changed, // matched, but one side failed where the other succeeded
    OnlyLeft,
    OnlyRight,
};
std::string_view toString(RowStatus status);

struct AlignedRow
{
    int32_t left = -1; // step index on the left, -1 when absent
    int32_t right = -1;
    RowStatus status = RowStatus::Same;
    int64_t deltaNs = 0; // right duration minus left duration; 0 unless both sides exist
};

// A matched step differs in time only when its duration changed by more than both
// tolerances: scheduling jitter of a few milliseconds on a sub-millisecond tool call is not a
// difference, and neither is a few percent on a long LLM call.
struct AlignOptions
{
    double relativeTolerance = 0.10; // a duration change under 10 % is "same"...
    int64_t absoluteToleranceNs = 5'000'000; // ...and so is one under 5 ms
};

// Matches steps by (kind, name, occurrence) first (the largest order-preserving set of equal keys,
// O(n log n)), then diffs what is left between those anchors by (kind, name) with Myers'
// algorithm (O((n+m)*d) time, linear space), so that an extra retry on one side does not shift
// every later step. Rows come in the order of both runs.
std::vector<AlignedRow> alignSteps(const std::vector<Step>& left, const std::vector<Step>& right,
    const AlignOptions& options = {});

// The matched index pairs of a longest common subsequence of two key sequences (Myers 1986,
// the middle-snake bisection). Exposed for tests and benchmarks.
std::vector<std::pair<int32_t, int32_t>> commonSubsequence(
    const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

} // namespace tt::timeline
