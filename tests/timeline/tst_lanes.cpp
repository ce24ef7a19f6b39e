// SPDX-License-Identifier: MIT
#include "builderfixture.h"
#include "importers/timeline/lanes.h"
#include "importers/timeline/timemap.h"

#include <gtest/gtest.h>

using namespace tt::timeline;
using tt::timeline::testing::span;
using tt::timeline::testing::step;

namespace {

std::shared_ptr<const Trace> restateRun()
{
    TraceSetBuilder builder(Source::Restate, "snapshot");
    builder.addSpan(span("inv", "", SpanKind::Run, "WriterAgentRestate/run", 0, 100));
    builder.addSpan(span("pending", "inv", SpanKind::Lifecycle, "pending", 0, 5));
    builder.addSpan(span("running", "inv", SpanKind::Lifecycle, "running", 5, 60));
    builder.addSpan(span("backing-off", "inv", SpanKind::Lifecycle, "backing-off", 60, 70));
    builder.addSpan(span("running2", "inv", SpanKind::Lifecycle, "running", 70, 100));
    builder.addSpan(span("c1", "inv", SpanKind::LlmCall, "call LLM", 6, 80));
    // A failed attempt beside its command, at the same depth: it needs a lane of its own.
    auto attempt = span("a1", "inv", SpanKind::RetryAttempt, "attempt 1", 6, 60);
    attempt.error = "HTTP 503";
    builder.addSpan(attempt);
    builder.addSpan(span("c2", "inv", SpanKind::ToolCall, "save_report", 80, 95));
    return std::make_shared<const Trace>(builder.finish().traces.at(0));
}

} // namespace

TEST(Lanes, SourcesAndGroupsGetTheirOwnLanesWithoutOverlap)
{
    RunView run("durable");
    run.addTrace(restateRun());
    const LaneLayout layout = layoutLanes(run);
    // journal: depth 0 (invocation), depth 1 twice (commands, and the attempt beside call LLM);
    // lifecycle: one lane, its states follow each other.
    ASSERT_EQ(layout.lanes.size(), 4u);
    EXPECT_EQ(layout.lanes[0].group, LaneGroup::Journal);
    EXPECT_EQ(layout.lanes[0].title, "Restate journal");
    EXPECT_EQ(layout.lanes[1].spans.size(), 2u); // call LLM, save_report
    EXPECT_EQ(layout.lanes[2].spans.size(), 1u); // the attempt
    EXPECT_TRUE(layout.lanes[2].title.empty());
    EXPECT_EQ(layout.lanes[3].group, LaneGroup::Lifecycle);
    EXPECT_EQ(layout.lanes[3].title, "Restate lifecycle");
    EXPECT_EQ(layout.lanes[3].spans.size(), 4u);
    EXPECT_EQ(layout.spanCount(), 8u);

    const Trace& trace = *run.tracks()[0].trace;
    for (const Lane& lane : layout.lanes)
        for (size_t i = 1; i < lane.spans.size(); ++i)
            EXPECT_LE(trace.spans[size_t(lane.spans[i - 1])].endNs,
                trace.spans[size_t(lane.spans[i])].startNs);
    EXPECT_TRUE(layout.lanes[2].hasErrorIn(0, 1));
    EXPECT_FALSE(layout.lanes[1].hasErrorIn(0, 2));
    // Culling: the lifecycle lane's spans ending at or after 65 ms start at backing-off.
    EXPECT_EQ(layout.lanes[3].firstEndingAfter(trace, 65'000'000), 2u);
}

TEST(TimeMap, ShiftedAndThroughPointsRoundTrip)
{
    const TimeMap shifted = TimeMap::shifted(1000);
    EXPECT_EQ(shifted.toDisplay(1500), 500);
    EXPECT_EQ(shifted.toRun(-200), 800);

    const TimeMap map = TimeMap::through({ { 0, 0 }, { 10, 30 }, { 10, 40 }, { 20, 50 } });
    EXPECT_EQ(map.toDisplay(5), 15);
    EXPECT_EQ(map.toDisplay(10), 30); // a vertical step takes its first point
    EXPECT_EQ(map.toDisplay(15), 45);
    EXPECT_EQ(map.toDisplay(30), 60); // parallel to the clock after the last point
    EXPECT_EQ(map.toDisplay(-5), -5);
    EXPECT_EQ(map.toRun(35), 10);
    EXPECT_EQ(map.toRun(45), 15);
}

TEST(TimeMap, AlignByStepPutsMatchedStepsOnTheSameDisplayTime)
{
    // The right run spends 50 more on its first LLM call (a retry) and starts 1000 later.
    const std::vector<Step> left { step(SpanKind::LlmCall, "llm_call", 1, 10, 100),
        step(SpanKind::ToolCall, "read", 1, 110, 120),
        step(SpanKind::LlmCall, "llm_call", 2, 130, 200) };
    const std::vector<Step> right { step(SpanKind::LlmCall, "llm_call", 1, 1010, 1150),
        step(SpanKind::ToolCall, "read", 1, 1160, 1170),
        step(SpanKind::LlmCall, "llm_call", 2, 1180, 1250) };
    const auto rows = alignSteps(left, right);
    const auto [l, r] = alignByStep(left, 0, right, 1000, rows);
    for (const AlignedRow& row : rows) {
        ASSERT_GE(row.left, 0);
        ASSERT_GE(row.right, 0);
        EXPECT_EQ(l.toDisplay(left[size_t(row.left)].startNs),
            r.toDisplay(right[size_t(row.right)].startNs));
        EXPECT_EQ(
            l.toDisplay(left[size_t(row.left)].endNs), r.toDisplay(right[size_t(row.right)].endNs));
    }
    // The longer side sets the length: llm_call#1 is 140 long on screen on both sides.
    EXPECT_EQ(r.toDisplay(1150) - r.toDisplay(1010), 140);
    EXPECT_EQ(l.toDisplay(100) - l.toDisplay(10), 140);
    EXPECT_EQ(l.toDisplay(0), 0);
    EXPECT_EQ(r.toDisplay(1000), 0);
}
