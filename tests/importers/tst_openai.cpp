// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include "importers/openai/openaiimporter.h"

#include <gtest/gtest.h>

using namespace tt::importers;
using namespace tt::importers::testing;
using tt::timeline::SpanKind;

TEST(OpenAiImporter, PythonFileProcessorJsonLines)
{
    const auto result = importFixture("openai/writer_python.jsonl");
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.source, tt::timeline::Source::OpenAi);
    EXPECT_EQ(trace.id, "trace_3bf782616935878b39e504cc45ed7660");
    EXPECT_EQ(trace.name, "Deep Research"); // from the trace object, which has no times
    EXPECT_EQ(trace.spans.size(), 9u); // the trace object is not a span
    EXPECT_EQ(stepLabels(trace), kWriterSteps);

    // Spans arrive in end order; every parent is found anyway.
    for (const auto& span : trace.spans)
        EXPECT_EQ(span.parentId.empty(), span.parent < 0) << trace.str(span.id);
    const auto* tool = findSpan(trace, "span_9d281a9382d8bc44ad9f2c4e");
    ASSERT_NE(tool, nullptr);
    EXPECT_EQ(trace.spanKind(*tool), SpanKind::ToolCall);
    EXPECT_EQ(trace.spanName(*tool), "read_multiple_files");
    // Microsecond precision of Python's isoformat: 10:15:04.931552 -> 10:15:04.953918.
    EXPECT_EQ(tool->durationNs(), 22'366'000);
    const auto& agent = trace.spans[size_t(tool->parent)];
    EXPECT_EQ(trace.str(agent.id), "span_0ffcda6bf167f00b359ae851"); // the turn span
    EXPECT_EQ(trace.spanName(trace.spans[size_t(agent.parent)]), "writer_agent");
    // Payloads are the records themselves, sliced from the file.
    EXPECT_TRUE(tool->payload.inSource());
    EXPECT_NE(trace.str(tool->payload).find("\"read_multiple_files\""), std::string_view::npos);
}

TEST(OpenAiImporter, JavaScriptIngestPayloadWithAFailedAttempt)
{
    const auto result = importFixture("openai/writer_js_ingest.json");
    EXPECT_TRUE(result.warnings.empty());
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.spans.size(), 9u);
    EXPECT_EQ(trace.errorCount, 1u);
    const auto* failed = findSpan(trace, "span_2f43c3002074e710687bac4a");
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(trace.str(failed->error), "Error streaming response"); // error.message
    EXPECT_EQ(failed->durationNs(), 316'000'000); // millisecond Z timestamps
    const auto steps = tt::timeline::extractSteps(trace);
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0].attempts.size(), 2u); // the 429, then the retry that worked
    EXPECT_EQ(steps[0].status, tt::timeline::SpanStatus::Ok);
}

TEST(OpenAiImporter, EverySpanDataType)
{
    const auto result = importFixture("openai/all_span_types.jsonl");
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.spans.size(), 14u);
    std::map<std::string, SpanKind> kinds;
    for (const auto& span : trace.spans)
        kinds[std::string(trace.spanName(span))] = trace.spanKind(span);
    EXPECT_EQ(kinds.at("writer_agent"), SpanKind::Agent);
    EXPECT_EQ(kinds.at("save_report"), SpanKind::ToolCall);
    EXPECT_EQ(kinds.at("Generation"), SpanKind::LlmCall);
    EXPECT_EQ(kinds.at("Response"), SpanKind::LlmCall);
    EXPECT_EQ(kinds.at("task"), SpanKind::Run);
    EXPECT_EQ(kinds.at("turn"), SpanKind::Other);
    EXPECT_EQ(kinds.at("Recherche dans les fichiers"), SpanKind::Other);
    EXPECT_TRUE(kinds.count("guardrail research_scope_guardrail"));
    EXPECT_TRUE(kinds.count("transcription"));
    EXPECT_TRUE(kinds.count("speech"));
    EXPECT_TRUE(kinds.count("speech_group"));
    bool handoff = false, mcp = false;
    for (const auto& [name, kind] : kinds) {
        handoff |= name.rfind("Handoff writer_agent -> ", 0) == 0;
        mcp |= name.rfind("List MCP tools", 0) == 0;
    }
    EXPECT_TRUE(handoff);
    EXPECT_TRUE(mcp);
    EXPECT_EQ(trace.errorCount, 1u);
}

TEST(OpenAiImporter, IngestPayloadsOnePerLine)
{
    // A capture of several POST /v1/traces/ingest bodies, one per line.
    auto bytes = std::make_shared<std::string>();
    *bytes += R"({"data":[{"object":"trace","id":"trace_a","workflow_name":"W"}]})"
              "\n";
    *bytes
        += R"({"data":[{"object":"trace.span","id":"span_1","trace_id":"trace_a","parent_id":null,)"
           R"("started_at":"2026-02-09T10:20:00.000Z","ended_at":"2026-02-09T10:20:01.000Z",)"
           R"("span_data":{"type":"function","name":"save_report","input":"{}","output":"ok"},"error":null}]})";
    const auto result = openai::importTraces(bytes, "ingest.jsonl");
    EXPECT_TRUE(result.warnings.empty());
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].name, "W");
    EXPECT_EQ(result.traces[0].spans.size(), 1u);
    EXPECT_EQ(result.traces[0].durationNs(), 1'000'000'000);
}

TEST(OpenAiImporter, TimesAsIsoWithAnyPrecisionOrEpochNumbers)
{
    auto bytes = std::make_shared<std::string>(
        R"({"object":"trace.span","id":"span_1","trace_id":"trace_a","parent_id":null,)"
        R"("started_at":"2026-02-09T10:20:00.123456789+00:00","ended_at":1770632401123,)"
        R"("span_data":{"type":"function","name":"a"}})"
        "\n"
        R"({"object":"trace.span","id":"span_2","trace_id":"trace_a","parent_id":"span_1",)"
        R"("started_at":1770632400.5,"ended_at":"2026-02-09T10:20:01Z",)"
        R"("span_data":{"type":"function","name":"b"}})"
        "\n"
        R"({"object":"trace.span","id":"span_3","trace_id":"trace_a","parent_id":"span_1",)"
        R"("started_at":"2026-02-09T10:20:00Z","ended_at":"tomorrow",)"
        R"("span_data":{"type":"function","name":"c"}})");
    const auto result = openai::importTraces(bytes, "times.jsonl");
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(findSpan(trace, "span_1")->durationNs(), 999'543'211);
    EXPECT_EQ(findSpan(trace, "span_2")->durationNs(), 500'000'000);
    EXPECT_TRUE(hasWarning(result, "\"ended_at\" is neither", 3));
}
