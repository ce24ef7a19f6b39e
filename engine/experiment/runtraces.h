// SPDX-License-Identifier: MIT
#pragma once

#include "resultstore.h"

#include "importers/timeline/runview.h"
#include "importers/timeline/trace.h"

#include <QString>

#include <map>
#include <memory>
#include <string>

namespace tt::engine {

// Where the runner keeps one run's files: DIR/runs/<scenario>/<variant>-<index>.
QString runFolder(
    const QString& outDir, const QString& scenario, const QString& variant, int index);

// The durable runs' journals of an experiment folder: every session snapshot under
// DIR/restate/*/ imported once, by invocation id; and its GPU readings.
struct ExperimentJournals
{
    std::map<std::string, std::shared_ptr<const timeline::Trace>> byInvocation;
    // The experiment's GPU readings (DIR/gpu.jsonl), one trace per device; empty without a GPU.
    std::vector<std::shared_ptr<const timeline::Trace>> gpu;
    std::vector<timeline::Warning> warnings;
};
ExperimentJournals importExperimentJournals(const QString& outDir);

// The traces one run left, on which the window and the screenshots build: the OpenAI spans,
// the LangSmith runs and the Writer's trace.log from its folder, and for a durable run its
// invocation from the journals. What is missing or unreadable is a warning.
timeline::ImportResult importRunTraces(
    const QString& outDir, const RunRecord& run, const ExperimentJournals& journals);

// The same traces on one clock, as the panes, the exercises and the evidence count read them;
// their warnings are appended when asked for.
timeline::RunView runViewOfRun(const QString& outDir, const RunRecord& run,
    const ExperimentJournals& journals, std::vector<timeline::Warning>* warnings = nullptr);

} // namespace tt::engine
