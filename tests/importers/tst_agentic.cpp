// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include "importers/agentic/agenticimporters.h"

#include <gtest/gtest.h>

using namespace tt::importers;
using namespace tt::importers::testing;
using tt::timeline::SpanKind;

TEST(TraceLogImporter, RecoversSpansParentsAndPreciseTimes)
{
    const auto result = importFixture("agentic/trace.log");
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.name, "Deep Research");
    EXPECT_EQ(trace.spans.size(), 9u); // span_start and span_end lines make one span each
    EXPECT_EQ(stepLabels(trace), kWriterSteps);
    // parent_id is not a field of the line: it comes from the repr in DATA.
    for (const auto& span : trace.spans)
        EXPECT_EQ(span.parentId.empty(), span.parent < 0) << trace.str(span.id);
    // STARTED/ENDED keep microseconds although asctime has seconds only.
    const auto* tool = findSpan(trace, "span_9d281a9382d8bc44ad9f2c4e");
    ASSERT_NE(tool, nullptr);
    EXPECT_EQ(tool->durationNs(), 22'366'000);
}

TEST(TraceLogImporter, SameRunAsTheJsonLines)
{
    const auto log = importFixture("agentic/trace.log");
    const auto jsonl = importFixture("openai/writer_python.jsonl");
    ASSERT_EQ(log.traces.size(), 1u);
    ASSERT_EQ(jsonl.traces.size(), 1u);
    const auto& a = log.traces[0];
    const auto& b = jsonl.traces[0];
    ASSERT_EQ(a.spans.size(), b.spans.size());
    for (size_t i = 0; i < a.spans.size(); ++i) {
        EXPECT_EQ(a.str(a.spans[i].id), b.str(b.spans[i].id));
        EXPECT_EQ(a.spans[i].startNs, b.spans[i].startNs);
        EXPECT_EQ(a.spans[i].endNs, b.spans[i].endNs);
        EXPECT_EQ(a.spans[i].parent, b.spans[i].parent);
        EXPECT_EQ(a.spanName(a.spans[i]), b.spanName(b.spans[i]));
    }
}

TEST(TraceLogImporter, CutDataAndCutLinesAreReported)
{
    const auto result = importFixture("bad/truncated_trace.log");
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 2u);
    EXPECT_TRUE(hasWarning(result, "span_end without a readable ENDED", 4));
    EXPECT_TRUE(hasWarning(result, "have a start but no end"));
}

TEST(RunLogImporter, OneSpanPerRecordWithTracebacksAttached)
{
    const auto result = importFixture("agentic/run_20260209_101500.log");
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.spans.size(), 26u); // 26 records on 70 lines
    EXPECT_EQ(trace.errorCount, 3u);
    bool tracebackInRecord = false;
    for (const auto& span : trace.spans) {
        EXPECT_EQ(trace.spanKind(span), SpanKind::LogLine);
        const auto text = trace.str(span.payload);
        if (text.find("Research failed with error") != std::string_view::npos) {
            // Both chained tracebacks belong to the record that logged them.
            EXPECT_NE(text.find("During handling of the above exception"), std::string_view::npos);
            EXPECT_NE(text.find("litellm.exceptions.RateLimitError"), std::string_view::npos);
            EXPECT_TRUE(span.hasError());
            EXPECT_EQ(trace.str(span.error).substr(0, 27), "Research failed with error:");
            tracebackInRecord = true;
        }
    }
    EXPECT_TRUE(tracebackInRecord);
    EXPECT_EQ(trace.spanName(trace.spans[0]), "agentic-research");
}

TEST(RunLogImporter, MillisecondAsctimeToo)
{
    auto bytes = std::make_shared<std::string>(
        "2026-02-09 10:15:00,123 - agentic-research - INFO - start\n"
        "2026-02-09 10:15:00,456 - agentic-research - CRITICAL - stop\n");
    const auto result = agentic::importRunLog(bytes, "run_x.log");
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].durationNs(), 333'000'000);
    EXPECT_EQ(result.traces[0].errorCount, 1u);
}

TEST(BenchmarkImporter, TraceTimesComeFromSpans)
{
    const auto result = importFixture("agentic/benchmark_trace.json");
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.spans.size(), 9u);
    EXPECT_EQ(stepLabels(trace), kWriterSteps);
    EXPECT_GT(trace.durationNs(), 13'000'000'000);
    EXPECT_LT(trace.durationNs(), 14'000'000'000);
}

TEST(BenchmarkImporter, ASpanWithAnErrorCountsAsAnError)
{
    // The shape agentic-research's benchmark writes when the model server answers 503.
    auto bytes = std::make_shared<const std::string>(R"({"version":"1.0","traces":[
        {"trace_id":"trace_1","name":"Deep Research","spans":[
         {"span_id":"span_a","trace_id":"trace_1","parent_id":null,"name":"task",
          "started_at":"2026-02-09T10:15:00.000000+00:00","ended_at":"2026-02-09T10:15:02+00:00",
          "metadata":{"span_type":"custom","span_name":"task"}},
         {"span_id":"span_b","trace_id":"trace_1","parent_id":"span_a","name":null,
          "started_at":"2026-02-09T10:15:00.5+00:00","ended_at":"2026-02-09T10:15:01+00:00",
          "error":{"message":"Error getting response","data":{"status":503,"error":"Loading model"}},
          "metadata":{"span_type":"generation"}},
         {"span_id":"span_c","trace_id":"trace_1","parent_id":"span_a","name":null,
          "started_at":"2026-02-09T10:15:01+00:00","ended_at":"2026-02-09T10:15:01.5+00:00",
          "error":"Error getting response","metadata":{"span_type":"generation"}}]}]})");
    const auto result = agentic::importBenchmark(bytes, "trace.json");
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.errorCount, 2u);
    const auto* failed = findSpan(trace, "span_b");
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(trace.str(failed->error), "Error getting response");
}
