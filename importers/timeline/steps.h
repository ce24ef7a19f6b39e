// SPDX-License-Identifier: MIT
#pragma once

#include "trace.h"

namespace tt::timeline {

// The semantic unit two runs are compared on: an LLM call, a tool call, a journal entry.
// Occurrence numbers repeat per (kind, name): llm_call#1, read_multiple_files#1, llm_call#2.
// A failed span directly followed by the same kind and name is an attempt of the same step.
struct Step
{
    SpanKind kind = SpanKind::Other;
    std::string name;
    int occurrence = 1;
    int64_t startNs = 0;
    int64_t endNs = 0;
    SpanStatus status = SpanStatus::Unset;
    std::vector<int32_t> attempts; // span indices in the trace, in order; the last one decides
    // The run's track the attempts are in (RunView::steps); -1 for steps of a lone trace.
    int32_t track = -1;

    int64_t durationNs() const { return endNs - startNs; }
    std::string label() const; // "llm_call#2", "read_multiple_files#1"
};

// Whether a span of this kind is a step of the Writer's work.
bool isStepKind(SpanKind kind);
// The name two sources agree on: every LLM call is "llm_call" whatever model or run name.
std::string stepName(const Trace& trace, const Span& span);

std::vector<Step> extractSteps(const Trace& trace);

} // namespace tt::timeline
