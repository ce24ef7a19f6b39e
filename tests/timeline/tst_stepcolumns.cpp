// SPDX-License-Identifier: MIT
// Several runs aligned by step: the same step starts at the same display time in every run, and
// every bar keeps its real duration.
#include "builderfixture.h"
#include "importers/timeline/stepcolumns.h"

#include <gtest/gtest.h>

using namespace tt::timeline;
using tt::timeline::testing::step;

namespace {

// The Writer's four steps, starting at `origin`, with llm_call#2 lasting `second`.
std::vector<Step> writer(int64_t origin, int64_t second)
{
    return { step(SpanKind::LlmCall, "llm_call", 1, origin + 10, origin + 100),
        step(SpanKind::ToolCall, "read_multiple_files", 1, origin + 110, origin + 120),
        step(SpanKind::LlmCall, "llm_call", 2, origin + 130, origin + 130 + second),
        step(SpanKind::ToolCall, "save_report", 1, origin + 140 + second, origin + 150 + second) };
}

TEST(StepColumns, TheSameStepStartsAtTheSameTimeInEveryRun)
{
    // Three runs on different clocks; the second spends 400 more in llm_call#2 (its retries).
    const std::vector<Step> a = writer(0, 70);
    const std::vector<Step> b = writer(5000, 470);
    const std::vector<Step> c = writer(-300, 60);
    const StepColumns layout
        = alignColumns({ { &a, 0, 230 }, { &b, 5000, 5630 }, { &c, -300, -80 } });
    ASSERT_EQ(layout.columns.size(), 4u);
    EXPECT_EQ(layout.columns[2].label, "llm_call#2");
    for (size_t s = 0; s < 4; ++s) {
        EXPECT_EQ(layout.stepStart(0, s), layout.stepStart(1, s)) << s;
        EXPECT_EQ(layout.stepStart(0, s), layout.stepStart(2, s)) << s;
    }
    // Each column is as wide as its slowest instance, and nothing overlaps.
    EXPECT_EQ(layout.columns[2].widthNs, 470);
    EXPECT_EQ(layout.columns[0].startNs, 10);
    EXPECT_EQ(layout.columns[3].startNs, 140 + 470);
    for (size_t c = 1; c < 4; ++c)
        EXPECT_GE(layout.columns[c].startNs,
            layout.columns[c - 1].startNs + layout.columns[c - 1].widthNs);
    // A run's end keeps its real tail after its last step.
    EXPECT_EQ(layout.runEndNs[0], 140 + 470 + 20);
    EXPECT_EQ(layout.lengthNs, 140 + 470 + 20);
}

TEST(StepColumns, AStepOnlySomeRunsHaveOpensAColumnTheOthersSkip)
{
    // A crashed run stops after read_multiple_files#1; another has an extra journal entry.
    std::vector<Step> full = writer(0, 70);
    std::vector<Step> crashed(full.begin(), full.begin() + 2);
    std::vector<Step> extra = writer(0, 70);
    extra.insert(extra.begin() + 2, step(SpanKind::JournalEntry, "sleep", 1, 121, 125));
    const StepColumns layout
        = alignColumns({ { &crashed, 0, 125 }, { &full, 0, 230 }, { &extra, 0, 230 } });
    ASSERT_EQ(layout.columns.size(), 5u);
    EXPECT_EQ(layout.columns[2].label, "sleep#1");
    EXPECT_EQ(layout.stepInColumn[0][3], -1); // the crashed run has no llm_call#2
    EXPECT_EQ(layout.stepInColumn[1][2], -1); // only the third run slept
    EXPECT_EQ(layout.stepStart(1, 2), layout.stepStart(2, 3)); // llm_call#2 still lines up
    EXPECT_EQ(layout.stepStart(0, 1), layout.stepStart(2, 1));
    EXPECT_LT(layout.runEndNs[0], layout.columns[3].startNs);
}

} // namespace
