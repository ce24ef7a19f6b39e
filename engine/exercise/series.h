// SPDX-License-Identifier: MIT
#pragma once

#include "exercisestats.h"

#include "engine/experiment/results.h"

namespace tt::engine {

// One screen of an exercise series: which recorded run, in which view, and what is true.
struct ExerciseItem
{
    int position = 0;
    bool practice = false;
    QString scenario;
    DebugView view = DebugView::Today;
    int runIndex = 1;
    QString truthStep;
    QString truthKind;
    QString variant() const { return variantOf(view); }
};

struct SeriesOptions
{
    uint64_t seed = 1; // which scenarios, in which order, which run
    // A warm-up round first, stored but not counted, on a scenario kept out of the count (none
    // when the experiment has fewer than three fault scenarios).
    bool practice = true;
    bool restateFirst = false; // counterbalance between people: half start with each view
    int scenarios = 0; // how many fault scenarios (0: all that were recorded with both variants)
};

// A balanced series over the experiment's fault scenarios: every scenario once in each view;
// the first half in a seeded order with the views alternating, the second half in the reverse
// order with each scenario's other view, so that the views alternate throughout and every
// scenario is met early in one view and late in the other (learning effects cancel between the
// views). The practice round uses a scenario left out of the count when there is one. Nothing,
// with a reason, when the experiment has no fault run recorded with both variants.
std::vector<ExerciseItem> buildSeries(
    const ExperimentResults& results, const SeriesOptions& options, QString& error);

} // namespace tt::engine
