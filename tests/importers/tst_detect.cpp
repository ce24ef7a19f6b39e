// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include "importers/common/importer.h"

#include <gtest/gtest.h>

using namespace tt::importers;
using namespace tt::importers::testing;

TEST(DetectFormat, EveryFixtureIsRecognised)
{
    struct Case
    {
        const char* file;
        Format expected;
    };
    const Case cases[] = {
        { "openai/writer_python.jsonl", Format::OpenAi },
        { "openai/writer_js_ingest.json", Format::OpenAi },
        { "openai/all_span_types.jsonl", Format::OpenAi },
        { "langsmith/writer_runs.jsonl", Format::LangSmith },
        { "langsmith/writer_runs_array.json", Format::LangSmith },
        { "langsmith/runs_query_v1_page.json", Format::LangSmith },
        { "langsmith/runs_query_v2_page.json", Format::LangSmith },
        { "agentic/trace.log", Format::AgenticTraceLog },
        { "agentic/run_20260209_101500.log", Format::AgenticRunLog },
        { "agentic/benchmark_trace.json", Format::AgenticBenchmark },
        { "bad/garbage.bin", Format::Unknown },
        { "bad/empty.jsonl", Format::Unknown },
    };
    for (const auto& c : cases) {
        std::string error;
        const auto bytes = readFile(fixture(c.file), error);
        ASSERT_TRUE(bytes) << c.file << ": " << error;
        EXPECT_EQ(detectFormat(*bytes, c.file), c.expected) << c.file;
    }
}

TEST(DetectFormat, SourceNamesOfTheCommandLine)
{
    EXPECT_EQ(formatFromName("openai"), Format::OpenAi);
    EXPECT_EQ(formatFromName("langsmith"), Format::LangSmith);
    EXPECT_EQ(formatFromName("agentic-bench"), Format::AgenticBenchmark);
    EXPECT_EQ(formatFromName("auto"), Format::Auto);
    EXPECT_FALSE(formatFromName("jaeger").has_value());
}

TEST(DetectFormat, AgenticLogMeansEitherLog)
{
    // --source agentic-log on a trace.log still reads it as the trace processor's file.
    const auto result = importFixture("agentic/trace.log", *formatFromName("agentic-log"));
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].source, tt::timeline::Source::AgenticTraceLog);
}
