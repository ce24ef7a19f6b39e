// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include "importers/langsmith/langsmithimporter.h"

#include <gtest/gtest.h>

#include <cctype>

using namespace tt::importers;
using namespace tt::importers::testing;
using tt::timeline::SpanKind;

struct Shape
{
    const char* file;
    size_t runs;
    size_t steps; // API pages hold the first runs only
};

class LangSmithShapes : public ::testing::TestWithParam<Shape>
{
};

TEST_P(LangSmithShapes, ImportsTheWriterRun)
{
    const auto [file, runs, steps] = GetParam();
    const auto result = importFixture(file);
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.source, tt::timeline::Source::LangSmith);
    EXPECT_EQ(trace.id, "019c41e5-b8ee-79a3-9089-3467e5a1b243");
    EXPECT_EQ(trace.spans.size(), runs); // every run is one span
    EXPECT_EQ(trace.name, "Deep Research");
    EXPECT_EQ(trace.spanKind(trace.spans[size_t(trace.root)]), SpanKind::Run);
    EXPECT_EQ(stepLabels(trace),
        std::vector<std::string>(kWriterSteps.begin(), kWriterSteps.begin() + long(steps)));
    for (const auto& span : trace.spans) {
        EXPECT_GE(span.parent, span.parentId.empty() ? -1 : 0) << trace.str(span.id);
        EXPECT_FALSE(span.flags & tt::timeline::SpanFlag::ParentMissing);
    }
    // The OpenAI span ids the Agents integration keeps in extra.metadata.
    size_t linked = 0;
    for (const auto& span : trace.spans)
        linked += trace.str(span.linkId).rfind("span_", 0) == 0 ? 1 : 0;
    EXPECT_EQ(linked, runs - 1); // all but the root chain, which the processor makes itself
}

INSTANTIATE_TEST_SUITE_P(AllShapes, LangSmithShapes,
    ::testing::Values(Shape { "langsmith/writer_runs.jsonl", 10, 3 },
        Shape { "langsmith/writer_runs_array.json", 10, 3 },
        Shape { "langsmith/runs_query_v1_page.json", 6, 1 },
        Shape { "langsmith/runs_query_v2_page.json", 6, 1 }),
    [](const ::testing::TestParamInfo<Shape>& info) {
        std::string name = info.param.file;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        return name;
    });

TEST(LangSmithImporter, TimesWithoutAZoneAreUtc)
{
    auto bytes = std::make_shared<std::string>(
        R"({"id":"r1","name":"Generation","run_type":"llm","start_time":"2026-02-09 10:15:00.120000",)"
        R"("end_time":"2026-02-09 10:15:01.000000","trace_id":"r1","dotted_order":"20260209T101500120000Zr1"})");
    const auto result = langsmith::importRuns(bytes, "one.jsonl");
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans[0].startNs, (1770632100LL * 1000 + 120) * 1'000'000);
    EXPECT_EQ(result.traces[0].spans[0].durationNs(), 880'000'000);
}

TEST(LangSmithImporter, ParentAndTraceFromDottedOrderWhenMissing)
{
    auto bytes = std::make_shared<std::string>(
        "{\"id\":\"child\",\"run_type\":\"tool\",\"name\":\"read_multiple_files\","
        "\"start_time\":\"2026-02-09T10:15:01\",\"end_time\":\"2026-02-09T10:15:02\","
        "\"dotted_order\":\"20260209T101500000000Zroot.20260209T101501000000Zchild\"}\n"
        "{\"id\":\"root\",\"run_type\":\"chain\",\"name\":\"Agent workflow\","
        "\"start_time\":\"2026-02-09T10:15:00\",\"end_time\":\"2026-02-09T10:15:03\","
        "\"dotted_order\":\"20260209T101500000000Zroot\"}\n");
    const auto result = langsmith::importRuns(bytes, "dotted.jsonl");
    EXPECT_TRUE(result.warnings.empty());
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].id, "root");
    const auto* child = findSpan(result.traces[0], "child");
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(result.traces[0].str(result.traces[0].spans[size_t(child->parent)].id), "root");
}

