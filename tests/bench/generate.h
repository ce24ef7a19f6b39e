// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace tt::bench {

// Writes `spans` spans of Writer-like runs (task, agent, turns, generations, a tool call; ten
// spans a trace) as the Python file trace processor writes them: end order, microsecond times.
// Deterministic. Returns the path, reusing the file when it already exists with that size.
std::string openAiJsonLines(const std::string& directory, size_t spans);

// The same runs as LangSmith writes them: json.dumps(run.dict(), default=str) per line, with
// dotted_order, trace_id, parent_run_id and the OpenAI ids in extra.metadata.
std::string langSmithJsonLines(const std::string& directory, size_t runs);

} // namespace tt::bench
