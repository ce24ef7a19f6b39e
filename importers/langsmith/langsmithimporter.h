// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <memory>
#include <string>

namespace tt::importers::langsmith {

// LangSmith runs: a JSON array or JSON lines of run.dict() exports, /api/v1/runs/query pages
// {"runs":[...],"cursors":{...}}, /api/v2/runs/query pages {"items":[...],"next_cursor":...},
// and /runs/batch bodies {"post":[...],"patch":[...]}. Every run is one span; the OpenAI span id
// the Agents integration keeps in extra.metadata.openai_span_id becomes the span's link id.
timeline::ImportResult importRuns(std::shared_ptr<const std::string> bytes, std::string origin);

} // namespace tt::importers::langsmith
