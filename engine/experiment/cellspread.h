// SPDX-License-Identifier: MIT
#pragma once

#include "resultstore.h"

#include "importers/timeline/stepcolumns.h"

#include <QStringList>

#include <vector>

namespace tt::engine {

// One run of a cell, placed among the others.
struct CellRun
{
    RunRecord run;
    bool median = false; // the run whose wall time is its variant's median (the lower middle)
    bool outlier = false; // wall time beyond 1.5 x IQR of its variant's runs in the cell
    // Why it stands out: from its traces and the stand-in's log once explainCell has read them
    // ("llm_call#2 took 4.10 s (median 0.90 s): the stand-in answered it with 3 × HTTP 429"),
    // else from its record ("3 Restate retries (median 1)").
    QString reason;
    QString reasonStep; // the step the reason names first ("llm_call#2"), when it names one

    // Read by explainCell: its steps on its own clock, the attempts that failed (start, end) per
    // step, and the extent of its traces.
    std::vector<timeline::Step> steps;
    std::vector<std::vector<std::pair<int64_t, int64_t>>> failedAttempts;
    int64_t startNs = 0;
    int64_t endNs = 0;
};

// Every run of a scenario x variant(s), in variant then run order, with the spread of their
// wall times: what tells whether the pair on screen is typical.
struct CellSpread
{
    QString scenario;
    QStringList variants;
    std::vector<CellRun> runs;
    // The quartiles of wall time of the variant that spreads the most.
    double q1Ms = 0;
    double medianMs = 0;
    double q3Ms = 0;
    double iqrMs() const { return q3Ms - q1Ms; }
    // Every run's steps in shared columns (explainCell): the same step at the same x.
    timeline::StepColumns columns;
};

// The cell of `scenario` over `variants` (every variant when empty); the median run and the
// outliers (Tukey's fences, 1.5 x IQR) of each variant.
CellSpread cellSpread(
    const std::vector<RunRecord>& runs, const QString& scenario, const QStringList& variants = {});

// The scenarios whose cells spread the most (IQR of wall time over median, of the variant that
// spreads most), most first.
QStringList widestCells(const std::vector<RunRecord>& runs, int count);

} // namespace tt::engine
