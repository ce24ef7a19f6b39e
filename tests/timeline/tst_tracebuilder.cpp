// SPDX-License-Identifier: MIT
#include "builderfixture.h"

#include <gtest/gtest.h>

using namespace tt::timeline;
using tt::timeline::testing::indexOf;
using tt::timeline::testing::span;

namespace {

bool hasWarning(const ImportResult& result, std::string_view fragment, int64_t line = -1)
{
    for (const auto& w : result.warnings)
        if (w.message.find(fragment) != std::string::npos && (line < 0 || w.line == line))
            return true;
    return false;
}

} // namespace

TEST(TraceSetBuilder, LinksChildrenThatArriveBeforeTheirParents)
{
    // End order, as the OpenAI SDK's processors write spans: leaves first, the root last.
    TraceSetBuilder builder(Source::OpenAi, "end-order.jsonl");
    builder.addSpan(span("gen", "agent", SpanKind::LlmCall, "Generation", 10, 50, 1));
    builder.addSpan(span("tool", "agent", SpanKind::ToolCall, "read_multiple_files", 51, 53, 2));
    builder.addSpan(span("agent", "task", SpanKind::Agent, "writer_agent", 5, 60, 3));
    builder.addSpan(span("task", "", SpanKind::Run, "task", 0, 61, 4));
    const ImportResult result = builder.finish();

    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_TRUE(result.warnings.empty());
    const Trace& trace = result.traces[0];
    ASSERT_EQ(trace.spans.size(), 4u);
    // Sorted by start: task, agent, gen, tool.
    EXPECT_EQ(trace.str(trace.spans[0].id), "task");
    EXPECT_EQ(trace.str(trace.spans[3].id), "tool");
    EXPECT_EQ(trace.spans[size_t(indexOf(trace, "gen"))].parent, indexOf(trace, "agent"));
    EXPECT_EQ(trace.spans[size_t(indexOf(trace, "agent"))].parent, indexOf(trace, "task"));
    EXPECT_EQ(trace.spans[size_t(indexOf(trace, "gen"))].depth, 2);
    EXPECT_EQ(trace.root, indexOf(trace, "task"));
    EXPECT_EQ(trace.startNs, 0);
    EXPECT_EQ(trace.endNs, 61'000'000);
    EXPECT_EQ(trace.spanName(trace.spans[size_t(indexOf(trace, "tool"))]), "read_multiple_files");
}

TEST(TraceSetBuilder, MissingParentIsFlaggedAndKept)
{
    TraceSetBuilder builder(Source::OpenAi, "orphan.jsonl");
    builder.addSpan(span("root", "", SpanKind::Agent, "a", 0, 100, 1));
    builder.addSpan(span("lost", "nowhere", SpanKind::ToolCall, "t", 10, 20, 7));
    const ImportResult result = builder.finish();
    const Trace& trace = result.traces.at(0);
    const Span& lost = trace.spans[size_t(indexOf(trace, "lost"))];
    EXPECT_EQ(lost.parent, -1);
    EXPECT_TRUE(lost.flags & SpanFlag::ParentMissing);
    EXPECT_EQ(trace.str(lost.parentId), "nowhere");
    EXPECT_TRUE(hasWarning(result, "never appears", 7));
    EXPECT_EQ(result.warnings.at(0).source, "orphan.jsonl");
}

TEST(TraceSetBuilder, StartAndEndRecordsOfOneSpanMerge)
{
    TraceSetBuilder builder(Source::AgenticTraceLog, "trace.log");
    SpanInput start = span("s", "", SpanKind::LlmCall, "Generation", 100, std::nullopt, 3);
    start.payload = "start record";
    builder.addSpan(start);
    SpanInput end = span("s", "", SpanKind::LlmCall, "Generation", 100, 250, 9);
    end.payload = "end record";
    end.error = "boom";
    builder.addSpan(end);
    const ImportResult result = builder.finish();
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    const Trace& trace = result.traces.at(0);
    ASSERT_EQ(trace.spans.size(), 1u);
    EXPECT_EQ(trace.spans[0].durationNs(), 150'000'000);
    EXPECT_EQ(trace.str(trace.spans[0].payload), "end record");
    EXPECT_EQ(trace.str(trace.spans[0].error), "boom");
    EXPECT_EQ(trace.errorCount, 1u);
    EXPECT_FALSE(trace.spans[0].flags & SpanFlag::NoEnd);
}

