// SPDX-License-Identifier: MIT
#pragma once

#include "resultstore.h"

#include <QStringList>

#include <vector>

namespace tt::engine {

// One run of a cell, placed among the others.
struct CellRun
{
    RunRecord run;
    bool median = false; // the run whose wall time is its variant's median (the lower middle)
    bool outlier = false; // wall time beyond 1.5 x IQR of its variant's runs in the cell
    QString reason; // why it stands out, when the record says ("3 Restate retries (median 1)")
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
};

// The cell of `scenario` over `variants` (every variant when empty); the median run and the
// outliers (Tukey's fences, 1.5 x IQR) of each variant.
CellSpread cellSpread(
    const std::vector<RunRecord>& runs, const QString& scenario, const QStringList& variants = {});

// The scenarios whose cells spread the most (IQR of wall time over median, of the variant that
// spreads most), most first.
QStringList widestCells(const std::vector<RunRecord>& runs, int count);

} // namespace tt::engine
