// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include "importers/timeline/alignment.h"
#include "importers/timeline/runview.h"

#include <gtest/gtest.h>

using namespace tt::importers;
using namespace tt::importers::testing;
using namespace tt::timeline;

namespace {
std::shared_ptr<const Trace> only(const char* file)
{
    auto result = importFixture(file);
    EXPECT_EQ(result.traces.size(), 1u) << file;
    return std::make_shared<const Trace>(std::move(result.traces.at(0)));
}
} // namespace

TEST(CrossSource, LangSmithRunsMatchTheirOpenAiSpansById)
{
    RunView view("writer");
    view.addTrace(only("openai/writer_python.jsonl"));
    view.addTrace(only("langsmith/writer_runs.jsonl"));
    view.addTrace(only("agentic/trace.log"));
    ASSERT_EQ(view.tracks().size(), 3u);
    EXPECT_EQ(view.tracks()[1].matchedSpans, 9); // every LangSmith run but its own root
    EXPECT_EQ(view.tracks()[1].offsetNs, 0); // same machine, same clock
    EXPECT_EQ(view.tracks()[2].offsetNs, 0);
    EXPECT_EQ(view.stepTrack(), 0);
}

TEST(CrossSource, EveryImporterAlignsToTheWritersSteps)
{
    // The round trip the Writer's emitters will rely on: whatever the source, the same steps.
    const auto reference = extractSteps(*only("openai/writer_python.jsonl"));
    for (const char* file : { "langsmith/writer_runs.jsonl", "langsmith/writer_runs_array.json",
             "agentic/trace.log", "agentic/benchmark_trace.json" }) {
        const auto steps = extractSteps(*only(file));
        const auto rows = alignSteps(reference, steps);
        ASSERT_EQ(rows.size(), 3u) << file;
        for (const auto& row : rows)
            EXPECT_TRUE(row.left >= 0 && row.right >= 0) << file;
    }
}

TEST(CrossSource, RateLimitedRunAgainstCleanRun)
{
    const auto clean = extractSteps(*only("openai/writer_python.jsonl"));
    const auto limited = extractSteps(*only("openai/writer_js_ingest.json"));
    const auto rows = alignSteps(clean, limited);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].status, RowStatus::Slower); // the 429 and its backoff cost 1.4 s
    EXPECT_GT(rows[0].deltaNs, 1'000'000'000);
    EXPECT_EQ(limited[size_t(rows[0].right)].attempts.size(), 2u);
}
