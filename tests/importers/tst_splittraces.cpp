// SPDX-License-Identifier: MIT
// One trace sent in several requests, saved in several files, or read twice: imported together,
// it is one trace with every parent found and every span once.
#include "fixtures.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace tt::importers;
using namespace tt::importers::testing;

namespace {

struct SplitTraces : ::testing::Test
{
    std::filesystem::path dir;
    void SetUp() override
    {
        dir = std::filesystem::temp_directory_path()
            / ("tt-split-" + std::to_string(::getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text)
    {
        const auto path = (dir / name).string();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
};

std::string openAiSpan(const char* id, const char* parent, const char* start, const char* end)
{
    return std::string(R"({"object":"trace.span","id":")") + id
        + R"(","trace_id":"trace_split","parent_id":)"
        + (parent ? "\"" + std::string(parent) + "\"" : "null") + R"(,"started_at":")" + start
        + R"(","ended_at":")" + end + R"(","span_data":{"type":"function","name":")" + id
        + R"("},"error":null})";
}

// The OpenAI exporter's two requests for a slow run: the first batch has the finished children,
// the second the trace's root that ended later.
const std::string kFirstRequest = R"({"data":[{"object":"trace","id":"trace_split",)"
                                  R"("workflow_name":"Writer"},)"
    + openAiSpan("span_tool", "span_agent", "2026-02-09T10:15:01Z", "2026-02-09T10:15:02Z") + ","
    + openAiSpan("span_llm", "span_agent", "2026-02-09T10:15:00.5Z", "2026-02-09T10:15:01Z") + "]}";
const std::string kSecondRequest = R"({"data":[)"
    + openAiSpan("span_agent", nullptr, "2026-02-09T10:15:00Z", "2026-02-09T10:15:03Z") + "]}";

void expectOneWholeTrace(const tt::timeline::ImportResult& result)
{
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.name, "Writer");
    ASSERT_EQ(trace.spans.size(), 3u);
    for (const auto& span : trace.spans)
        EXPECT_FALSE(span.flags & tt::timeline::SpanFlag::ParentMissing);
    EXPECT_EQ(trace.durationNs(), 3'000'000'000);
}

} // namespace

TEST_F(SplitTraces, OpenAiTraceExportedInTwoRequestsIsOneTrace)
{
    const auto first = write("ingest-1.json", kFirstRequest);
    const auto second = write("ingest-2.json", kSecondRequest);
    const auto result = importPaths({ first, second });
    expectOneWholeTrace(result);
    EXPECT_EQ(result.traces[0].origin, first + " + " + second);
}

TEST_F(SplitTraces, AFolderOfBodiesAndTheirConcatenationHasEverySpanOnce)
{
    write("1-request.json", kFirstRequest);
    write("2-request.json", kSecondRequest);
    write("all.jsonl", kFirstRequest + "\n" + kSecondRequest + "\n");
    expectOneWholeTrace(importPath(dir.string()));
}

TEST_F(SplitTraces, ConflictingRecordsOfOneSpanAreWarned)
{
    write("1-request.json", kFirstRequest);
    write("2-request.json",
        R"({"data":[)"
            + openAiSpan("span_tool", "span_agent", "2026-02-09T10:15:01Z", "2026-02-09T10:15:09Z")
            + "]}");
    const auto result = importPath(dir.string());
    EXPECT_TRUE(hasWarning(result, "duplicate span id \"span_tool\""));
    EXPECT_TRUE(hasWarning(result, "1-request.json")) << "names where the first record was";
}

TEST_F(SplitTraces, LangSmithPatchInALaterRequestCompletesItsPost)
{
    // langsmith (JS) posts a run when it starts and patches its end and outputs later; the end
    // time is epoch milliseconds.
    const auto post = write("batch-1.json",
        R"({"post":[{"id":"r1","trace_id":"r1","name":"writer","run_type":"chain",)"
        R"("start_time":"2026-02-09T10:15:00.120000Z","dotted_order":"20260209T101500120000Zr1"},)"
        R"({"id":"r2","trace_id":"r1","parent_run_id":"r1","name":"ChatOpenAI","run_type":"llm",)"
        R"("start_time":"2026-02-09T10:15:00.200000Z",)"
        R"("dotted_order":"20260209T101500120000Zr1.20260209T101500200000Zr2"}]})");
    const auto patch = write("batch-2.json",
        R"({"patch":[{"id":"r2","trace_id":"r1","parent_run_id":"r1","end_time":1770632100900,)"
        R"("outputs":{"text":"ok"},"dotted_order":"20260209T101500120000Zr1.20260209T101500200000Zr2"},)"
        R"({"id":"r1","trace_id":"r1","end_time":1770632101659,"dotted_order":"20260209T101500120000Zr1"}]})");
    const auto result = importPaths({ post, patch });
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    ASSERT_EQ(trace.spans.size(), 2u);
    EXPECT_EQ(trace.durationNs(), 1'539'000'000);
    EXPECT_EQ(findSpan(trace, "r2")->durationNs(), 700'000'000);
    EXPECT_EQ(trace.spanName(*findSpan(trace, "r2")), "ChatOpenAI");
}

TEST_F(SplitTraces, APatchWhoseStartNeverCameIsSkippedWithAWarning)
{
    const auto patch = write(
        "patch-only.json", R"({"patch":[{"id":"r9","trace_id":"r9","end_time":1770632101659}]})");
    const auto result = importPaths({ patch });
    EXPECT_TRUE(result.traces.empty());
    EXPECT_TRUE(hasWarning(result, "only its end record"));
}

TEST_F(SplitTraces, FilesOverTheSizeLimitAreSkippedWithAWarning)
{
    const auto first = write("ingest-1.json", kFirstRequest);
    const auto result = importPaths({ first }, Format::Auto, ImportOptions { 100 });
    EXPECT_TRUE(result.traces.empty());
    EXPECT_TRUE(hasWarning(result, "--max-bytes"));
}
