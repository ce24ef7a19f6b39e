// SPDX-License-Identifier: MIT
#include "openaiimporter.h"

#include "importers/common/jsonrecords.h"
#include "importers/timeline/tracebuilder.h"
#include "openaispans.h"

namespace tt::importers::openai {

namespace {

using json::Element;
using timeline::SpanInput;

class Reader
{
public:
    explicit Reader(timeline::TraceSetBuilder& builder)
        : m_builder(builder)
    { }

    void read(std::string_view text)
    {
        json::readRecords(text, m_parser, m_builder, "OpenAI trace or span objects",
            [this](Element value, int64_t line, std::string_view record) {
                visit(value, line, record);
            });
    }

private:
    // `record` is the record's own text when it is a whole line, so payloads are not copied.
    void visit(Element value, int64_t line, std::string_view record)
    {
        if (value.is_array()) {
            for (Element item : value.get_array())
                visit(item, line, {});
            return;
        }
        if (!value.is_object()) {
            m_builder.warn(line, "expected an OpenAI trace or span object, found a JSON scalar");
            return;
        }
        const auto object = json::string(value, "object");
        if (object == "trace.span") {
            readSpan(value, line, record);
        } else if (object == "trace") {
            m_builder.noteTrace(json::string(value, "id"), json::string(value, "workflow_name"));
        } else if (auto data = json::member(value, "data"); data && data->is_array()) {
            for (Element item : data->get_array())
                visit(item, line, {});
        } else {
            m_builder.warn(line,
                "expected \"object\": \"trace\" or \"trace.span\""
                    + std::string(object.empty()
                            ? ""
                            : ", found \"" + std::string(object.substr(0, 40)) + "\""));
        }
    }

    void readSpan(Element span, int64_t line, std::string_view record)
    {
        SpanInput in;
        in.line = line;
        in.id = json::string(span, "id");
        in.traceId = json::string(span, "trace_id");
        in.parentId = json::string(span, "parent_id");
        if (in.id.empty())
            m_builder.warn(line, "span without an \"id\": kept, but nothing can name it as parent");
        if (in.traceId.empty()) {
            m_builder.warn(line, "span without a \"trace_id\": grouped under \"(no trace id)\"");
            in.traceId = "(no trace id)";
        }
        in.startNs = json::time(span, "started_at");
        in.endNs = json::time(span, "ended_at");
        for (const char* key : { "started_at", "ended_at" })
            if (!(key[0] == 's' ? in.startNs : in.endNs) && json::member(span, key))
                m_builder.warn(line, json::unreadableTime(key));

        std::string_view type;
        std::string_view name;
        std::string detail;
        if (auto data = json::member(span, "span_data")) {
            type = json::string(*data, "type");
            name = json::string(*data, "name");
            if (type == "handoff")
                detail = std::string(json::string(*data, "from_agent")) + " -> "
                    + std::string(json::string(*data, "to_agent"));
            else if (type == "mcp_tools")
                detail = std::string(json::string(*data, "server"));
        } else {
            m_builder.warn(line, "span without \"span_data\": kind unknown");
        }
        const SpanShape shape = classifySpan(type, name, detail);
        if (!shape.knownType)
            m_builder.warn(line,
                "unknown span_data type \"" + std::string(type.substr(0, 40))
                    + "\": imported as a generic span");
        in.kind = shape.kind;
        in.name = shape.name;

        const auto failure = json::member(span, "error");
        const std::string error = failure ? json::errorText(*failure) : std::string();
        in.error = error;
        in.status = error.empty() ? timeline::SpanStatus::Ok : timeline::SpanStatus::Error;
        json::addSpanWithRecord(m_builder, in, span, record);
    }

    timeline::TraceSetBuilder& m_builder;
    simdjson::dom::parser m_parser;
};

} // namespace

void readTraces(timeline::TraceSetBuilder& builder, std::shared_ptr<const std::string> bytes,
    std::string origin)
{
    bytes = json::padded(std::move(bytes));
    builder.beginSource(std::move(origin), bytes);
    Reader(builder).read(*bytes);
}

timeline::ImportResult importTraces(std::shared_ptr<const std::string> bytes, std::string origin)
{
    timeline::TraceSetBuilder builder(timeline::Source::OpenAi);
    readTraces(builder, std::move(bytes), std::move(origin));
    return builder.finish();
}

} // namespace tt::importers::openai
