// SPDX-License-Identifier: MIT
#pragma once

#include "resultstore.h"
#include "runtraces.h"

#include "importers/timeline/runview.h"

#include <QString>

#include <map>
#include <string>
#include <vector>

namespace tt::engine {

// One request the LLM stand-in logged (DIR/logs/llm-*.jsonl).
struct LlmRequest
{
    std::string bodyHash; // the same hash again is a repeat of the same LLM call
    std::string fault; // "http_429", "stall"...; empty when none was injected
    int status = 0;
    bool completed = false;
    double tsMs = 0;

    bool answered() const { return fault.empty() && status == 200 && completed; }
};

// The stand-in's requests of an experiment folder by run ("scenario/variant/index"), in the
// order it received them; what cannot be read is a warning.
std::map<QString, std::vector<LlmRequest>> readLlmLogs(
    const QString& outDir, std::vector<timeline::Warning>* warnings = nullptr);
QString llmLogKey(const RunRecord& run);

// One side of a comparison: its traces on one clock, and what the experiment knows of it when
// it came from one (an imported trace has neither a record nor a stand-in log).
struct ExplainedRun
{
    QString name; // "baseline", "restate", a file name
    const timeline::RunView* view = nullptr;
    const RunRecord* record = nullptr;
    std::vector<LlmRequest> llm;
};

// Where two runs part and why, in the catalog's vocabulary.
struct Divergence
{
    QString step; // "llm_call#2"; empty when the runs do not differ
    QString faultKind; // "llm-transient", "crash"...; empty when the data does not say
    QString text; // one short paragraph
};

// The first aligned step where the runs differ, what went wrong there, what each side did about
// it, how each ended and what the difference cost, saying only what the data supports.
Divergence explainDivergence(const ExplainedRun& left, const ExplainedRun& right);

// Two runs of an experiment folder explained, named by their variants.
Divergence explainRuns(const QString& outDir, const RunRecord& left, const RunRecord& right,
    const ExperimentJournals& journals, const std::map<QString, std::vector<LlmRequest>>& llmLogs);

} // namespace tt::engine
