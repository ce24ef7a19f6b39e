// SPDX-License-Identifier: MIT
#include "tracing.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace tt::writer {

Tracer::Tracer(uint64_t seed)
    : m_state(seed * 0x9e3779b97f4a7c15ull ^ uint64_t(nowUs()))
{ }

void Tracer::add(std::unique_ptr<TraceEmitter> emitter)
{
    m_emitters.push_back(std::move(emitter));
}

int64_t Tracer::nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string Tracer::randomHex(int digits)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    while (int(out.size()) < digits) {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 7;
        m_state ^= m_state << 17;
        uint64_t bits = m_state;
        for (int i = 0; i < 16 && int(out.size()) < digits; ++i, bits >>= 4)
            out += hex[bits & 15];
    }
    return out;
}

TraceInfo& Tracer::startTrace(const std::string& workflowName, ordered_json metadata)
{
    m_trace.traceId = "trace_" + randomHex(32);
    m_trace.workflowName = workflowName;
    m_trace.metadata = std::move(metadata);
    m_trace.startUs = nowUs();
    if (!m_muted)
        for (auto& emitter : m_emitters)
            emitter->traceStarted(m_trace);
    return m_trace;
}

WriterSpan Tracer::startSpan(
    WriterSpan::Type type, const std::string& name, const std::string& parentId)
{
    WriterSpan span;
    span.type = type;
    span.id = "span_" + randomHex(24);
    span.parentId = parentId;
    span.name = name;
    span.startUs = nowUs();
    if (!m_muted)
        for (auto& emitter : m_emitters)
            emitter->spanStarted(span);
    return span;
}

void Tracer::endSpan(WriterSpan& span)
{
    span.endUs = nowUs();
    if (!m_muted)
        for (auto& emitter : m_emitters)
            emitter->spanEnded(span);
}

void Tracer::endTrace()
{
    m_trace.endUs = nowUs();
    if (!m_muted)
        for (auto& emitter : m_emitters)
            emitter->traceEnded(m_trace);
}

namespace {

std::string formatTime(int64_t epochUs, char separator, bool dropZeroFraction)
{
    const std::time_t seconds = std::time_t(epochUs / 1000000);
    const int micros = int(epochUs % 1000000);
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d%c%02d:%02d:%02d", utc.tm_year + 1900,
        utc.tm_mon + 1, utc.tm_mday, separator, utc.tm_hour, utc.tm_min, utc.tm_sec);
    std::string out = buffer;
    if (micros != 0 || !dropZeroFraction) {
        std::snprintf(buffer, sizeof buffer, ".%06d", micros);
        out += buffer;
    }
    return out + "+00:00";
}

void reprString(const std::string& text, std::string& out)
{
    const bool single = text.find('\'') == std::string::npos || text.find('"') != std::string::npos;
    const char quote = single ? '\'' : '"';
    out += quote;
    for (unsigned char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == quote)
            out += std::string("\\") + char(c);
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else
            out += char(c);
    }
    out += quote;
}

void repr(const ordered_json& value, std::string& out)
{
    switch (value.type()) {
    case ordered_json::value_t::null:
        out += "None";
        break;
    case ordered_json::value_t::boolean:
        out += value.get<bool>() ? "True" : "False";
        break;
    case ordered_json::value_t::string:
        reprString(value.get<std::string>(), out);
        break;
    case ordered_json::value_t::array: {
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            out += first ? "" : ", ";
            first = false;
            repr(item, out);
        }
        out += ']';
        break;
    }
    case ordered_json::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : value.items()) {
            out += first ? "" : ", ";
            first = false;
            reprString(key, out);
            out += ": ";
            repr(item, out);
        }
        out += '}';
        break;
    }
    default:
        out += value.dump();
    }
}

} // namespace

std::string pythonIsoTime(int64_t epochUs)
{
    return formatTime(epochUs, 'T', true);
}

std::string pythonStrTime(int64_t epochUs)
{
    return formatTime(epochUs, ' ', true);
}

std::string pythonRepr(const ordered_json& value)
{
    std::string out;
    repr(value, out);
    return out;
}

ordered_json exportTrace(const TraceInfo& trace)
{
    ordered_json out;
    out["object"] = "trace";
    out["id"] = trace.traceId;
    out["workflow_name"] = trace.workflowName;
    out["group_id"] = trace.groupId.empty() ? ordered_json(nullptr) : ordered_json(trace.groupId);
    out["metadata"] = trace.metadata.is_null() ? ordered_json(nullptr) : trace.metadata;
    return out;
}

ordered_json exportSpan(const TraceInfo& trace, const WriterSpan& span, bool ended)
{
    ordered_json data;
    switch (span.type) {
    case WriterSpan::Type::Agent:
        data["type"] = "agent";
        data["name"] = span.name;
        data["handoffs"] = ordered_json::array();
        data["tools"] = span.tools;
        data["output_type"] = "str";
        break;
    case WriterSpan::Type::Generation:
        data["type"] = "generation";
        data["input"] = span.input;
        data["output"] = ended ? span.output : ordered_json(nullptr);
        data["model"] = span.model;
        data["model_config"] = ordered_json::object();
        data["usage"] = ended ? ordered_json { { "input_tokens", span.inputTokens },
            { "output_tokens", span.outputTokens } }
                              : ordered_json(nullptr);
        break;
    case WriterSpan::Type::Function:
        data["type"] = "function";
        data["name"] = span.name;
        data["input"] = span.input;
        data["output"] = ended ? span.output : ordered_json(nullptr);
        data["mcp_data"] = nullptr;
        break;
    }
    ordered_json out;
    out["object"] = "trace.span";
    out["id"] = span.id;
    out["trace_id"] = trace.traceId;
    out["parent_id"] = span.parentId.empty() ? ordered_json(nullptr) : ordered_json(span.parentId);
    out["started_at"] = pythonIsoTime(span.startUs);
    out["ended_at"] = ended ? ordered_json(pythonIsoTime(span.endUs)) : ordered_json(nullptr);
    out["span_data"] = data;
    out["error"] = span.error
        ? ordered_json { { "message", *span.error }, { "data", span.errorData } }
        : ordered_json(nullptr);
    return out;
}

} // namespace tt::writer
