// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include "importers/common/importer.h"

#include <gtest/gtest.h>

#include <random>

using namespace tt::importers;
using namespace tt::importers::testing;

namespace {

std::shared_ptr<const std::string> bytesOf(std::string text)
{
    return std::make_shared<const std::string>(std::move(text));
}

std::string readFixture(const char* file)
{
    std::string error;
    auto bytes = readFile(fixture(file), error);
    EXPECT_TRUE(bytes) << error;
    return bytes ? *bytes : std::string();
}

const char* kSpanLine
    = R"({"object":"trace.span","id":"span_ok","trace_id":"trace_x","parent_id":null,)"
      R"("started_at":"2026-02-09T10:15:00.000000+00:00","ended_at":"2026-02-09T10:15:01.000000+00:00",)"
      R"("span_data":{"type":"agent","name":"writer_agent","handoffs":[],"tools":[],"output_type":"str"},"error":null})";

} // namespace

TEST(BadInput, TruncatedLineIsAWarningTheRestImports)
{
    const auto result = importFixture("bad/truncated.jsonl");
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 2u);
    EXPECT_TRUE(hasWarning(result, "a string is not closed", 4));
    EXPECT_EQ(result.warnings.front().source, fixture("bad/truncated.jsonl"));
}

TEST(BadInput, InvalidUtf8LineIsSkippedNotTheOthers)
{
    const auto result = importFixture("bad/invalid_utf8.jsonl");
    EXPECT_TRUE(hasWarning(result, "invalid UTF-8", 2));
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 1u);
}

TEST(BadInput, BinaryGarbageIsUnrecognised)
{
    const auto result = importFixture("bad/garbage.bin");
    EXPECT_TRUE(result.traces.empty());
    EXPECT_TRUE(hasWarning(result, "unrecognised format"));
}

TEST(BadInput, GarbageForcedThroughEveryImporterNeverCrashes)
{
    const std::string garbage = readFixture("bad/garbage.bin");
    for (Format format : { Format::OpenAi, Format::LangSmith, Format::AgenticTraceLog,
             Format::AgenticRunLog, Format::AgenticBenchmark }) {
        const auto result = importBytes(bytesOf(garbage), "garbage.bin", format);
        EXPECT_TRUE(result.traces.empty()) << formatName(format);
        EXPECT_FALSE(result.warnings.empty()) << formatName(format);
    }
}

TEST(BadInput, GpuReadingsNearTheEndOfTimeDoNotOverflow)
{
    // The fuzzer's reproducer: a reading's end is its time plus the sampler's period.
    const auto result = importBytes(bytesOf(readFixture("bad/gpu_time_overflow.jsonl")),
        fixture("bad/gpu_time_overflow.jsonl"), Format::GpuSamples);
    EXPECT_FALSE(result.traces.empty());
    EXPECT_FALSE(result.warnings.empty()); // the cut last line, at least
    for (const auto& trace : result.traces)
        for (const auto& span : trace.spans)
            EXPECT_GE(span.endNs, span.startNs);
}

TEST(BadInput, EmptyFile)
{
    const auto result = importFixture("bad/empty.jsonl");
    EXPECT_TRUE(result.traces.empty());
    EXPECT_TRUE(hasWarning(result, "empty"));
    for (Format format : { Format::OpenAi, Format::LangSmith, Format::AgenticTraceLog,
             Format::AgenticRunLog, Format::AgenticBenchmark })
        EXPECT_TRUE(hasWarning(importBytes(bytesOf(""), "empty", format), "empty"))
            << formatName(format);
}

TEST(BadInput, UnknownSpanTypeIsKeptAsGeneric)
{
    const auto result = importFixture("bad/unknown_type.jsonl");
    EXPECT_TRUE(hasWarning(result, "unknown span_data type \"quantum_teleport\"", 2));
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 2u);
}

