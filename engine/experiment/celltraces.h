// SPDX-License-Identifier: MIT
#pragma once

#include "cellspread.h"
#include "divergence.h"

namespace tt::engine {

// Reads every run of the cell from an experiment folder (its traces on one clock, the stand-in's
// log of its requests), then explainCell. Call it off the GUI thread for large cells.
void readCellTraces(const QString& outDir, CellSpread& spread, const ExperimentJournals& journals,
    const std::map<QString, std::vector<LlmRequest>>& llmLogs);

// `runs` holds one run per spread.runs, in the same order. Keeps each run's steps and failed
// attempts, lays every run out in shared step columns (aligned by step), and gives each outlier
// its reason from the data where the data has one: the step, or the wait before it, that took
// the extra time against its variant's other runs, and what happened to it there that did not
// happen to its variant's median run (the stand-in's faults, failed attempts, its client's
// retries and their delays, Restate's retries or replay, a crash, a relaunch, another outcome).
void explainCell(CellSpread& spread, const std::vector<ExplainedRun>& runs);

} // namespace tt::engine
