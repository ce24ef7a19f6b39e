// SPDX-License-Identifier: MIT
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tt::importers::json {

using Element = simdjson::dom::element;

// The value of a string member, or empty when missing, null or not a string.
std::string_view string(Element object, std::string_view key);
// A member that may be missing: nothing when absent or null.
std::optional<Element> member(Element object, std::string_view key);
// Reads an optional field into `out`, which keeps its value when the field is missing or of
// another type; true when it was read.
template <typename T> bool take(simdjson::simdjson_result<Element> value, T& out)
{
    return value.get(out) == simdjson::SUCCESS;
}

// A time member as vendors send it: an ISO 8601 string in any form parseTimestamp() knows, or a
// JSON number of epoch seconds, milliseconds, microseconds or nanoseconds (epochToNs()).
std::optional<int64_t> time(Element object, std::string_view key);
// The same for a value already found.
std::optional<int64_t> timeValue(Element value);
// The warning for a time member that is there but reads as neither.
std::string unreadableTime(std::string_view key);
// Compact JSON text of an element (for payloads of records that are not a line of their own).
std::string minified(Element element);
// A readable message for a simdjson error, e.g. "unclosed string" instead of "UNCLOSED_STRING".
std::string describe(simdjson::error_code error);

// Makes sure simdjson may read SIMDJSON_PADDING bytes past the end of the buffer; copies only
// when the buffer has too little spare capacity (files are read with that room already).
std::shared_ptr<const std::string> padded(std::shared_ptr<const std::string> bytes);
void reservePadding(std::string& bytes);

// Calls `onLine(line, lineNumber)` for each non-blank line, the first numbered `firstNumber`.
// Handles \n and \r\n. Returns the number of lines, blank ones included.
int64_t forEachLine(std::string_view bytes,
    const std::function<void(std::string_view line, int64_t number)>& onLine,
    int64_t firstNumber = 1);

// Parses a whole document. When it is cut short (a truncated export), tries to close it after
// the last complete object so that what came before still imports; `salvaged` tells.
simdjson::error_code parseDocument(
    simdjson::dom::parser& parser, std::string_view bytes, Element& root, bool& salvaged);

// The 1-based line number of a byte offset.
int64_t lineOf(std::string_view bytes, size_t offset);

} // namespace tt::importers::json
