// SPDX-License-Identifier: MIT
#include "openaiimporter.h"

#include "importers/common/jsonrecords.h"
#include "importers/timeline/tracebuilder.h"
#include "openaispans.h"

namespace tt::importers::openai {

namespace {

using json::Element;
using timeline::SpanInput;

class Reader : public json::RecordReader
{
public:
    explicit Reader(timeline::TraceSetBuilder& builder)
        : RecordReader(builder, "OpenAI trace or span objects")
    { }

private:
    // `record` is the record's own text when it is a whole line, so payloads are not copied.
    void visit(Element value, int64_t line, std::string_view record) override
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
        // One pass over the members: a 300k-span file spends a tenth of its time looking keys
        // up one by one. A key written twice counts once, its first time, as a lookup by key
        // reads it.
        std::optional<Element> started;
        std::optional<Element> ended;
        std::optional<Element> data;
        std::optional<Element> failure;
        unsigned seen = 0;
        const auto first = [&seen](unsigned bit) {
            const bool unseen = !(seen & bit);
            seen |= bit;
            return unseen;
        };
        for (const auto field : simdjson::dom::object(span)) {
            const std::string_view key = field.key;
            const Element value = field.value;
            const auto present = value.is_null() ? std::nullopt : std::optional<Element>(value);
            if (key == "id" && first(1u))
                in.id = stringOf(value);
            else if (key == "trace_id" && first(2u))
                in.traceId = stringOf(value);
            else if (key == "parent_id" && first(4u))
                in.parentId = stringOf(value);
            else if (key == "started_at" && first(8u))
                started = present;
            else if (key == "ended_at" && first(16u))
                ended = present;
            else if (key == "span_data" && first(32u))
                data = present;
            else if (key == "error" && first(64u))
                failure = present;
        }
        if (in.id.empty())
            m_builder.warn(line, "span without an \"id\": kept, but nothing can name it as parent");
        if (in.traceId.empty()) {
            m_builder.warn(line, "span without a \"trace_id\": grouped under \"(no trace id)\"");
            in.traceId = "(no trace id)";
        }
        if (started)
            in.startNs = json::timeValue(*started);
        if (ended)
            in.endNs = json::timeValue(*ended);
        if (started && !in.startNs)
            m_builder.warn(line, json::unreadableTime("started_at"));
        if (ended && !in.endNs)
            m_builder.warn(line, json::unreadableTime("ended_at"));

        std::string_view type;
        std::string_view name;
        std::string detail;
        if (data) {
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

        const std::string error = failure ? json::errorText(*failure) : std::string();
        in.error = error;
        in.status = error.empty() ? timeline::SpanStatus::Ok : timeline::SpanStatus::Error;
        json::addSpanWithRecord(m_builder, in, span, record);
    }

    static std::string_view stringOf(Element value)
    {
        std::string_view text;
        return value.get(text) == simdjson::SUCCESS ? text : std::string_view();
    }
};

} // namespace

LineReader lineReader(timeline::TraceSetBuilder& builder)
{
    return [reader = std::make_shared<Reader>(builder)](std::string_view lines, int64_t firstLine) {
        return reader->readLines(lines, firstLine);
    };
}

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
