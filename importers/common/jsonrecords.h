// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/tracebuilder.h"
#include "jsonutil.h"

namespace tt::importers::json {

// Reads JSON that comes either as JSON lines (one record per line; a bad line is a warning and
// the next line still imports) or as one document (an array, a page, a payload; a truncated one
// is salvaged up to its last complete object). `visit` gets each top-level value with its line
// number and, for JSON lines, the line's own text so payloads can point into the source.
// `what` names the expected content in messages, e.g. "OpenAI trace or span objects".
using RecordVisitor = std::function<void(Element value, int64_t line, std::string_view record)>;
void readRecords(std::string_view text, simdjson::dom::parser& parser,
    timeline::TraceSetBuilder& builder, std::string_view what, const RecordVisitor& visit);

// The text after a UTF-8 byte order mark, which some Windows editors write and JSON does not
// allow; the text itself when it has none.
std::string_view withoutBom(std::string_view text);

// Whether `text` reads as JSON lines by readRecords()'s rule (judged on its first lines).
bool isJsonLines(std::string_view text, simdjson::dom::parser& parser);
// Reads text known to be JSON lines, whole lines only, the first of them numbered `firstLine`:
// a large file streamed through in pieces. Returns the number of lines read.
int64_t readRecordLines(std::string_view text, int64_t firstLine, simdjson::dom::parser& parser,
    timeline::TraceSetBuilder& builder, std::string_view what, const RecordVisitor& visit);

// The reading every JSON importer shares: a whole text, or JSON lines streamed in pieces, each
// top-level record handed to visit().
class RecordReader
{
public:
    RecordReader(timeline::TraceSetBuilder& builder, std::string_view what)
        : m_builder(builder)
        , m_what(what)
    { }
    virtual ~RecordReader() = default;

    void read(std::string_view text) { readRecords(text, m_parser, m_builder, m_what, visitor()); }
    int64_t readLines(std::string_view text, int64_t firstLine)
    {
        return readRecordLines(text, firstLine, m_parser, m_builder, m_what, visitor());
    }

protected:
    virtual void visit(Element value, int64_t line, std::string_view record) = 0;
    timeline::TraceSetBuilder& m_builder;

private:
    RecordVisitor visitor()
    {
        return [this](Element value, int64_t line, std::string_view record) {
            visit(value, line, record);
        };
    }
    simdjson::dom::parser m_parser;
    std::string_view m_what;
};

// The text of an error member: a string as is, else its "message", else its compact JSON.
std::string errorText(Element failure);

// Adds the span with its source record as payload: the JSON line itself when there is one (no
// copy), else the element's compact JSON; nothing when the builder keeps no records.
void addSpanWithRecord(timeline::TraceSetBuilder& builder, timeline::SpanInput& in, Element element,
    std::string_view record);

} // namespace tt::importers::json
