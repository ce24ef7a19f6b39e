// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tt::writer {

using ordered_json = nlohmann::ordered_json;

// The Writer's own spans, shaped like the OpenAI Agents SDK's (trace -> agent writer_agent ->
// generation and function spans). Emitters turn them into the vendors' formats; nothing here is
// TwinTrace's internal model.
struct WriterSpan
{
    enum class Type
    {
        Agent,
        Generation,
        Function
    };
    Type type = Type::Function;
    std::string id; // span_<24 hex>
    std::string parentId;
    std::string name; // writer_agent, read_multiple_files, save_report; empty for generations
    int64_t startUs = 0; // Unix epoch microseconds
    int64_t endUs = 0;
    ordered_json input; // generation: messages; function: the arguments as a JSON string
    ordered_json output; // generation: the assistant message(s); function: the result text
    std::string model;
    int inputTokens = 0;
    int outputTokens = 0;
    std::vector<std::string> tools; // agent spans
    std::optional<std::string> error;
    ordered_json errorData;
};

struct TraceInfo
{
    std::string traceId; // trace_<32 hex>
    std::string workflowName = "Agent workflow";
    std::string groupId;
    ordered_json metadata;
    int64_t startUs = 0;
    int64_t endUs = 0;
};

// One output format. Spans are announced when they start and delivered when they end (children
// before parents, as the SDK's processors see them); each emitter writes what its format writes
// then, and flushes, so a killed Writer leaves everything it finished on disk.
class TraceEmitter
{
public:
    virtual ~TraceEmitter() = default;
    virtual void traceStarted(const TraceInfo&) { }
    virtual void spanStarted(const WriterSpan&) { }
    virtual void spanEnded(const WriterSpan& span) = 0;
    virtual void traceEnded(const TraceInfo&) { }
};

// Hands every event to every emitter and makes the ids.
class Tracer
{
public:
    // Ids come from a generator seeded with `seed` mixed with the clock; a durable Writer, which
    // runs again on every attempt, reseeds it so the trace and agent ids stay the same.
    explicit Tracer(uint64_t seed);
    void add(std::unique_ptr<TraceEmitter> emitter);
    void reseed(uint64_t seed) { m_state = seed ? seed : 0x9e3779b97f4a7c15ull; }
    // While muted, ids are still drawn but nothing reaches the emitters (a replay must not
    // announce again what an earlier attempt announced).
    void setMuted(bool muted) { m_muted = muted; }

    TraceInfo& startTrace(const std::string& workflowName, ordered_json metadata);
    WriterSpan startSpan(
        WriterSpan::Type type, const std::string& name, const std::string& parentId);
    void endSpan(WriterSpan& span);
    void endTrace();
    const TraceInfo& trace() const { return m_trace; }

    static int64_t nowUs();
    std::string randomHex(int digits);

private:
    std::vector<std::unique_ptr<TraceEmitter>> m_emitters;
    TraceInfo m_trace;
    uint64_t m_state;
    bool m_muted = false;
};

// Python's isoformat of an aware UTC datetime: 2026-02-09T10:15:00.120000+00:00 (the fraction
// is dropped on whole seconds, as Python does).
std::string pythonIsoTime(int64_t epochUs);
// str() of the same datetime: 2026-02-09 10:15:00.120000+00:00.
std::string pythonStrTime(int64_t epochUs);
// repr() of the JSON value as the Python dict it was: {'a': None, 'b': True, 'c': 'x'}.
std::string pythonRepr(const ordered_json& value);

// The OpenAI Agents SDK span.export() / trace.export() objects.
ordered_json exportTrace(const TraceInfo& trace);
ordered_json exportSpan(const TraceInfo& trace, const WriterSpan& span, bool ended);

} // namespace tt::writer
