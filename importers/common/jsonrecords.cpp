// SPDX-License-Identifier: MIT
#include "jsonrecords.h"

namespace tt::importers::json {

namespace {

std::string_view lineAt(std::string_view text, size_t from)
{
    size_t end = text.find('\n', from);
    if (end == std::string_view::npos)
        end = text.size();
    std::string_view line = text.substr(from, end - from);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    return line;
}

// JSON lines when the first line is a complete JSON value on its own, or at least looks like a
// whole object (a bad first line must not turn the rest into one unreadable document), or the
// next line starts another object. A pretty-printed document's first line is only a bracket.
bool startsAsJsonLines(std::string_view text, size_t first, simdjson::dom::parser& parser)
{
    if (text[first] != '{')
        return false;
    const std::string_view line = lineAt(text, first);
    Element root;
    if (!parser.parse(line.data(), line.size(), false).get(root))
        return true;
    if (line.size() > 1 && line.back() == '}')
        return true;
    const size_t next = text.find_first_not_of(" \t\r\n", first + line.size());
    return next != std::string_view::npos && text[next] == '{';
}

} // namespace

std::string_view withoutBom(std::string_view text)
{
    return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

bool isJsonLines(std::string_view text, simdjson::dom::parser& parser)
{
    text = withoutBom(text);
    const size_t first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && startsAsJsonLines(text, first, parser);
}

int64_t readRecordLines(std::string_view text, int64_t firstLine, simdjson::dom::parser& parser,
    timeline::TraceSetBuilder& builder, std::string_view what, const RecordVisitor& visit)
{
    return forEachLine(
        text,
        [&](std::string_view line, int64_t number) {
            Element root;
            if (auto error = parser.parse(line.data(), line.size(), false).get(root)) {
                builder.warn(number,
                    "expected one JSON value per line (" + std::string(what)
                        + "): " + describe(error));
                return;
            }
            visit(root, number, line);
        },
        firstLine);
}

void readRecords(std::string_view text, simdjson::dom::parser& parser,
    timeline::TraceSetBuilder& builder, std::string_view what, const RecordVisitor& visit)
{
    text = withoutBom(text);
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        builder.warn(0, "empty input: expected " + std::string(what));
        return;
    }
    if (startsAsJsonLines(text, first, parser)) {
        readRecordLines(text, 1, parser, builder, what, visit);
        return;
    }
    Element root;
    bool salvaged = false;
    if (auto error = parseDocument(parser, text, root, salvaged)) {
        builder.warn(lineOf(text, first),
            "expected a JSON document of " + std::string(what) + ": " + describe(error));
        return;
    }
    if (salvaged)
        builder.warn(lineOf(text, text.size()),
            "input is cut short: imported the complete records before the cut");
    visit(root, lineOf(text, first), {});
}

std::string errorText(Element failure)
{
    if (failure.is_string())
        return std::string(std::string_view(failure));
    std::string text(string(failure, "message"));
    if (text.empty())
        text = minified(failure);
    return text.empty() ? "error" : text;
}

void addSpanWithRecord(timeline::TraceSetBuilder& builder, timeline::SpanInput& in, Element element,
    std::string_view record)
{
    std::string owned;
    if (record.empty() && builder.keepsRecords())
        owned = minified(element);
    in.payload = record.empty() ? std::string_view(owned) : record;
    builder.addSpan(in);
}

} // namespace tt::importers::json
