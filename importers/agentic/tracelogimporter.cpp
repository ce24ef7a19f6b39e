// SPDX-License-Identifier: MIT
#include "agenticimporters.h"

#include "importers/common/jsonutil.h"
#include "importers/common/pythonrepr.h"
#include "importers/common/timeparse.h"
#include "importers/openai/openaispans.h"
#include "importers/timeline/tracebuilder.h"

#include <unordered_map>
#include <vector>

namespace tt::importers::agentic {

namespace {

struct Fields
{
    std::string_view event, trace, span, name, started, ended, data;
};

// Splits "EVENT: x | TRACE: y | ... | DATA: z". DATA comes last and may itself contain " | ".
Fields splitMessage(std::string_view message)
{
    Fields fields;
    const size_t dataAt = message.find(" | DATA: ");
    if (dataAt != std::string_view::npos) {
        fields.data = message.substr(dataAt + 9);
        message = message.substr(0, dataAt);
    }
    while (!message.empty()) {
        const size_t bar = message.find(" | ");
        const std::string_view part = message.substr(0, bar);
        message = bar == std::string_view::npos ? std::string_view() : message.substr(bar + 3);
        const size_t colon = part.find(": ");
        if (colon == std::string_view::npos)
            continue;
        const std::string_view key = part.substr(0, colon);
        const std::string_view value = part.substr(colon + 2);
        if (key == "EVENT")
            fields.event = value;
        else if (key == "TRACE")
            fields.trace = value;
        else if (key == "SPAN")
            fields.span = value;
        else if (key == "NAME")
            fields.name = value;
        else if (key == "STARTED")
            fields.started = value;
        else if (key == "ENDED")
            fields.ended = value;
        else if (key == "DATA")
            fields.data = value;
    }
    return fields;
}

class Reader
{
public:
    Reader(std::shared_ptr<const std::string> bytes, std::string origin)
        : m_bytes(std::move(bytes))
        , m_builder(timeline::Source::AgenticTraceLog, std::move(origin), m_bytes)
    { }

    timeline::ImportResult run()
    {
        if (!m_bytes || m_bytes->find_first_not_of(" \t\r\n") == std::string::npos)
            m_builder.warn(0, "empty input: expected FileTraceProcessor lines");
        else
            json::forEachLine(*m_bytes,
                [this](std::string_view line, int64_t number) { readLine(line, number); });
        return m_builder.finish();
    }

private:
    void readLine(std::string_view line, int64_t number)
    {
        // "2026-02-09 10:15:00 - INFO - EVENT: ..."
        const size_t dash = line.find(" - ");
        const size_t dash2 = dash == std::string_view::npos ? dash : line.find(" - ", dash + 3);
        const auto asctime = parseTimestamp(line.substr(0, dash));
        if (!asctime || dash2 == std::string_view::npos) {
            m_builder.warn(number, "expected \"YYYY-MM-DD HH:MM:SS - LEVEL - EVENT: ...\"");
            return;
        }
        const std::string_view message = line.substr(dash2 + 3);
        if (message.rfind("EVENT: ", 0) != 0) {
            m_builder.warn(number, "not a trace event: " + std::string(message.substr(0, 80)));
            return;
        }
        const Fields fields = splitMessage(message);
        if (fields.event == "trace_start" || fields.event == "trace_end") {
            m_builder.noteTrace(fields.trace, fields.name);
            return;
        }
        if (fields.event != "span_start" && fields.event != "span_end") {
            m_builder.warn(
                number, "unknown event \"" + std::string(fields.event.substr(0, 40)) + "\"");
            return;
        }
        readSpan(fields, *asctime, number, line);
    }

    void readSpan(const Fields& fields, int64_t asctime, int64_t number, std::string_view line)
    {
        timeline::SpanInput in;
        in.line = number;
        in.traceId = fields.trace;
        in.id = fields.span;
        in.payload = line;
        // STARTED and ENDED carry the SDK's microsecond times; asctime only has seconds.
        in.startNs = fields.started.empty() || fields.started == "None"
            ? std::optional<int64_t>(asctime)
            : parseTimestamp(fields.started);
        if (!in.startNs) {
            m_builder.warn(number, "STARTED is not an ISO 8601 time: used the line's time");
            in.startNs = asctime;
        }
        if (fields.event == "span_end") {
            in.endNs = fields.ended.empty() ? std::nullopt : parseTimestamp(fields.ended);
            if (!in.endNs) {
                m_builder.warn(number,
                    "span_end without a readable ENDED (line cut short?): "
                    "used the line's time, to the second");
                in.endNs = asctime;
            }
        }

        const std::string_view data = fields.data;
        const bool cut = data.size() >= 3 && data.substr(data.size() - 3) == "...";
        auto parentId = pyrepr::field(data, "parent_id");
        auto type = pyrepr::field(data, "type");
        auto name = pyrepr::field(data, "name");
        // A span_end's DATA is often cut before fields its span_start line still had.
        Known& known = m_known[std::string(fields.span)];
        if (fields.event == "span_start") {
            known = { parentId, type, name };
        } else {
            if (!parentId)
                parentId = known.parentId;
            if (!type)
                type = known.type;
            if (!name)
                name = known.name;
            m_known.erase(std::string(fields.span));
        }
        const auto error = pyrepr::field(data, "error");
        std::string errorMessage;
        if (error && !error->empty())
            errorMessage = pyrepr::field(data, "message").value_or(*error);
        if (!parentId && fields.event == "span_end")
            m_builder.warn(number,
                cut ? "DATA was cut at 500 characters before parent_id: parent unknown"
                    : "DATA has no parent_id: parent unknown");
        in.parentId = parentId ? std::string_view(*parentId) : std::string_view();
        std::string detail;
        if (type == "mcp_tools")
            detail = pyrepr::field(data, "server").value_or("");
        else if (type == "handoff")
            detail = pyrepr::field(data, "from_agent").value_or("") + " -> "
                + pyrepr::field(data, "to_agent").value_or("");
        const openai::SpanShape shape
            = openai::classifySpan(type.value_or(""), name.value_or(""), detail);
        in.kind = shape.kind;
        in.name = shape.name;
        in.error = errorMessage;
        in.status = errorMessage.empty() ? timeline::SpanStatus::Ok : timeline::SpanStatus::Error;
        m_builder.addSpan(in);
    }

    struct Known
    {
        std::optional<std::string> parentId, type, name;
    };
    std::unordered_map<std::string, Known> m_known;
    std::shared_ptr<const std::string> m_bytes;
    timeline::TraceSetBuilder m_builder;
};

} // namespace

timeline::ImportResult importTraceLog(std::shared_ptr<const std::string> bytes, std::string origin)
{
    return Reader(std::move(bytes), std::move(origin)).run();
}

} // namespace tt::importers::agentic
