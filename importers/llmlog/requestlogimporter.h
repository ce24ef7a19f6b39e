// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <memory>
#include <string>

namespace tt::importers::llmlog {

// The LLM stand-in's (or fault proxy's) request log, as twintrace-llm --log writes it: JSON lines
// {"ts_ms":…,"run_id":"…","call":2,"step":"report","status":429,"fault":"http_429",
//  "duration_ms":…,"completed":true,…}, one per request, written as it ends. The requests of one
// run (all of them when runId is empty) become one trace, one span per request named by its call
// and answer ("call 2 · 429 http_429"), failed when not answered in full. It is all there is of
// a Writer that leaves no trace of its own (the team's, in DGX Spark mode).
timeline::ImportResult importRequestLog(
    std::shared_ptr<const std::string> bytes, std::string origin, const std::string& runId = {});

} // namespace tt::importers::llmlog
