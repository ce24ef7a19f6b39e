// SPDX-License-Identifier: MIT
#include "langsmithimporter.h"

#include "importers/common/jsonrecords.h"
#include "importers/timeline/tracebuilder.h"
#include "multipartruns.h"

#include <algorithm>
#include <cctype>

namespace tt::importers::langsmith {

namespace {

using json::Element;
using timeline::SpanInput;
using timeline::SpanKind;

// dotted_order is "<%Y%m%dT%H%M%S%fZ><run id>" per level, joined with '.' from the root down.
// Its segments give the trace (first) and the parent (second to last) when a run omits them.
struct DottedOrder
{
    std::string_view root;
    std::string_view parent;
};

DottedOrder splitDottedOrder(std::string_view dotted)
{
    auto idOf = [](std::string_view segment) {
        const size_t z = segment.find('Z');
        return z == std::string_view::npos ? std::string_view() : segment.substr(z + 1);
    };
    DottedOrder out;
    if (dotted.empty())
        return out;
    out.root = idOf(dotted.substr(0, dotted.find('.')));
    const size_t last = dotted.rfind('.');
    if (last != std::string_view::npos) {
        const size_t before = dotted.rfind('.', last - 1);
        const size_t from = before == std::string_view::npos ? 0 : before + 1;
        out.parent = idOf(dotted.substr(from, last - from));
    }
    return out;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == y;
    });
}

// run_type is lower case in run.dict() and the v1 API, upper case in the v2 API.
SpanKind kindOf(std::string_view runType, bool hasParent)
{
    if (equalsNoCase(runType, "llm"))
        return SpanKind::LlmCall;
    if (equalsNoCase(runType, "tool"))
        return SpanKind::ToolCall;
    if (equalsNoCase(runType, "chain") && !hasParent)
        return SpanKind::Run;
    return SpanKind::Other;
}

class Reader : public json::RecordReader
{
public:
    explicit Reader(timeline::TraceSetBuilder& builder)
        : RecordReader(builder, "LangSmith runs")
    { }

private:
    void visitList(Element list, int64_t line)
    {
        for (Element item : list.get_array())
            visit(item, line, {});
    }

    void visit(Element value, int64_t line, std::string_view record) override
    {
        if (value.is_array()) {
            visitList(value, line);
            return;
        }
        if (!value.is_object()) {
            m_builder.warn(line, "expected a LangSmith run object, found a JSON scalar");
            return;
        }
        bool container = false;
        for (const char* key : { "runs", "items", "post", "patch" }) {
            if (auto list = json::member(value, key); list && list->is_array()) {
                visitList(*list, line);
                container = true;
            }
        }
        if (container)
            return;
        if (!json::member(value, "id")) {
            m_builder.warn(line, "expected a LangSmith run (an object with \"id\")");
            return;
        }
        readRun(value, line, record);
    }

    void readRun(Element run, int64_t line, std::string_view record)
    {
        SpanInput in;
        in.line = line;
        in.id = json::string(run, "id");
        in.parentId = json::string(run, "parent_run_id");
        in.traceId = json::string(run, "trace_id");
        const auto dotted = splitDottedOrder(json::string(run, "dotted_order"));
        if (in.traceId.empty())
            in.traceId = !dotted.root.empty() ? dotted.root : in.id;
        if (in.parentId.empty() && !dotted.parent.empty())
            in.parentId = dotted.parent;
        // The v2 query has no parent_run_id; its parent_run_ids ends with the direct parent.
        if (in.parentId.empty())
            if (auto ancestors = json::member(run, "parent_run_ids");
                ancestors && ancestors->is_array()) {
                simdjson::dom::array list = *ancestors;
                if (list.size() > 0 && list.at(list.size() - 1).get(in.parentId))
                    in.parentId = {};
            }
        in.startNs = json::time(run, "start_time");
        in.endNs = json::time(run, "end_time");
        // A patch has no start_time: the builder joins it to its post.
        for (const char* key : { "start_time", "end_time" })
            if (!(key[0] == 's' ? in.startNs : in.endNs) && json::member(run, key))
                m_builder.warn(line, json::unreadableTime(key));

        const auto runType = json::string(run, "run_type");
        in.kind = kindOf(runType, !in.parentId.empty());
        in.name = json::string(run, "name");
        if (in.name.empty())
            in.name = runType.empty() ? std::string_view("run") : runType;

        if (auto extra = json::member(run, "extra"))
            if (auto metadata = json::member(*extra, "metadata"))
                in.linkId = json::string(*metadata, "openai_span_id");

        const auto failure = json::member(run, "error");
        std::string error = failure ? json::errorText(*failure) : std::string();
        if (error.empty() && equalsNoCase(json::string(run, "status"), "error"))
            error = "error";
        in.error = error;
        in.status = error.empty() ? timeline::SpanStatus::Ok : timeline::SpanStatus::Error;
        json::addSpanWithRecord(m_builder, in, run, record);
    }
};

// A saved /runs/multipart body: its runs, rebuilt from the parts, read like a /runs/batch body.
// Line numbers in warnings count those runs.
void readMultipart(timeline::TraceSetBuilder& builder, std::string_view body, std::string origin)
{
    std::string error;
    const auto parts = splitMultipartBody(body, error);
    int runs = 0;
    std::vector<std::string> problems;
    auto lines = std::make_shared<std::string>(runsAsJsonLines(parts, runs, problems));
    json::reservePadding(*lines);
    builder.beginSource(std::move(origin), lines);
    if (!error.empty())
        builder.warn(1, error);
    for (auto& problem : problems)
        builder.warn(0, "multipart body: " + problem + ": skipped");
    if (runs > 0)
        Reader(builder).read(*lines);
    else if (error.empty() && problems.empty())
        builder.warn(0, "multipart body without post.<id> or patch.<id> run parts");
}

} // namespace

LineReader lineReader(timeline::TraceSetBuilder& builder)
{
    return [reader = std::make_shared<Reader>(builder)](std::string_view lines, int64_t firstLine) {
        return reader->readLines(lines, firstLine);
    };
}

void readRuns(timeline::TraceSetBuilder& builder, std::shared_ptr<const std::string> bytes,
    std::string origin)
{
    if (bytes && looksLikeMultipartRuns(std::string_view(*bytes).substr(0, 64 * 1024))) {
        readMultipart(builder, *bytes, std::move(origin));
        return;
    }
    bytes = json::padded(std::move(bytes));
    builder.beginSource(std::move(origin), bytes);
    Reader(builder).read(*bytes);
}

timeline::ImportResult importRuns(std::shared_ptr<const std::string> bytes, std::string origin)
{
    timeline::TraceSetBuilder builder(timeline::Source::LangSmith);
    readRuns(builder, std::move(bytes), std::move(origin));
    return builder.finish();
}

} // namespace tt::importers::langsmith
