// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tt::importers::pyrepr {

// Reads one field of a Python dict repr such as str(span.export()):
//   {'object': 'trace.span', 'id': 'span_1', 'parent_id': None, 'span_data': {'type': ...
// Returns the decoded string value of the first `'key': '...'` found, "" for None, and nothing
// when the key is absent or its value was cut off (the agentic trace log cuts DATA at 500
// characters). Only string and None values are read; other values come back as their raw text.
std::optional<std::string> field(std::string_view repr, std::string_view key);

} // namespace tt::importers::pyrepr
