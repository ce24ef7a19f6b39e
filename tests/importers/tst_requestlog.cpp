// SPDX-License-Identifier: MIT
// The LLM stand-in's request log as a trace: what there is of a Writer that leaves none.
#include "importers/llmlog/requestlogimporter.h"

#include <gtest/gtest.h>

using namespace tt;

namespace {

// Three requests of two runs, as twintrace-llm --log writes them, and a broken line.
const char* const kLog
    = R"({"ts_ms":1770000001000,"run_id":"k3/baseline/1/s","call":1,"step":"tool_call","status":200,"fault":null,"duration_ms":250.0,"completed":true})"
      "\n"
      R"({"ts_ms":1770000001300,"run_id":"k3/baseline/1/s","call":2,"step":"report","status":429,"fault":"http_429","duration_ms":0.2,"completed":true})"
      "\n"
      R"({"ts_ms":1770000001400,"run_id":"k3/restate/1/s","call":1,"step":"tool_call","status":200,"fault":null,"duration_ms":240.0,"completed":true})"
      "\n"
      "{not json\n";

timeline::ImportResult import(const std::string& runId)
{
    return importers::llmlog::importRequestLog(
        std::make_shared<const std::string>(kLog), "llm.jsonl", runId);
}

} // namespace

TEST(RequestLog, OneRunsRequestsAreOneTraceOfNamedCalls)
{
    const auto result = import("k3/baseline/1/s");
    ASSERT_EQ(result.traces.size(), 1u);
    const timeline::Trace& trace = result.traces.front();
    EXPECT_EQ(trace.source, timeline::Source::LlmRequests);
    ASSERT_EQ(trace.spans.size(), 2u);
    EXPECT_EQ(trace.spanName(trace.spans[0]), "call 1 · 200");
    EXPECT_EQ(trace.spans[0].durationNs(), 250'000'000);
    EXPECT_EQ(trace.spans[0].endNs, 1'770'000'001'000'000'000);
    EXPECT_FALSE(trace.spans[0].hasError());
    EXPECT_EQ(trace.spanName(trace.spans[1]), "call 2 · 429 http_429");
    EXPECT_TRUE(trace.spans[1].hasError());
    EXPECT_EQ(trace.errorCount, 1u);
    ASSERT_EQ(result.warnings.size(), 1u); // the broken line, by its number
    EXPECT_EQ(result.warnings.front().line, 4);
}

TEST(RequestLog, WithoutARunEveryRequestIsKept)
{
    const auto result = import({});
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces.front().spans.size(), 3u);
}