TEST(TraceSetBuilder, DuplicateIdsAreBothKeptAndFlagged)
{
    TraceSetBuilder builder(Source::OpenAi, "dup.jsonl");
    builder.addSpan(span("same", "", SpanKind::LlmCall, "Generation", 0, 10, 2));
    builder.addSpan(span("same", "", SpanKind::ToolCall, "tool", 20, 30, 3));
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.traces.at(0).spans.size(), 2u);
    EXPECT_TRUE(result.traces[0].spans[1].flags & SpanFlag::DuplicateId);
    EXPECT_TRUE(hasWarning(result, "duplicate span id", 3));
}

TEST(TraceSetBuilder, EndBeforeStartIsClampedNotNegative)
{
    TraceSetBuilder builder(Source::OpenAi, "clock.jsonl");
    builder.addSpan(span("s", "", SpanKind::LlmCall, "Generation", 1000, 600, 5));
    const ImportResult result = builder.finish();
    const Span& s = result.traces.at(0).spans.at(0);
    EXPECT_EQ(s.durationNs(), 0);
    EXPECT_TRUE(s.flags & SpanFlag::EndBeforeStart);
    EXPECT_TRUE(hasWarning(result, "ends before it starts", 5));
}

TEST(TraceSetBuilder, ParentCycleIsCutWithoutHanging)
{
    TraceSetBuilder builder(Source::OpenAi, "cycle.jsonl");
    builder.addSpan(span("a", "b", SpanKind::Agent, "a", 0, 10, 1));
    builder.addSpan(span("b", "c", SpanKind::Agent, "b", 1, 9, 2));
    builder.addSpan(span("c", "a", SpanKind::Agent, "c", 2, 8, 3));
    builder.addSpan(span("d", "c", SpanKind::ToolCall, "d", 3, 4, 4));
    const ImportResult result = builder.finish();
    const Trace& trace = result.traces.at(0);
    int cut = 0;
    for (const auto& s : trace.spans)
        cut += (s.flags & SpanFlag::ParentCycle) ? 1 : 0;
    EXPECT_EQ(cut, 1);
    EXPECT_TRUE(hasWarning(result, "own ancestor"));
    // Every span has a finite depth and the chain from d reaches a root.
    int32_t at = indexOf(trace, "d");
    int steps = 0;
    while (at >= 0 && steps < 10) {
        at = trace.spans[size_t(at)].parent;
        ++steps;
    }
    EXPECT_LT(steps, 10);
}

TEST(TraceSetBuilder, SpansWithoutEndAreReported)
{
    TraceSetBuilder builder(Source::OpenAi, "open.jsonl");
    builder.addSpan(span("a", "", SpanKind::Agent, "a", 0, std::nullopt, 4));
    const ImportResult result = builder.finish();
    EXPECT_TRUE(result.traces.at(0).spans.at(0).flags & SpanFlag::NoEnd);
    EXPECT_TRUE(hasWarning(result, "no end", 4));
}

TEST(TraceSetBuilder, SpanWithoutStartIsSkippedWithAWarning)
{
    TraceSetBuilder builder(Source::OpenAi, "nostart.jsonl");
    SpanInput in = span("a", "", SpanKind::Agent, "a", 0, 10, 6);
    in.startNs.reset();
    builder.addSpan(in);
    const ImportResult result = builder.finish();
    EXPECT_TRUE(result.traces.empty());
    EXPECT_TRUE(hasWarning(result, "no start time", 6));
}

TEST(TraceSetBuilder, InterleavedTracesAreSeparated)
{
    TraceSetBuilder builder(Source::OpenAi, "two.jsonl");
    builder.addSpan(span("a1", "", SpanKind::Agent, "a", 0, 10, 1, "A"));
    builder.addSpan(span("b1", "", SpanKind::Agent, "b", 0, 10, 2, "B"));
    builder.addSpan(span("a2", "a1", SpanKind::LlmCall, "g", 1, 2, 3, "A"));
    builder.noteTrace("B", "Workflow B");
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.traces.size(), 2u);
    EXPECT_EQ(result.traces[0].id, "A");
    EXPECT_EQ(result.traces[0].spans.size(), 2u);
    EXPECT_EQ(result.traces[1].name, "Workflow B");
}

TEST(TraceSetBuilder, WarningsAreCappedWithASummary)
{
    TraceSetBuilder builder(Source::OpenAi, "many.jsonl");
    for (int i = 0; i < 1500; ++i)
        builder.warn(i + 1, "bad line");
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.warnings.size(), 1001u);
    EXPECT_NE(result.warnings.back().message.find("500 more warnings"), std::string::npos);
}

