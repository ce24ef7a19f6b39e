// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/tracebuilder.h"

#include <functional>
#include <memory>
#include <string>

namespace tt::importers::langsmith {

// LangSmith runs: a JSON array or JSON lines of run.dict() exports, /api/v1/runs/query pages
// {"runs":[...],"cursors":{...}}, /api/v2/runs/query pages {"items":[...],"next_cursor":...},
// and /runs/batch bodies {"post":[...],"patch":[...]}. Every run is one span; the OpenAI span id
// the Agents integration keeps in extra.metadata.openai_span_id becomes the span's link id.
timeline::ImportResult importRuns(std::shared_ptr<const std::string> bytes, std::string origin);

// Reads one more file, body or page into a builder shared with others (Source::LangSmith), so
// that a post and its later patch, or the pages of one trace, make one trace.
void readRuns(timeline::TraceSetBuilder& builder, std::shared_ptr<const std::string> bytes,
    std::string origin);

// Reads JSON lines handed over in pieces (whole lines, the first numbered `firstLine`) into the
// builder, after the caller's builder.beginSource(): a large file streamed without holding it.
// Returns the number of lines read.
using LineReader = std::function<int64_t(std::string_view lines, int64_t firstLine)>;
LineReader lineReader(timeline::TraceSetBuilder& builder);

} // namespace tt::importers::langsmith
