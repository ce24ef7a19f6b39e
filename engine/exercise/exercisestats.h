// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/resultstore.h"
#include "engine/experiment/stats.h"

#include <optional>
#include <vector>

namespace tt::engine {

// The kinds of fault a person can name in an exercise (the catalog's `fault_kind` values).
struct FaultKind
{
    QString id;
    QString label;
};
const std::vector<FaultKind>& faultKinds();
QString faultKindLabel(const QString& id);

// The two views an exercise shows: today's (the baseline run's logs and LangSmith/OpenAI traces,
// as the team debugs now) and Restate's (the durable run's journal, lifecycle and retry events,
// plus its traces).
enum class DebugView
{
    Today,
    Restate,
};
QString toString(DebugView view);
std::optional<DebugView> debugViewFrom(const QString& name);
// The variant whose run a view shows.
QString variantOf(DebugView view);

struct ViewStats
{
    int answered = 0; // counted answers (practice excluded)
    int correct = 0;
    Interval accuracy; // Wilson 95 %
    // Time to a right answer (step and fault): bootstrap 95 %. A fast wrong guess is no speed.
    std::optional<Interval> medianSeconds;
};

struct ExerciseSummary
{
    ViewStats today;
    ViewStats restate;
    int series = 0;
    int people = 0; // distinct person ids (an empty id counts once)
    // Today's median time over Restate's: above 1, Restate's view is faster.
    std::optional<double> speedup;
};

ExerciseSummary summarizeExercises(const std::vector<ExerciseRecord>& records, uint64_t seed = 1);

} // namespace tt::engine
