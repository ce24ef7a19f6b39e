// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "resultstore.h"

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
    double recoverMedianMs = -1;
    QString expected; // what the plan expects (success / failure)
};

struct Criterion
{
    QString criterion;
    QString value;
    QString threshold;
    QString verdict; // GO, NO-GO, or "not measured"
    QString detail;
};

struct RefactorFiles
{
    QStringList before; // default: the baseline Writer
    QStringList after; // default: the durable Writer
};

struct Summary
{
    std::vector<CellSummary> cells;
    std::optional<Interval> overheadPct; // durable vs baseline mean wall time on nominal runs
    Interval resilienceBaseline; // success rates pooled over the fault scenarios
    Interval resilienceRestate;
    int faultRuns = 0;
    std::vector<Criterion> goNoGo;
};

struct SummaryInputs
{
    std::vector<RunRecord> runs;
    std::vector<Scenario> scenarios; // for the fault flags and expectations
    RefactorFiles refactor;
    std::optional<double> setupMs;
    std::optional<double> debuggingSpeedup; // Restate view vs today's, from the exercises
    // Restate's view's accuracy minus today's (proportions): faster but wrong is no win.
    std::optional<double> debuggingAccuracyGain;
    QString debuggingDetail;
    uint64_t seed = 1;
};

Summary summarize(const SummaryInputs& inputs);

// Code lines (not blank, not comments) in `after` that a line diff does not find in `before`:
// what the refactor adds (lines it removes are not subtracted). Nothing with a reason when a file
// is missing.
std::optional<int> refactorSize(const RefactorFiles& files, QString& error);
RefactorFiles defaultRefactorFiles();

} // namespace tt::engine
