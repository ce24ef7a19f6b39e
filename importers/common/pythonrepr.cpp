// SPDX-License-Identifier: MIT
#include "pythonrepr.h"

namespace tt::importers::pyrepr {

namespace {

// Decodes a Python string literal starting at text[pos] (quote ' or "). Nothing if unterminated.
std::optional<std::string> literal(std::string_view text, size_t pos)
{
    const char quote = text[pos];
    std::string out;
    for (size_t i = pos + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == quote)
            return out;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= text.size())
            return std::nullopt;
        switch (text[i]) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case '\\':
        case '\'':
        case '"':
            out += text[i];
            break;
        default: // \xNN, \uNNNN and friends: kept as written, readable enough for an inspector
            out += '\\';
            out += text[i];
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> field(std::string_view repr, std::string_view key)
{
    std::string needle;
    needle.reserve(key.size() + 4);
    needle += '\'';
    needle.append(key);
    needle += "': ";
    size_t pos = 0;
    while ((pos = repr.find(needle, pos)) != std::string_view::npos) {
        // A real key is preceded by '{' or ", ", not by text inside a string value.
        const bool atKey
            = pos == 0 || repr[pos - 1] == '{' || (pos >= 2 && repr.substr(pos - 2, 2) == ", ");
        const size_t value = pos + needle.size();
        pos = value;
        if (!atKey || value >= repr.size())
            continue;
        const char first = repr[value];
        if (first == '\'' || first == '"')
            return literal(repr, value);
        if (repr.substr(value, 4) == "None")
            return std::string();
        const size_t end = repr.find_first_of(",}", value);
        if (end == std::string_view::npos)
            return std::nullopt;
        return std::string(repr.substr(value, end - value));
    }
    return std::nullopt;
}

} // namespace tt::importers::pyrepr
