// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/tracebuilder.h"

#include <functional>
#include <memory>
#include <string>

namespace tt::importers::openai {

// OpenAI Agents SDK traces: JSON lines as a file trace processor writes them (one
// trace.export() / span.export() per line, spans in end order), the HTTP ingest payload
// {"data":[...]} (also one per line), or a JSON array of trace and span objects.
timeline::ImportResult importTraces(std::shared_ptr<const std::string> bytes, std::string origin);

// Reads one more file or request body into a builder shared with others (Source::OpenAi), so
// that a trace exported in several requests or files becomes one trace.
void readTraces(timeline::TraceSetBuilder& builder, std::shared_ptr<const std::string> bytes,
    std::string origin);

// Reads JSON lines handed over in pieces (whole lines, the first numbered `firstLine`) into the
// builder, after the caller's builder.beginSource(): a large file streamed without holding it.
// Returns the number of lines read.
using LineReader = std::function<int64_t(std::string_view lines, int64_t firstLine)>;
LineReader lineReader(timeline::TraceSetBuilder& builder);

} // namespace tt::importers::openai
