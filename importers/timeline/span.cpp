// SPDX-License-Identifier: MIT
#include "trace.h"

#include <iterator>

namespace tt::timeline {

std::string_view toString(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Run:
        return "run";
    case SpanKind::LlmCall:
        return "llm_call";
    case SpanKind::ToolCall:
        return "tool_call";
    case SpanKind::Agent:
        return "agent";
    case SpanKind::JournalEntry:
        return "journal_entry";
    case SpanKind::RetryAttempt:
        return "retry_attempt";
    case SpanKind::Suspension:
        return "suspension";
    case SpanKind::LogLine:
        return "log_line";
    case SpanKind::GpuSample:
        return "gpu_sample";
    case SpanKind::Lifecycle:
        return "lifecycle";
    case SpanKind::Other:
        break;
    }
    return "other";
}

std::string_view toString(SpanStatus status)
{
    switch (status) {
    case SpanStatus::Ok:
        return "ok";
    case SpanStatus::Error:
        return "error";
    case SpanStatus::Unset:
        break;
    }
    return "unset";
}

std::string_view toString(Source source)
{
    switch (source) {
    case Source::OpenAi:
        return "openai";
    case Source::LangSmith:
        return "langsmith";
    case Source::AgenticTraceLog:
        return "agentic-trace-log";
    case Source::AgenticRunLog:
        return "agentic-log";
    case Source::AgenticBenchmark:
        return "agentic-bench";
    case Source::Restate:
        return "restate";
    case Source::Gpu:
        return "gpu";
    case Source::LlmRequests:
        return "llm-requests";
    case Source::Unknown:
        break;
    }
    return "unknown";
}

uint32_t TypeTable::intern(SpanKind kind, std::string_view name)
{
    m_key.assign(1, char('A' + int(kind)));
    m_key.append(name);
    auto [it, inserted] = m_index.try_emplace(m_key, uint32_t(m_types.size()));
    if (inserted)
        m_types.push_back({ kind, std::string(name) });
    return it->second;
}

void ImportResult::append(ImportResult&& other)
{
    std::move(other.traces.begin(), other.traces.end(), std::back_inserter(traces));
    std::move(other.warnings.begin(), other.warnings.end(), std::back_inserter(warnings));
    other = {};
}

size_t ImportResult::spanCount() const
{
    size_t count = 0;
    for (const auto& trace : traces)
        count += trace.spans.size();
    return count;
}

size_t ImportResult::errorCount() const
{
    size_t count = 0;
    for (const auto& trace : traces)
        count += trace.errorCount;
    return count;
}

} // namespace tt::timeline
