// SPDX-License-Identifier: MIT
#pragma once

#include "exercisestats.h"

#include "engine/experiment/results.h"
#include "engine/experiment/runtraces.h"
#include "importers/timeline/runview.h"

namespace tt::engine {

// The exercises' objective companion, measured without a person: reading a view from the top
// (its sources in the window's order, each source's entries in time order), how many entries
// come before the first one that shows the failing step's trouble (an error, a failed attempt,
// an entry that never ended, a backing-off or paused state) for that step.
struct EvidenceDepth
{
    QString scenario;
    DebugView view = DebugView::Today;
    int runIndex = 1;
    int rowsRead = 0; // entries read, the evidence included; all of them when not found
    int rows = 0;
    bool found = false;
};

EvidenceDepth evidenceDepth(const timeline::RunView& run, const QString& truthStep);

// Every fault scenario's first run recorded with both variants, in both views.
std::vector<EvidenceDepth> measureEvidence(
    const ExperimentResults& results, const ExperimentJournals& journals);

} // namespace tt::engine
