// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tt::llm {

// What the stand-in (or the proxy in front of a real server) does to a response.
enum class FaultKind
{
    RateLimited, // 429 with Retry-After
    ServerError, // 500
    Unavailable, // 503
    ConnectionReset, // headers, then the connection closes without the body
    Stall, // no bytes for stallSeconds, then the normal answer
    TruncatedJson, // the JSON body (or the stream) is cut in the middle
    MissingHeadings, // the report lacks required headings
    SlowTokens, // tokens come at tokensPerSecond
};
std::string_view toString(FaultKind kind);

// Which LLM call of the Writer a request is: the first asks for the files (and gets a
// read_multiple_files tool call), the one after the tool result asks for the report.
enum class Step
{
    Any,
    ToolCall,
    Report
};
std::string_view toString(Step step);

struct Fault
{
    FaultKind kind = FaultKind::ServerError;
    // Where: from call index `fromCall` on (1-based, counted per run id), and/or on one step.
    std::optional<int> fromCall;
    Step step = Step::Any;
    // How often: the first `times` eligible requests (1 = once, k = k in a row, nothing =
    // always), or each eligible request with a seeded probability.
    std::optional<int> times = 1;
    std::optional<double> probability;
    double retryAfterSeconds = 1;
    double stallSeconds = 30;
    double tokensPerSecond = 2;
};

// Time to first token and decode speed. Defaults: gpt-oss-20b MXFP4 under llama.cpp on a DGX
// Spark (GB10): llama-bench pp2048 = 3610 t/s and tg32 = 79.7 t/s at depth 0, 3361 / 74.6 t/s at
// depth 4096 (ggml-org's published DGX Spark numbers, build b6767, Oct 2025). A Writer prompt is
// 2-5k tokens, so 3400 t/s prefill and 75 t/s decode; 40 ms fixed per request for HTTP, chat
// templating and sampling set-up (our estimate, not measured on a Spark).
struct LatencyModel
{
    double fixedMs = 40;
    double prefillTokensPerSecond = 3400;
    double decodeTokensPerSecond = 75;
    double scale = 1; // 0 = no modelled delay (tests, benchmarks)

    double timeToFirstTokenMs(int promptTokens) const;
    double perTokenMs(double tokensPerSecond = 0) const;
};

struct Scenario
{
    std::string name = "nominal";
    std::string description;
    uint64_t seed = 1;
    LatencyModel latency;
    std::vector<Fault> faults;
};

// Parses a scenario file's JSON. On error, returns nothing and sets `error` to
// "<file>: <field>: expected <what>" (e.g. "transient.json: faults[0].times: expected a positive
// integer or \"always\"").
std::optional<Scenario> parseScenario(
    const std::string& json, const std::string& file, std::string& error);

} // namespace tt::llm
