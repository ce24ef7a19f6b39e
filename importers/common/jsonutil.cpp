// SPDX-License-Identifier: MIT
#include "jsonutil.h"

#include "timeparse.h"

#include <algorithm>
#include <iterator>

namespace tt::importers::json {

std::string_view string(Element object, std::string_view key)
{
    std::string_view value;
    if (object.is_object() && object[key].get(value) == simdjson::SUCCESS)
        return value;
    return {};
}

std::optional<Element> member(Element object, std::string_view key)
{
    Element value;
    if (!object.is_object() || object[key].get(value) != simdjson::SUCCESS || value.is_null())
        return std::nullopt;
    return value;
}

std::optional<int64_t> time(Element object, std::string_view key)
{
    Element value;
    if (!object.is_object() || object[key].get(value) != simdjson::SUCCESS)
        return std::nullopt;
    return timeValue(value);
}

std::optional<int64_t> timeValue(Element value)
{
    int64_t whole = 0;
    if (value.get(whole) == simdjson::SUCCESS)
        return epochToNs(whole);
    double number = 0;
    if (value.get(number) == simdjson::SUCCESS)
        return epochToNs(number);
    std::string_view text;
    if (value.get(text) != simdjson::SUCCESS || text.empty())
        return std::nullopt;
    return parseTimestamp(text);
}

std::string unreadableTime(std::string_view key)
{
    return "\"" + std::string(key)
        + "\" is neither an ISO 8601 time nor a number of epoch seconds or milliseconds";
}

std::string minified(Element element)
{
    return simdjson::minify(element);
}

std::string describe(simdjson::error_code error)
{
    switch (error) {
    case simdjson::UNCLOSED_STRING:
        return "a string is not closed (truncated input?)";
    case simdjson::TAPE_ERROR:
        return "malformed JSON (unbalanced brackets, missing value or truncated input)";
    case simdjson::DEPTH_ERROR:
        return "JSON nested deeper than 1024 levels";
    case simdjson::UTF8_ERROR:
        return "invalid UTF-8";
    case simdjson::CAPACITY:
        return "document larger than 4 GiB";
    case simdjson::EMPTY:
        return "empty document";
    default:
        return std::string("malformed JSON: ") + simdjson::error_message(error);
    }
}

std::shared_ptr<const std::string> padded(std::shared_ptr<const std::string> bytes)
{
    if (!bytes)
        return std::make_shared<const std::string>();
    if (bytes->capacity() - bytes->size() >= simdjson::SIMDJSON_PADDING)
        return bytes;
    auto copy = std::make_shared<std::string>(*bytes);
    reservePadding(*copy);
    return copy;
}

void reservePadding(std::string& bytes)
{
    const size_t size = bytes.size();
    // Growing then shrinking zero-fills the padding and keeps it as capacity.
    bytes.resize(size + simdjson::SIMDJSON_PADDING, '\0');
    bytes.resize(size);
}

int64_t forEachLine(std::string_view bytes,
    const std::function<void(std::string_view line, int64_t number)>& onLine, int64_t firstNumber)
{
    int64_t number = firstNumber - 1;
    size_t pos = 0;
    while (pos < bytes.size()) {
        size_t end = bytes.find('\n', pos);
        if (end == std::string_view::npos)
            end = bytes.size();
        ++number;
        std::string_view line = bytes.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos)
            onLine(line, number);
        pos = end + 1;
    }
    return number - (firstNumber - 1);
}

int64_t lineOf(std::string_view bytes, size_t offset)
{
    offset = std::min(offset, bytes.size());
    return 1 + std::count(bytes.begin(), bytes.begin() + offset, '\n');
}

simdjson::error_code parseDocument(
    simdjson::dom::parser& parser, std::string_view bytes, Element& root, bool& salvaged)
{
    salvaged = false;
    auto error = parser.parse(bytes.data(), bytes.size(), false).get(root);
    if (!error || error == simdjson::DEPTH_ERROR || error == simdjson::UTF8_ERROR)
        return error;
    // Cut after one of the last complete objects and close what is open. Bounded: the input is
    // broken anyway, so a few dozen reparses are fine, an unbounded search is not.
    static const char* const closers[] = { "]", "]}", "}]", "]}}", "}]}", "]}]}", "}]}]}", "]}]" };
    constexpr size_t kMaxReparsedBytes = size_t(512) << 20;
    const size_t maxCuts
        = std::min<size_t>(40, kMaxReparsedBytes / (bytes.size() * std::size(closers) + 1));
    size_t searchEnd = bytes.size();
    for (size_t cut = 0; cut < maxCuts; ++cut) {
        const size_t brace = bytes.rfind('}', searchEnd == 0 ? 0 : searchEnd - 1);
        if (brace == std::string_view::npos || searchEnd == 0)
            break;
        searchEnd = brace;
        for (const char* closer : closers) {
            std::string attempt(bytes.substr(0, brace + 1));
            attempt += closer;
            if (!parser.parse(attempt).get(root)) {
                salvaged = true;
                return simdjson::SUCCESS;
            }
        }
    }
    return error;
}

} // namespace tt::importers::json
