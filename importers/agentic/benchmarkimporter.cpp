// SPDX-License-Identifier: MIT
#include "agenticimporters.h"

#include "importers/common/jsonrecords.h"
#include "importers/openai/openaispans.h"
#include "importers/timeline/tracebuilder.h"

namespace tt::importers::agentic {

namespace {

using json::Element;

class Reader
{
public:
    Reader(std::shared_ptr<const std::string> bytes, std::string origin)
        : m_bytes(json::padded(std::move(bytes)))
        , m_builder(timeline::Source::AgenticBenchmark, std::move(origin), m_bytes)
    { }

    timeline::ImportResult run()
    {
        const std::string_view text(*m_bytes);
        Element root;
        bool salvaged = false;
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            m_builder.warn(0, "empty input: expected a benchmark trace.json");
        } else if (auto error = json::parseDocument(m_parser, text, root, salvaged)) {
            m_builder.warn(1, "expected a benchmark trace.json document: " + json::describe(error));
        } else {
            if (salvaged)
                m_builder.warn(json::lineOf(text, text.size()),
                    "input is cut short: imported the complete spans before the cut");
            readRoot(root);
        }
        return m_builder.finish();
    }

private:
    void readRoot(Element root)
    {
        auto traces = json::member(root, "traces");
        if (!traces || !traces->is_array()) {
            m_builder.warn(1, "expected {\"version\", \"timestamp\", \"traces\": [...]}");
            return;
        }
        for (Element trace : traces->get_array()) {
            const auto traceId = json::string(trace, "trace_id");
            m_builder.noteTrace(traceId, json::string(trace, "name"));
            auto spans = json::member(trace, "spans");
            if (!spans || !spans->is_array()) {
                m_builder.warn(1,
                    "trace \"" + std::string(traceId.substr(0, 40)) + "\" has no \"spans\" list");
                continue;
            }
            for (Element span : spans->get_array())
                readSpan(span, traceId);
        }
    }

    void readSpan(Element span, std::string_view traceId)
    {
        timeline::SpanInput in;
        in.traceId = traceId;
        in.id = json::string(span, "span_id");
        in.parentId = json::string(span, "parent_id");
        in.startNs = json::time(span, "started_at");
        in.endNs = json::time(span, "ended_at");
        std::string_view type, name = json::string(span, "name");
        // The benchmark writes a failed span's error on the span itself (a message such as "Error
        // getting response", or an object with one); older files kept it in metadata.
        std::string error;
        if (auto failure = json::member(span, "error"))
            error = json::errorText(*failure);
        if (auto metadata = json::member(span, "metadata")) {
            type = json::string(*metadata, "span_type");
            if (name.empty())
                name = json::string(*metadata, "span_name");
            if (error.empty())
                error = json::string(*metadata, "error");
        }
        const openai::SpanShape shape = type.empty()
            ? openai::SpanShape { timeline::SpanKind::Other,
                  std::string(name.empty() ? "span" : name) }
            : openai::classifySpan(type, name);
        in.kind = shape.kind;
        in.name = shape.name;
        in.error = error;
        in.status = error.empty() ? timeline::SpanStatus::Ok : timeline::SpanStatus::Error;
        json::addSpanWithRecord(m_builder, in, span, {});
    }

    std::shared_ptr<const std::string> m_bytes;
    timeline::TraceSetBuilder m_builder;
    simdjson::dom::parser m_parser;
};

} // namespace

timeline::ImportResult importBenchmark(std::shared_ptr<const std::string> bytes, std::string origin)
{
    return Reader(std::move(bytes), std::move(origin)).run();
}

} // namespace tt::importers::agentic
