// SPDX-License-Identifier: MIT
#include "steps.h"

#include <map>

namespace tt::timeline {

std::string Step::label() const
{
    return name + "#" + std::to_string(occurrence);
}

bool isStepKind(SpanKind kind)
{
    return kind == SpanKind::LlmCall || kind == SpanKind::ToolCall
        || kind == SpanKind::JournalEntry;
}

std::string stepName(const Trace& trace, const Span& span)
{
    const SpanKind kind = trace.spanKind(span);
    if (kind == SpanKind::LlmCall)
        return "llm_call";
    return std::string(trace.spanName(span));
}

std::vector<Step> extractSteps(const Trace& trace)
{
    std::vector<Step> steps;
    std::map<std::pair<SpanKind, std::string>, int> occurrences;
    for (size_t i = 0; i < trace.spans.size(); ++i) {
        const Span& span = trace.spans[i];
        const SpanKind kind = trace.spanKind(span);
        if (!isStepKind(kind))
            continue;
        std::string name = stepName(trace, span);
        if (!steps.empty()) {
            Step& last = steps.back();
            if (last.kind == kind && last.name == name && last.status == SpanStatus::Error) {
                last.attempts.push_back(int32_t(i));
                last.endNs = std::max(last.endNs, span.endNs);
                last.status = span.status;
                continue;
            }
        }
        Step step;
        step.kind = kind;
        step.occurrence = ++occurrences[{ kind, name }];
        step.name = std::move(name);
        step.startNs = span.startNs;
        step.endNs = span.endNs;
        step.status = span.status;
        step.attempts.push_back(int32_t(i));
        steps.push_back(std::move(step));
    }
    return steps;
}

} // namespace tt::timeline