TEST(LangSmithImporter, BatchBodyPostThenPatch)
{
    // POST /runs/batch: the run is posted at start and patched with its end and error.
    auto bytes = std::make_shared<std::string>(
        R"({"post":[{"id":"r1","trace_id":"r1","name":"writer","run_type":"chain",)"
        R"("start_time":"2026-02-09T10:15:00Z","dotted_order":"20260209T101500000000Zr1"}],)"
        R"("patch":[{"id":"r1","trace_id":"r1","name":"writer","run_type":"chain",)"
        R"("start_time":"2026-02-09T10:15:00Z","end_time":"2026-02-09T10:15:09Z",)"
        R"("error":"RateLimitError","dotted_order":"20260209T101500000000Zr1"}]})");
    const auto result = langsmith::importRuns(bytes, "batch.json");
    ASSERT_EQ(result.traces.size(), 1u);
    ASSERT_EQ(result.traces[0].spans.size(), 1u);
    EXPECT_EQ(result.traces[0].durationNs(), 9'000'000'000);
    EXPECT_EQ(result.traces[0].errorCount, 1u);
}

TEST(LangSmithImporter, EndTimeAsEpochMillisecondsAsTheJsClientSendsIt)
{
    // langsmith 0.10 (JS): start_time an ISO string with six fraction digits, end_time a number.
    auto bytes = std::make_shared<std::string>(
        R"({"post":[{"id":"r1","trace_id":"r1","name":"writer","run_type":"chain",)"
        R"("start_time":"2026-02-09T10:15:00.120000Z","dotted_order":"20260209T101500120000Zr1"}],)"
        R"("patch":[{"id":"r1","trace_id":"r1","end_time":1770632101659,)"
        R"("dotted_order":"20260209T101500120000Zr1"}]})");
    const auto result = langsmith::importRuns(bytes, "batch.json");
    EXPECT_FALSE(hasWarning(result, "no end"));
    ASSERT_EQ(result.traces.size(), 1u);
    ASSERT_EQ(result.traces[0].spans.size(), 1u);
    EXPECT_EQ(result.traces[0].durationNs(), 1'539'000'000);
    EXPECT_EQ(result.traces[0].name, "writer");
}

TEST(LangSmithImporter, StartTimeAsEpochSecondsFromPython)
{
    auto bytes = std::make_shared<std::string>(
        R"({"id":"r1","trace_id":"r1","name":"writer","run_type":"chain",)"
        R"("start_time":1770632100.25,"end_time":"2026-02-09T10:15:01.250+00:00"})");
    const auto result = langsmith::importRuns(bytes, "one.json");
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].durationNs(), 1'000'000'000);
}

namespace {
// A /runs/multipart body as langsmith 0.10 (JS) builds it in _createNodeFetchBody().
std::string multipartBody(const std::vector<std::pair<std::string, std::string>>& parts)
{
    const std::string boundary = "----LangSmithFormBoundaryk3v9x2ql";
    std::string body;
    for (const auto& [name, json] : parts)
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
            + "\"\r\nContent-Type: application/json; length=" + std::to_string(json.size())
            + "\r\n\r\n" + json + "\r\n";
    return body + "--" + boundary + "--\r\n";
}
} // namespace

TEST(LangSmithImporter, SavedMultipartBodyImportsLikeTheBatch)
{
    const std::string post
        = R"({"id":"r1","trace_id":"r1","name":"writer","run_type":"chain",)"
          R"("start_time":"2026-02-09T10:15:00.120000Z","dotted_order":"20260209T101500120000Zr1"})";
    const std::string child
        = R"({"id":"r2","trace_id":"r1","parent_run_id":"r1","name":"ChatOpenAI","run_type":"llm",)"
          R"("start_time":"2026-02-09T10:15:00.200000Z",)"
          R"("dotted_order":"20260209T101500120000Zr1.20260209T101500200000Zr2"})";
    const std::string patch
        = R"({"id":"r2","trace_id":"r1","parent_run_id":"r1",)"
          R"("end_time":1770632101000,)"
          R"("dotted_order":"20260209T101500120000Zr1.20260209T101500200000Zr2"})";
    const std::string rootPatch
        = R"({"id":"r1","trace_id":"r1","end_time":1770632101659,"dotted_order":"20260209T101500120000Zr1"})";
    auto bytes = std::make_shared<const std::string>(multipartBody({ { "post.r1", post },
        { "post.r1.inputs", R"({"input":"write"})" }, { "post.r2", child }, { "patch.r2", patch },
        { "patch.r2.error", R"("HTTP 500: Internal Server Error")" }, { "patch.r2.outputs", "{}" },
        { "patch.r1", rootPatch }, { "patch.r1.outputs", R"({"output":"done"})" } }));
    EXPECT_EQ(detectFormat(*bytes, "runs_multipart.bin"), Format::LangSmith);
    for (const Format format : { Format::Auto, Format::LangSmith }) {
        const auto result = importBytes(bytes, "runs_multipart.bin", format);
        EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
        ASSERT_EQ(result.traces.size(), 1u);
        const auto& trace = result.traces[0];
        ASSERT_EQ(trace.spans.size(), 2u);
        EXPECT_EQ(trace.durationNs(), 1'539'000'000);
        EXPECT_EQ(trace.name, "writer");
        EXPECT_EQ(trace.errorCount, 1u);
        const auto* llm = findSpan(trace, "r2");
        ASSERT_NE(llm, nullptr);
        EXPECT_EQ(trace.str(llm->error), "HTTP 500: Internal Server Error");
        EXPECT_EQ(trace.spanName(*llm), "ChatOpenAI");
        EXPECT_EQ(llm->durationNs(), 800'000'000);
        EXPECT_EQ(llm->parent, trace.root);
    }
}

TEST(LangSmithImporter, BrokenMultipartPartIsAWarningAndTheRestImports)
{
    auto bytes = std::make_shared<const std::string>(multipartBody(
        { { "post.r1",
              R"({"id":"r1","trace_id":"r1","name":"w","run_type":"chain","start_time":"2026-02-09T10:15:00Z","end_time":1770632101000})" },
            { "post.r2", "{not json" } }));
    const auto result = importBytes(bytes, "broken_multipart.bin");
    EXPECT_TRUE(hasWarning(result, "part \"post.r2\" is not JSON"));
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].durationNs(), 1'000'000'000);
}
