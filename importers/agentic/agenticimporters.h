// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <memory>
#include <string>

// The files the team's agentic-research project writes today (see research/user_repo.md §3).
namespace tt::importers::agentic {

// traces/trace.log of FileTraceProcessor: "asctime - LEVEL - EVENT: span_end | TRACE: … |
// SPAN: … | STARTED: … | ENDED: … | DATA: <repr of span.export(), cut at 500 characters>".
timeline::ImportResult importTraceLog(std::shared_ptr<const std::string> bytes, std::string origin);

// logs/run_<timestamp>.log of setup_run_logging(): "asctime - logger - LEVEL - message"; lines
// without a leading time (tracebacks) belong to the record above them. One log_line span per
// record, ERROR and CRITICAL records marked as errors.
timeline::ImportResult importRunLog(std::shared_ptr<const std::string> bytes, std::string origin);

// benchmarks/traces/trace_<timestamp>.json of BenchmarkTraceProcessor:
// {version, timestamp, traces:[{trace_id, name, started_at, ended_at, metadata, spans:[…]}]}.
// Trace-level times are null there; spans carry them.
timeline::ImportResult importBenchmark(
    std::shared_ptr<const std::string> bytes, std::string origin);

} // namespace tt::importers::agentic
