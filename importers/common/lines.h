// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace tt::importers {

// Calls visit(line, text) for each line of `text` that is not blank, with its 1-based number:
// the walk of the JSON-lines files TwinTrace writes itself (GPU samples, the LLM request log).
template <typename Visit> void forEachLine(std::string_view text, Visit&& visit)
{
    int64_t line = 0;
    while (!text.empty()) {
        const size_t end = text.find('\n');
        const std::string_view record = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++line;
        if (record.find_first_not_of(" \t\r") != std::string_view::npos)
            visit(line, record);
    }
}

} // namespace tt::importers
