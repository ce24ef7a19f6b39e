// SPDX-License-Identifier: MIT
#include "builderfixture.h"
#include "importers/timeline/runview.h"

#include <gtest/gtest.h>

using namespace tt::timeline;
using tt::timeline::testing::span;

namespace {

// How a second source names the same four spans.
enum class Ids
{
    Same,
    LinkedToSame,
    Unrelated
};

std::shared_ptr<const Trace> build(Source source, int64_t shiftMs, Ids ids = Ids::Same)
{
    TraceSetBuilder builder(source, "run");
    const char* plain[] = { "agent", "gen1", "tool", "gen2" };
    const char* own[] = { "r0", "r1", "r2", "r3" };
    const char* const* names = ids == Ids::Same ? plain : own;
    auto add = [&](int i, SpanKind kind, std::string_view name, int64_t s, int64_t e) {
        SpanInput in = span(names[i], i == 0 ? "" : names[0], kind, name, s + shiftMs, e + shiftMs);
        if (ids == Ids::LinkedToSame)
            in.linkId = plain[i];
        builder.addSpan(in);
    };
    add(0, SpanKind::Agent, "writer_agent", 0, 13000);
    add(1, SpanKind::LlmCall, "Generation", 10, 4800);
    add(2, SpanKind::ToolCall, "read_multiple_files", 4810, 4830);
    add(3, SpanKind::LlmCall, "Generation", 4840, 12990);
    return std::make_shared<const Trace>(builder.finish().traces.at(0));
}

} // namespace

TEST(RunView, OffsetFromLinkedIdsPutsSourcesOnOneClock)
{
    RunView view("writer");
    view.addTrace(build(Source::OpenAi, 0));
    view.addTrace(build(Source::LangSmith, 250, Ids::LinkedToSame)); // its clock runs 250 ms ahead
    ASSERT_EQ(view.tracks().size(), 2u);
    EXPECT_EQ(view.tracks()[1].offsetNs, -250'000'000);
    EXPECT_EQ(view.tracks()[1].matchedSpans, 4);
    EXPECT_EQ(view.startNs(), 0);
}

TEST(RunView, OffsetFromStepsWhenNoIdsAreShared)
{
    const ClockOffset offset = estimateOffset(
        *build(Source::OpenAi, 0), *build(Source::AgenticRunLog, 40, Ids::Unrelated));
    EXPECT_EQ(offset.linkedSpans, 0);
    EXPECT_EQ(offset.matchedSteps, 3);
    EXPECT_EQ(offset.offsetNs, -40'000'000);
}

TEST(RunView, StepsComeFromTheMostPreciseSource)
{
    RunView view("writer");
    view.addTrace(build(Source::LangSmith, 0, Ids::LinkedToSame));
    view.addTrace(build(Source::OpenAi, 0));
    EXPECT_EQ(view.stepTrack(), 1);
    const auto steps = view.steps();
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0].label(), "llm_call#1");
    EXPECT_EQ(steps[1].label(), "read_multiple_files#1");
    EXPECT_EQ(steps[2].label(), "llm_call#2");
}

TEST(Steps, FailedAttemptsFoldIntoOneStep)
{
    TraceSetBuilder builder(Source::OpenAi, "retry");
    SpanInput failed = span("g1", "", SpanKind::LlmCall, "Generation", 0, 300);
    failed.error = "429 Too Many Requests";
    builder.addSpan(failed);
    builder.addSpan(span("g2", "", SpanKind::LlmCall, "Generation", 1300, 6000));
    builder.addSpan(span("t", "", SpanKind::ToolCall, "read_multiple_files", 6010, 6030));
    const auto steps = extractSteps(builder.finish().traces.at(0));
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].attempts.size(), 2u);
    EXPECT_NE(steps[0].status, SpanStatus::Error); // the last attempt decides
    EXPECT_EQ(steps[0].durationNs(), 6000'000'000);
    EXPECT_EQ(steps[1].label(), "read_multiple_files#1");
}

namespace {

// A Writer killed inside its second LLM call: the OpenAI file has only finished spans, the
// trace.log the start of the call and of the agent, which never ended.
RunView killedRun()
{
    RunView view("killed");
    TraceSetBuilder openai(Source::OpenAi, "openai.jsonl");
    openai.addSpan(span("gen1", "agent", SpanKind::LlmCall, "Generation", 10, 4800));
    openai.addSpan(span("tool", "agent", SpanKind::ToolCall, "read_multiple_files", 4810, 4830));
    view.addTrace(std::make_shared<const Trace>(openai.finish().traces.at(0)));
    TraceSetBuilder log(Source::AgenticTraceLog, "trace.log");
    log.addSpan(span("agent", "", SpanKind::Agent, "writer_agent", 0, std::nullopt));
    log.addSpan(span("gen1", "agent", SpanKind::LlmCall, "Generation", 10, 4800));
    log.addSpan(span("tool", "agent", SpanKind::ToolCall, "read_multiple_files", 4810, 4830));
    log.addSpan(span("gen2", "agent", SpanKind::LlmCall, "Generation", 4840, std::nullopt));
    view.addTrace(std::make_shared<const Trace>(log.finish().traces.at(0)));
    return view;
}

} // namespace

TEST(RunView, AStepThatNeverEndedIsAFailedStepOfTheRun)
{
    const RunView view = killedRun();
    const auto steps = view.steps();
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[2].label(), "llm_call#2");
    EXPECT_EQ(steps[2].status, SpanStatus::Error);
    EXPECT_EQ(steps[2].track, 1); // its span is in trace.log, not in the step source
    EXPECT_EQ(steps[0].track, 0);
    const Trace& log = *view.tracks()[1].trace;
    const Span& unfinished = log.spans[size_t(steps[2].attempts.back())];
    EXPECT_TRUE(unfinished.unfinished());
    EXPECT_EQ(view.stepLabelOf(1, steps[2].attempts.back()), "llm_call#2");
}

TEST(RunView, AKnownKillPointEndsWhatWasRunning)
{
    RunView view = killedRun();
    view.markKilled(6000 * int64_t(1'000'000));
    EXPECT_TRUE(view.killed());
    const Trace& log = *view.tracks()[1].trace;
    for (const Span& span : log.spans) {
        if (span.unfinished()) {
            EXPECT_EQ(span.endNs, 6000 * int64_t(1'000'000));
        }
    }
    EXPECT_EQ(view.endNs(), 6000 * int64_t(1'000'000));
    // Unknown: they last until the trace's last record.
    RunView unknown = killedRun();
    unknown.markKilled(std::nullopt);
    EXPECT_FALSE(unknown.killedAt());
    EXPECT_EQ(unknown.tracks()[1].trace->endNs, 4840 * int64_t(1'000'000));
}
