// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/tracebuilder.h"

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

} // namespace tt::importers::openai