TEST(BadInput, OrphanEndBeforeStartDuplicateIds)
{
    EXPECT_TRUE(hasWarning(importFixture("bad/orphan.jsonl"), "never appears", 3));
    EXPECT_TRUE(
        hasWarning(importFixture("bad/end_before_start.jsonl"), "ends before it starts", 2));
    EXPECT_TRUE(hasWarning(importFixture("bad/duplicate_ids.jsonl"), "duplicate span id", 3));
}

TEST(BadInput, DeepNestingHitsTheDepthLimitAndTheNextLineImports)
{
    const auto result = importFixture("bad/deep_nesting.jsonl");
    EXPECT_TRUE(hasWarning(result, "nested deeper than 1024 levels", 1));
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 1u);
}

TEST(BadInput, FiftyMegabyteFieldImportsWithoutCopying)
{
    std::string line = kSpanLine;
    const std::string big(50u << 20, 'A');
    line.replace(line.find("\"output_type\":\"str\""), 19, "\"output_type\":\"" + big + "\"");
    std::string second = kSpanLine;
    second.replace(second.find("span_ok"), 7, "span_ok2");
    auto bytes = bytesOf(line + "\n" + second + "\n");
    const auto result = importBytes(bytes, "huge.jsonl");
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 2u);
    const auto& strings = *result.traces[0].strings;
    EXPECT_LT(strings.ownedBytes(), 4096u); // the 50 MB payload stays in the source buffer
    EXPECT_GE(result.traces[0].str(result.traces[0].spans[0].payload).size(), 50u << 20);
}

TEST(BadInput, TruncatedJsonArrayImportsItsCompleteRecords)
{
    const std::string array = readFixture("langsmith/writer_runs_array.json");
    const std::string cut = array.substr(0, array.size() * 2 / 3);
    const auto result = importBytes(bytesOf(cut), "cut.json");
    EXPECT_TRUE(hasWarning(result, "cut short"));
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_GT(result.traces[0].spans.size(), 2u);
    EXPECT_LT(result.traces[0].spans.size(), 10u);
}

TEST(BadInput, TruncatedIngestPayloadAndBenchmark)
{
    for (const char* file : { "openai/writer_js_ingest.json", "agentic/benchmark_trace.json" }) {
        const std::string whole = readFixture(file);
        const auto result = importBytes(bytesOf(whole.substr(0, whole.size() / 2)), file);
        EXPECT_TRUE(hasWarning(result, "cut short")) << file;
        EXPECT_FALSE(result.traces.empty()) << file;
    }
}

TEST(BadInput, RandomCorruptionsOfEveryFixtureNeverCrash)
{
    // A deterministic mini-fuzz over real fixtures; the libFuzzer targets go much further.
    std::mt19937 random(7);
    for (const char* file :
        { "openai/writer_python.jsonl", "openai/writer_js_ingest.json",
            "langsmith/writer_runs.jsonl", "langsmith/runs_query_v2_page.json", "agentic/trace.log",
            "agentic/run_20260209_101500.log", "agentic/benchmark_trace.json" }) {
        const std::string original = readFixture(file);
        for (int round = 0; round < 60; ++round) {
            std::string mutated = original;
            const int edits = 1 + int(random() % 8);
            for (int e = 0; e < edits && !mutated.empty(); ++e) {
                const size_t at = random() % mutated.size();
                switch (random() % 3) {
                case 0:
                    mutated[at] = char(random() % 256);
                    break;
                case 1:
                    mutated.erase(at, 1 + random() % 64);
                    break;
                default:
                    mutated.resize(at);
                }
            }
            const auto result = importBytes(bytesOf(mutated), file);
            for (const auto& trace : result.traces)
                for (const auto& span : trace.spans)
                    ASSERT_LE(span.startNs, span.endNs);
        }
    }
}

TEST(BadInput, MissingPathsAndFolders)
{
    EXPECT_TRUE(hasWarning(importPath("/nonexistent/file.jsonl"), "no such file"));
    EXPECT_TRUE(hasWarning(importPath("/dev/null"), "not a regular file"));
    const auto folder = importPath(fixture("openai"));
    EXPECT_EQ(folder.traces.size(), 3u); // a folder imports each file in it
}
