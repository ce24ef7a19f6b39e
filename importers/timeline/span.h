// SPDX-License-Identifier: MIT
#pragma once

#include "stringstore.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::timeline {

// What a span stands for, whatever its source called it (DESIGN.md section 3).
enum class SpanKind : uint8_t
{
    Run,
    LlmCall,
    ToolCall,
    Agent,
    JournalEntry,
    RetryAttempt,
    Suspension,
    LogLine,
    GpuSample,
    Lifecycle,
    Other,
};

enum class SpanStatus : uint8_t
{
    Unset,
    Ok,
    Error
};

enum class Source : uint8_t
{
    Unknown,
    OpenAi,
    LangSmith,
    AgenticTraceLog,
    AgenticRunLog,
    AgenticBenchmark,
    Restate,
    Gpu,
    LlmRequests, // the LLM stand-in's (or fault proxy's) request log
};

std::string_view toString(SpanKind kind);
std::string_view toString(SpanStatus status);
std::string_view toString(Source source);

// Why a span looks the way it does after import; the inspector shows these.
namespace SpanFlag {
enum : uint8_t
{
    ParentMissing = 1, // its parent id never appeared: attached to the root level
    EndBeforeStart = 2, // the source said it ended before it started: end clamped to start
    // Only a start was recorded (still running, killed, or the end was lost): the span lasts
    // until the trace's last record (or the kill point, RunView::markKilled), status Error.
    NoEnd = 4,
    DuplicateId = 8, // another span of the trace has the same id
    ParentCycle = 16, // its parent chain looped: the link was cut
    NoStart = 32, // while importing only: an end record waiting for its start record
};
}

// A kind and a name, stored once per import; spans refer to it by index (Qt Creator's
// TraceEventType idea: names are interned, events stay small).
struct SpanType
{
    SpanKind kind = SpanKind::Other;
    std::string name;
};

class TypeTable
{
public:
    uint32_t intern(SpanKind kind, std::string_view name);
    const SpanType& at(uint32_t index) const { return m_types[index]; }
    size_t size() const { return m_types.size(); }

private:
    std::vector<SpanType> m_types;
    std::unordered_map<std::string, uint32_t> m_index;
    std::string m_key; // the lookup key, built in place: no allocation per span
};

// One span: 72 bytes, strings in the import's StringStore. Times are Unix epoch nanoseconds.
struct Span
{
    int64_t startNs = 0;
    int64_t endNs = 0;
    StrRef id;
    StrRef parentId; // as the source wrote it, kept even when the parent never appeared
    StrRef linkId; // the id of the same work in another source (LangSmith keeps openai_span_id)
    StrRef error; // error message, empty when none
    StrRef payload; // the source's record (JSON or text), decoded on demand by the inspector
    int32_t parent = -1; // index of the parent span in the trace, -1 at the root level
    uint32_t typeIndex = 0;
    SpanStatus status = SpanStatus::Unset;
    uint8_t flags = 0;
    uint16_t depth = 0;

    int64_t durationNs() const { return endNs - startNs; }
    bool hasError() const { return status == SpanStatus::Error; }
    bool unfinished() const { return (flags & SpanFlag::NoEnd) != 0; }
};

} // namespace tt::timeline
