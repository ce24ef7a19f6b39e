// SPDX-License-Identifier: MIT
#pragma once

#include "steps.h"

#include <cstdint>
#include <vector>

namespace tt::timeline {

// One run to lay out among others: its steps and its extent, on its own clock.
struct ColumnRun
{
    const std::vector<Step>* steps = nullptr;
    int64_t startNs = 0;
    int64_t endNs = 0;
};

// One step shared by the runs of a cell ("llm_call#2"), and where it sits on the common axis.
struct StepColumn
{
    SpanKind kind = SpanKind::Other;
    std::string label;
    int64_t startNs = 0; // display time of the column's left edge
    int64_t widthNs = 0; // its slowest instance's real duration
};

// Several runs "aligned by step": the same step starts at the same display time in every run,
// and nothing is shortened, so each bar keeps its run's real duration. A column is as wide as
// its slowest instance; the space before a column is the longest real wait (from one run's
// previous step start, or its start) that any run spent reaching it. Display time 0 is every
// run's start.
struct StepColumns
{
    std::vector<StepColumn> columns; // in the runs' order
    // Per run, per step: its column.
    std::vector<std::vector<int32_t>> columnOfStep;
    // Per run, per column: the step there, or -1 when that run has none.
    std::vector<std::vector<int32_t>> stepInColumn;
    std::vector<int64_t> runEndNs; // display time of each run's end (its last step + real tail)
    int64_t lengthNs = 0; // display time of the last run's end

    // Display time of a step's start (its column's left edge).
    int64_t stepStart(size_t run, size_t step) const
    {
        return columns[size_t(columnOfStep[run][step])].startNs;
    }
};

// Lines the runs' steps up in columns: each run is matched against the columns so far with
// alignSteps (by kind, name and occurrence, then by kind and name), and its unmatched steps
// become new columns where they fall, so a step only some runs have (a retry, a crash's missing
// tail) opens a column the others skip.
StepColumns alignColumns(const std::vector<ColumnRun>& runs);

} // namespace tt::timeline
