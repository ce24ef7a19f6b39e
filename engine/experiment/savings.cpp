// SPDX-License-Identifier: MIT
// What durable execution buys over the obvious cheap alternative, a job queue relaunching the
// baseline Writer from scratch: LLM calls and tokens not paid twice, and time to a result.
#include "stats.h"

#include <map>

namespace tt::engine {

namespace {

struct Sample
{
    std::vector<double> calls, tokens, repeated, successWallMs;
    int runs = 0, successes = 0, duplicates = 0;
    double attempts = 0;
};

Sample sampleOf(const std::vector<RunRecord>& runs, const QString& scenario, const QString& variant)
{
    Sample sample;
    for (const RunRecord& run : runs) {
        if (run.scenario != scenario || run.variant != variant)
            continue;
        ++sample.runs;
        sample.calls.push_back(run.llmRequests);
        sample.tokens.push_back(run.promptTokens + run.completionTokens);
        sample.repeated.push_back(run.llmRepeated);
        sample.attempts += run.attempts;
        sample.duplicates += run.reportsWritten > 1;
        if (run.success) {
            ++sample.successes;
            sample.successWallMs.push_back(run.wallMs);
        }
    }
    return sample;
}

} // namespace

std::vector<RestartSaving> restartSavings(const SummaryInputs& inputs)
{
    std::vector<RestartSaving> savings;
    uint64_t seed = inputs.seed * 104729;
    for (const Scenario& scenario : inputs.scenarios) {
        if (!scenario.fault)
            continue;
        const Sample restart
            = sampleOf(inputs.runs, scenario.id, QStringLiteral("baseline-restart"));
        const Sample durable = sampleOf(inputs.runs, scenario.id, QStringLiteral("restate"));
        if (restart.runs == 0 || durable.runs == 0)
            continue;
        RestartSaving saving;
        saving.scenario = scenario.id;
        saving.restartRuns = restart.runs;
        saving.durableRuns = durable.runs;
        saving.llmCalls = compareMeans(durable.calls, restart.calls, ++seed, false);
        saving.tokens = compareMeans(durable.tokens, restart.tokens, ++seed, false);
        saving.repeatedCalls = compareMeans(durable.repeated, restart.repeated, ++seed, false);
        if (!restart.successWallMs.empty() && !durable.successWallMs.empty())
            saving.wallMs
                = compareMeans(durable.successWallMs, restart.successWallMs, ++seed, false);
        saving.restartSuccess = double(restart.successes) / restart.runs;
        saving.durableSuccess = double(durable.successes) / durable.runs;
        saving.restartAttempts = restart.attempts / restart.runs;
        saving.restartDuplicateRuns = restart.duplicates;
        savings.push_back(saving);
    }
    return savings;
}

} // namespace tt::engine
