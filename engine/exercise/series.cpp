// SPDX-License-Identifier: MIT
#include "series.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace tt::engine {

std::vector<ExerciseItem> buildSeries(
    const ExperimentResults& results, const SeriesOptions& options, QString& error)
{
    // Run indices recorded with both variants, per scenario.
    std::map<QString, std::set<int>> baseline, restate;
    for (const RunRecord& run : results.runs)
        if (run.variant == QLatin1String("baseline"))
            baseline[run.scenario].insert(run.runIndex);
        else if (run.variant == QLatin1String("restate"))
            restate[run.scenario].insert(run.runIndex);
    struct Candidate
    {
        const Scenario* scenario;
        std::vector<int> runs;
    };
    std::vector<Candidate> candidates;
    for (const Scenario& scenario : results.scenarios) {
        if (scenario.faultKind.isEmpty() || scenario.faultStep.isEmpty())
            continue;
        std::vector<int> both;
        std::set_intersection(baseline[scenario.id].begin(), baseline[scenario.id].end(),
            restate[scenario.id].begin(), restate[scenario.id].end(), std::back_inserter(both));
        if (!both.empty())
            candidates.push_back({ &scenario, both });
    }
    if (candidates.empty()) {
        error = QStringLiteral("%1 has no fault scenario recorded with both the baseline and "
                               "the restate variant: run one first (e.g. transient-llm, "
                               "crash-at-step)")
                    .arg(results.dir);
        return {};
    }
    std::mt19937_64 random(options.seed);
    std::shuffle(candidates.begin(), candidates.end(), random);
    const auto pick = [&](const Candidate& c, DebugView view, bool practice) {
        ExerciseItem item;
        item.practice = practice;
        item.scenario = c.scenario->id;
        item.view = view;
        item.runIndex = c.runs[random() % c.runs.size()];
        item.truthStep = c.scenario->faultStep;
        item.truthKind = c.scenario->faultKind;
        return item;
    };
    size_t counted = options.scenarios > 0 ? std::min(candidates.size(), size_t(options.scenarios))
                                           : candidates.size();
    const DebugView first = options.restateFirst ? DebugView::Restate : DebugView::Today;
    const DebugView second = options.restateFirst ? DebugView::Today : DebugView::Restate;
    std::vector<ExerciseItem> series;
    if (options.practice) {
        // The warm-up uses a scenario left out of the count (one is kept aside when all are
        // asked for and there are three or more). Without a spare one there is no warm-up: a
        // repeated scenario would give its counted screen away.
        if (counted == candidates.size() && candidates.size() >= 3)
            --counted;
        if (counted < candidates.size())
            series.push_back(pick(candidates[counted], first, true));
    }
    std::vector<DebugView> firstView(counted);
    for (size_t i = 0; i < counted; ++i) {
        firstView[i] = i % 2 == 0 ? first : second;
        series.push_back(pick(candidates[i], firstView[i], false));
    }
    for (size_t i = counted; i-- > 0;)
        series.push_back(pick(candidates[i], firstView[i] == first ? second : first, false));
    for (size_t i = 0; i < series.size(); ++i)
        series[i].position = int(i);
    return series;
}

} // namespace tt::engine
