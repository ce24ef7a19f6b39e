// SPDX-License-Identifier: MIT
#pragma once

#include "agents/restate/endpoint.h"
#include "agents/writer/writer.h"

#include <functional>

namespace tt::durable {

struct DurableWriterOptions
{
    writer::WriterConfig writer; // LLM client, agent loop, crash point; runId comes per run
    restate::RetryPolicy retry; // how Restate retries a failed step
    // Progress lines (step_started, retry, crash_point...), with "invocation" added; may be
    // called from several threads at once.
    std::function<void(nlohmann::json)> progress;
};

// The service `WriterAgentRestate`, handler `run` (the names of the team's Python proof of
// concept). Input: {query, temp_dir, files[], output_dir, run_id?, traces?: {openai, langsmith,
// trace_log}, fail_once?: {step, marker}}; output: the baseline's final line (outcome, report,
// llm_calls...). Each LLM call
// ("call LLM"), read_multiple_files and save_report is a durable step; bad input and malformed
// model output fail the invocation for good (TerminalError), transient LLM and save failures make
// Restate retry the step.
restate::ServiceDefinition writerService(DurableWriterOptions options);

} // namespace tt::durable