TEST(TraceSetBuilder, AnEndRecordCompletesItsStartRecord)
{
    // A LangSmith post (start, name, kind) and its patch (end, error; no start, no name).
    TraceSetBuilder builder(Source::LangSmith, "runs.jsonl");
    builder.addSpan(span("root", "", SpanKind::Run, "writer", 0, std::nullopt, 1));
    builder.addSpan(span("llm", "root", SpanKind::LlmCall, "ChatOpenAI", 5, std::nullopt, 2));
    SpanInput patch = span("llm", "root", SpanKind::Other, "run", 0, 1539, 3);
    patch.startNs.reset();
    patch.error = "HTTP 500";
    builder.addSpan(patch);
    SpanInput rootPatch = span("root", "", SpanKind::Other, "run", 0, 1600, 4);
    rootPatch.startNs.reset();
    builder.addSpan(rootPatch);
    const ImportResult result = builder.finish();
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.at(0).message;
    ASSERT_EQ(result.traces.size(), 1u);
    const Trace& trace = result.traces[0];
    ASSERT_EQ(trace.spans.size(), 2u);
    const Span& llm = trace.spans[size_t(indexOf(trace, "llm"))];
    EXPECT_EQ(llm.durationNs(), 1'534'000'000);
    EXPECT_EQ(trace.spanName(llm), "ChatOpenAI");
    EXPECT_EQ(trace.str(llm.error), "HTTP 500");
    EXPECT_EQ(llm.flags, 0);
    EXPECT_EQ(trace.durationNs(), 1'600'000'000);
    EXPECT_EQ(trace.name, "writer");
}

TEST(TraceSetBuilder, TheSameRecordTwiceIsOneSpanAndAConflictIsWarned)
{
    TraceSetBuilder builder(Source::OpenAi, "a.jsonl");
    builder.addSpan(span("root", "", SpanKind::Agent, "writer", 0, 100, 1));
    builder.addSpan(span("tool", "root", SpanKind::ToolCall, "read", 10, 20, 2));
    builder.addSpan(span("root", "", SpanKind::Agent, "writer", 0, 100, 7));
    builder.addSpan(span("tool", "root", SpanKind::ToolCall, "read", 10, 25, 8));
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 3u); // root once, the conflicting tool twice
    EXPECT_TRUE(hasWarning(result, "duplicate span id \"tool\"", 8));
    EXPECT_FALSE(hasWarning(result, "duplicate span id \"root\""));
}

TEST(TraceSetBuilder, ATraceSplitAcrossSourcesIsOneTrace)
{
    auto first = std::make_shared<const std::string>("root tool");
    auto second = std::make_shared<const std::string>("late orphan");
    TraceSetBuilder builder(Source::OpenAi, "part1.json", first);
    SpanInput root = span("root", "", SpanKind::Agent, "writer", 0, 100, 1);
    root.payload = std::string_view(first->data(), 4);
    builder.addSpan(root);
    builder.beginSource("part2.json", second);
    SpanInput tool = span("tool", "root", SpanKind::ToolCall, "read", 10, 20, 1);
    tool.payload = std::string_view(second->data(), 4);
    builder.addSpan(tool);
    builder.addSpan(span("orphan", "gone", SpanKind::ToolCall, "read", 30, 40, 2));
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.traces.size(), 1u);
    const Trace& trace = result.traces[0];
    EXPECT_EQ(trace.origin, "part1.json + part2.json");
    const Span& child = trace.spans[size_t(indexOf(trace, "tool"))];
    EXPECT_EQ(child.parent, indexOf(trace, "root"));
    EXPECT_EQ(trace.str(child.payload).data(), second->data()); // sliced, not copied
    ASSERT_EQ(result.warnings.size(), 1u);
    EXPECT_EQ(result.warnings[0].source, "part2.json");
    EXPECT_EQ(result.warnings[0].line, 2);
}

TEST(TraceSetBuilder, SpansStartingInTheSameMillisecondKeepTheSourcesOrder)
{
    // A Restate journal in milliseconds: the tool's Run command and its completion, then the next
    // LLM call, all appended at 40 ms. Between these siblings the journal's order decides, not
    // the longer duration.
    TraceSetBuilder builder(Source::Restate, "journal");
    builder.addSpan(span("run", "", SpanKind::Run, "WriterAgentRestate/run", 0, 100, 1));
    builder.addSpan(span("llm1", "run", SpanKind::LlmCall, "call LLM", 0, 40, 2));
    builder.addSpan(span("tool", "run", SpanKind::ToolCall, "read_multiple_files", 40, 40, 3));
    builder.addSpan(span("llm2", "run", SpanKind::LlmCall, "call LLM", 40, 90, 4));
    builder.addSpan(span("save", "run", SpanKind::ToolCall, "save_report", 90, 90, 5));
    const ImportResult result = builder.finish();
    EXPECT_TRUE(result.warnings.empty());
    const Trace& trace = result.traces.at(0);
    std::vector<std::string> ids;
    for (const Span& s : trace.spans)
        ids.emplace_back(trace.str(s.id));
    EXPECT_EQ(ids, (std::vector<std::string> { "run", "llm1", "tool", "llm2", "save" }));
    for (const char* child : { "llm1", "tool", "llm2", "save" })
        EXPECT_EQ(trace.spans[size_t(indexOf(trace, child))].parent, indexOf(trace, "run"))
            << child;
    EXPECT_EQ(trace.root, indexOf(trace, "run"));
}

