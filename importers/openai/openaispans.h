// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/span.h"

#include <string>
#include <string_view>

namespace tt::importers::openai {

// Kind and display name of an OpenAI Agents SDK span from its span_data type (span_data.py in
// openai-agents-python, spans.ts in openai-agents-js). Shared by every importer that reads these
// spans, whatever file they came in (JSONL, ingest payload, agentic trace.log, trace.json).
struct SpanShape
{
    timeline::SpanKind kind = timeline::SpanKind::Other;
    std::string name;
    bool knownType = true;
};

// `name` is span_data.name where the type has one; `detail` is what else names the span
// (a handoff's "from -> to", an MCP server) and may be empty.
SpanShape classifySpan(std::string_view type, std::string_view name, std::string_view detail = {});

} // namespace tt::importers::openai
