// SPDX-License-Identifier: MIT
#pragma once

#include "divergence.h"

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace tt::engine {

// What one run's data says about its steps, read the same way by the divergence paragraph (two
// runs) and the cell view's outlier reasons (a run against its cell's median run).

// The requests of one LLM call (one request body), in order: llm_call#N is the N-th body.
struct LlmCall
{
    std::vector<const LlmRequest*> requests;
    int faults() const;
    bool answered() const;
    std::string firstFault() const;
    // The waits between its requests: "(after 0.50 s, 1.00 s)"; empty with one request.
    QString delays() const;
};
std::vector<LlmCall> llmCalls(const std::vector<LlmRequest>& requests);
// The LLM call of a step label ("llm_call#2" -> 1), or SIZE_MAX for another step.
size_t llmCallIndex(const QString& step);
QString llmStep(size_t index);

// "HTTP 429", "3 × HTTP 429", "a stalled answer (...)".
QString faultWords(const std::string& fault, int count);
// "once", "2 times".
QString times(int count);
// "1.25 s".
QString seconds(double ms);

// What one run shows at one step: its failed attempts (failed spans of the step, and Restate's
// failed attempts under its command) and the first error they left.
struct StepTrouble
{
    int failedAttempts = 0;
    bool failedForGood = false;
    bool unfinished = false; // started, never ended (the process died inside it)
    QString error;
};
StepTrouble troubleOf(const timeline::RunView& view, const timeline::Step& step);
// Those failed attempts: span indices in the step's track.
std::vector<int32_t> failedAttempts(const timeline::Trace& trace, const timeline::Step& step);

// The durable Writer's run: by its record's variant, else by a Restate journal among its traces.
bool isDurable(const RunRecord* record, const timeline::RunView& view);
// What Restate did for a durable run, from its record: "Restate restarted the invocation and
// replayed its journal, recovering 1.20 s after the crash", "Restate retried the step twice";
// empty when it did neither.
QString restateResponse(const RunRecord& record);

} // namespace tt::engine