TEST(TraceSetBuilder, AParentRecordedAfterItsChildStillComesFirstAtTheSameStart)
{
    // End order (OpenAI's processors): the child is written first; both start at 10 ms.
    TraceSetBuilder builder(Source::OpenAi, "end-order.jsonl");
    builder.addSpan(span("child", "parent", SpanKind::ToolCall, "t", 10, 12, 1));
    builder.addSpan(span("other", "", SpanKind::Agent, "b", 10, 11, 2));
    builder.addSpan(span("parent", "", SpanKind::Agent, "a", 10, 11, 3));
    const ImportResult result = builder.finish();
    const Trace& trace = result.traces.at(0);
    ASSERT_EQ(trace.spans.size(), 3u);
    EXPECT_LT(indexOf(trace, "parent"), indexOf(trace, "child"));
    EXPECT_LT(indexOf(trace, "other"), indexOf(trace, "parent")); // recorded first, same depth
    EXPECT_EQ(trace.spans[size_t(indexOf(trace, "child"))].parent, indexOf(trace, "parent"));
    EXPECT_EQ(trace.spans[size_t(indexOf(trace, "child"))].depth, 1);
}

TEST(TraceSetBuilder, AtTheSameStartOnlyAChildRecordedBeforeItsParentMoves)
{
    // The tool call is one level deeper than the LLM call after it, both at 40 ms: the source's
    // order still decides (a shallower span does not jump ahead). X, a root of its own recorded
    // between A and B, stays there. The child written before its parent comes right after it.
    TraceSetBuilder builder(Source::LangSmith, "runs.jsonl");
    builder.addSpan(span("R", "", SpanKind::Run, "chain", 0, 100, 1));
    builder.addSpan(span("A", "R", SpanKind::Agent, "agent", 0, 100, 2));
    builder.addSpan(span("T", "A", SpanKind::ToolCall, "read_multiple_files", 40, 40, 3));
    builder.addSpan(span("L", "R", SpanKind::LlmCall, "llm", 40, 90, 4));
    builder.addSpan(span("c", "X", SpanKind::ToolCall, "child first", 0, 1, 5));
    builder.addSpan(span("X", "", SpanKind::Agent, "other root", 0, 2, 6));
    builder.addSpan(span("B", "R", SpanKind::ToolCall, "b", 0, 3, 7));
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.traces.size(), 1u);
    const Trace& trace = result.traces[0];
    std::vector<std::string> ids;
    for (const Span& s : trace.spans)
        ids.emplace_back(trace.str(s.id));
    EXPECT_EQ(ids, (std::vector<std::string> { "R", "A", "X", "c", "B", "T", "L" }));
    for (const auto& [child, parent] : std::vector<std::pair<const char*, const char*>> {
             { "A", "R" }, { "T", "A" }, { "L", "R" }, { "c", "X" }, { "B", "R" } })
        EXPECT_EQ(trace.spans[size_t(indexOf(trace, child))].parent, indexOf(trace, parent))
            << child;
}

TEST(TraceSetBuilder, ManySpansAtOneStartInReverseOrderAreOrderedWithoutComparingEveryPair)
{
    // A hostile or clockless source: 200,000 spans at one time, each the parent of the one
    // written before it. The group is ordered in O(n log n), not by comparing every pair.
    TraceSetBuilder builder(Source::OpenAi, "flat.jsonl");
    constexpr int kSpans = 200'000;
    for (int i = 0; i < kSpans; ++i)
        builder.addSpan(span("s" + std::to_string(i),
            i + 1 < kSpans ? "s" + std::to_string(i + 1) : std::string(), SpanKind::Agent, "a", 5,
            5, i + 1));
    const ImportResult result = builder.finish();
    ASSERT_EQ(result.traces.size(), 1u);
    const Trace& trace = result.traces[0];
    ASSERT_EQ(trace.spans.size(), size_t(kSpans));
    EXPECT_EQ(trace.str(trace.spans.front().id), "s" + std::to_string(kSpans - 1));
    for (size_t i = 1; i < trace.spans.size(); ++i)
        ASSERT_EQ(trace.spans[i].parent, int32_t(i - 1)) << i;
}
