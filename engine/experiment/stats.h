// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "resultstore.h"
#include "setuptime.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace tt::engine {

struct Interval
{
    double value = 0;
    double low = 0;
    double high = 0;
};

// Success rate with its 95 % Wilson score interval (fine for small n and rates of 0 or 1).
Interval wilson(int successes, int n);
// A statistic of a sample with a 95 % percentile bootstrap interval (seeded: same data, same
// interval).
enum class Statistic
{
    Mean,
    Median,
    P95
};
Interval bootstrap(const std::vector<double>& sample, Statistic statistic, uint64_t seed = 1,
    int resamples = 2000);
double percentile(std::vector<double> sample, double p);
// b's mean against a's: in % of a's (relative) or in a's unit, with a 95 % bootstrap interval
// (each side resampled on its own; seeded).
Interval compareMeans(
    const std::vector<double>& a, const std::vector<double>& b, uint64_t seed, bool relative);

struct CellSummary
{
    QString scenario;
    QString variant;
    int runs = 0;
    int successes = 0;
    Interval successRate;
    Interval wallMean; // of successful runs, ms
    Interval wallMedian;
    Interval wallP95;
    double llmCallsMean = 0; // requests to the LLM
    double retriesMean = 0; // client retries + Restate retries
    double clientRetriesMean = 0;
    double restateRetriesMean = 0;
    double wastedCallsMean = 0; // answered LLM calls beyond the two a run needs
    int reportsWrittenMax = 0;
    double attemptsMean = 1; // Writer processes per run (baseline-restart relaunches)
    double repeatedCallsMean = 0; // answered LLM calls paid again (RunRecord::llmRepeated)
    double repeatedTokensMean = 0; // their tokens: paid twice
    double recoverMedianMs = -1;
    QString expected; // what the plan expects (success / failure)
};

struct Criterion
{
    QString criterion;
    QString value;
    QString threshold;
    QString verdict; // GO, NO-GO, or "not measured"
    QString detail; // how it was measured, in one sentence
    QString howToMeasure; // when not measured: what would measure it
    bool measured() const
    {
        return verdict == QLatin1String("GO") || verdict == QLatin1String("NO-GO");
    }
};

// What durability costs in absolute terms, from the nominal runs of both variants: what a
// reader carries over to their own LLM's latency.
struct DurabilityCost
{
    Interval perRunMs; // durable minus baseline, mean wall time on the engine's clock
    std::optional<Interval> writerSpanMs; // the same on the Writers' own spans (their traces)
    double durableSteps = 0; // Run commands per durable run (journal), median
    std::optional<double> perStepMs; // the Writer-span difference per durable step
    double baselineWallMs = 0; // means, for the report's side-by-side
    double durableWallMs = 0;
    std::optional<double> baselineSpanMs;
    std::optional<double> durableSpanMs;
};

// What Restate saves over the restart loop on one fault scenario: baseline-restart minus the
// durable variant, per run, with 95 % bootstrap intervals. Positive: the loop pays more.
struct RestartSaving
{
    QString scenario;
    int restartRuns = 0;
    int durableRuns = 0;
    Interval llmCalls; // requests to the LLM
    Interval tokens; // prompt + completion tokens
    Interval repeatedCalls; // answered calls paid again
    std::optional<Interval> wallMs; // time to a result, successful runs of both
    double restartSuccess = 0; // success rates, for the sentence
    double durableSuccess = 0;
    double restartAttempts = 0; // mean Writer processes per run
    int restartDuplicateRuns = 0; // runs that left more than one report
};

struct Summary
{
    std::vector<CellSummary> cells;
    std::optional<Interval> overheadPct; // durable vs baseline mean wall time on nominal runs
    std::optional<DurabilityCost> cost;
    Interval resilienceBaseline; // success rates pooled over the fault scenarios
    Interval resilienceRestate;
    int faultRuns = 0;
    std::vector<Criterion> goNoGo;
    std::vector<RestartSaving> savings; // fault scenarios run with restate and baseline-restart
};

struct SummaryInputs
{
    std::vector<RunRecord> runs;
    std::vector<Scenario> scenarios; // for the fault flags and expectations
    QString refactorSpec; // --refactor: the team's Writer before and after; empty: not measured
    // Client settings the team's baseline was not given (DGX Spark mode): the expectations that
    // depend on them are unknown.
    QStringList settingsNotPassed;
    SetupParts setup;
    std::optional<double> debuggingSpeedup; // Restate view vs today's, from the exercises
    // Restate's view's accuracy minus today's (proportions): faster but wrong is no win.
    std::optional<double> debuggingAccuracyGain;
    QString debuggingDetail;
    uint64_t seed = 1;
};

Summary summarize(const SummaryInputs& inputs);
// Durable vs baseline-restart on each fault scenario both ran (savings.cpp).
std::vector<RestartSaving> restartSavings(const SummaryInputs& inputs);

// The decision in one line: GO when every measured criterion is GO, NO-GO naming those that are
// not; and always the criteria not measured.
QString decisionLine(const Summary& summary);

} // namespace tt::engine
