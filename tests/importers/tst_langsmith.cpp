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
