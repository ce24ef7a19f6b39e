// SPDX-License-Identifier: MIT
#include "importers/timeline/alignment.h"

#include <gtest/gtest.h>

#include <random>

using namespace tt::timeline;

namespace {

Step step(SpanKind kind, std::string name, int occurrence, int64_t durationMs,
    SpanStatus status = SpanStatus::Ok)
{
    Step s;
    s.kind = kind;
    s.name = std::move(name);
    s.occurrence = occurrence;
    s.endNs = durationMs * 1'000'000;
    s.status = status;
    return s;
}

std::vector<Step> writerRun(int64_t llm1 = 4000, int64_t tool = 20, int64_t llm2 = 8000)
{
    return { step(SpanKind::LlmCall, "llm_call", 1, llm1),
        step(SpanKind::ToolCall, "read_multiple_files", 1, tool),
        step(SpanKind::LlmCall, "llm_call", 2, llm2) };
}

// Textbook O(n*m) LCS length, the reference the Myers diff must agree with.
size_t lcsLength(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b)
{
    std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j)
            t[i][j]
                = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    return t[a.size()][b.size()];
}

} // namespace

TEST(Alignment, IdenticalRunsAreAllSame)
{
    const auto rows = alignSteps(writerRun(), writerRun());
    ASSERT_EQ(rows.size(), 3u);
    for (size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].left, int32_t(i));
        EXPECT_EQ(rows[i].right, int32_t(i));
        EXPECT_EQ(rows[i].status, RowStatus::Same);
        EXPECT_EQ(rows[i].deltaNs, 0);
    }
}

TEST(Alignment, SlowerAndFasterBeyondTolerance)
{
    const auto rows = alignSteps(writerRun(4000, 20, 8000), writerRun(6000, 20, 7000));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].status, RowStatus::Slower);
    EXPECT_EQ(rows[0].deltaNs, 2000'000'000);
    EXPECT_EQ(rows[1].status, RowStatus::Same);
    EXPECT_EQ(rows[2].status, RowStatus::Faster);
    EXPECT_EQ(rows[2].deltaNs, -1000'000'000);
}

TEST(Alignment, SmallDifferencesAreSame)
{
    // 5 % on a long call and 0.5 ms on a short one are within the default tolerance.
    const auto rows = alignSteps(writerRun(4000, 20, 8000), writerRun(4200, 20, 8000));
    EXPECT_EQ(rows[0].status, RowStatus::Same);
}

TEST(Alignment, JitterOnAShortToolCallIsSame)
{
    // A sub-millisecond tool call measured 1.6 ms longer: far over 10 %, under 5 ms: same.
    std::vector<Step> left = { step(SpanKind::ToolCall, "read_multiple_files", 1, 0) };
    std::vector<Step> right = left;
    left[0].endNs = 150'000;
    right[0].endNs = 1'750'000;
    EXPECT_EQ(alignSteps(left, right)[0].status, RowStatus::Same);
    // 6 ms longer is over both tolerances: slower.
    right[0].endNs = 6'150'000;
    EXPECT_EQ(alignSteps(left, right)[0].status, RowStatus::Slower);
    // A long call 6 ms (1 %) slower: under 10 %, same.
    EXPECT_EQ(alignSteps(writerRun(600), writerRun(606))[0].status, RowStatus::Same);
}

TEST(Alignment, FailureOnOneSideIsChanged)
{
    auto right = writerRun();
    right[2].status = SpanStatus::Error;
    const auto rows = alignSteps(writerRun(), right);
    EXPECT_EQ(rows[2].status, RowStatus::Changed);
}

TEST(Alignment, ExtraCallOnTheRightDoesNotShiftLaterSteps)
{
    // A crash after read_multiple_files: the restarted run calls the LLM and the tool again.
    std::vector<Step> right = writerRun();
    right.insert(right.begin() + 2, step(SpanKind::LlmCall, "llm_call", 2, 4000));
    right.insert(right.begin() + 3, step(SpanKind::ToolCall, "read_multiple_files", 2, 20));
    right[4].occurrence = 3;
    const auto rows = alignSteps(writerRun(), right);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0].status, RowStatus::Same);
    EXPECT_EQ(rows[1].status, RowStatus::Same);
    // llm_call#2 on the left matches llm_call#2 on the right exactly...
    EXPECT_EQ(rows[2].left, 2);
    EXPECT_EQ(rows[2].right, 2);
    // ...and what the restart added shows on the right only.
    EXPECT_EQ(rows[3].status, RowStatus::OnlyRight);
    EXPECT_EQ(rows[4].status, RowStatus::OnlyRight);
}

TEST(Alignment, MissingStepsAreOnlyLeft)
{
    std::vector<Step> right = writerRun();
    right.pop_back();
    const auto rows = alignSteps(writerRun(), right);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[2].status, RowStatus::OnlyLeft);
    EXPECT_EQ(rows[2].right, -1);
}

TEST(Alignment, LeftoversBetweenAnchorsPairByKindAndName)
{
    // Left: tool#1, llm#1, end#1. Right: tool#1, llm#1 replaced by llm "#2" numbering after an
    // extra llm call elsewhere; the loose pass must still pair the llm calls.
    std::vector<Step> left = { step(SpanKind::ToolCall, "a", 1, 10),
        step(SpanKind::LlmCall, "llm_call", 1, 10), step(SpanKind::ToolCall, "z", 1, 10) };
    std::vector<Step> right = { step(SpanKind::ToolCall, "a", 1, 10),
        step(SpanKind::LlmCall, "llm_call", 7, 10), step(SpanKind::ToolCall, "z", 1, 10) };
    const auto rows = alignSteps(left, right);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].left, 1);
    EXPECT_EQ(rows[1].right, 1);
}

TEST(Alignment, EmptySides)
{
    EXPECT_TRUE(alignSteps({}, {}).empty());
    const auto onlyRight = alignSteps({}, writerRun());
    ASSERT_EQ(onlyRight.size(), 3u);
    EXPECT_EQ(onlyRight[0].status, RowStatus::OnlyRight);
}

TEST(CommonSubsequence, AgreesWithTheTextbookLcsOnRandomInputs)
{
    std::mt19937 random(42);
    for (int round = 0; round < 400; ++round) {
        const size_t n = random() % 40;
        const size_t m = random() % 40;
        const uint32_t alphabet = 1 + random() % 6;
        std::vector<uint32_t> a(n), b(m);
        for (auto& x : a)
            x = random() % alphabet;
        for (auto& x : b)
            x = random() % alphabet;
        const auto pairs = commonSubsequence(a, b);
        ASSERT_EQ(pairs.size(), lcsLength(a, b)) << "round " << round;
        for (size_t i = 0; i < pairs.size(); ++i) {
            ASSERT_EQ(a[size_t(pairs[i].first)], b[size_t(pairs[i].second)]);
            if (i > 0) {
                ASSERT_GT(pairs[i].first, pairs[i - 1].first);
                ASSERT_GT(pairs[i].second, pairs[i - 1].second);
            }
        }
    }
}

TEST(CommonSubsequence, LongRunsWithFewEditsStayFast)
{
    // 100k keys with a handful of edits: O((n+m)*d) must not degrade to n*m.
    std::vector<uint32_t> a(100000);
    for (uint32_t i = 0; i < a.size(); ++i)
        a[i] = i;
    std::vector<uint32_t> b = a;
    b.erase(b.begin() + 500);
    b.insert(b.begin() + 70000, 999999);
    b[40000] = 888888;
    const auto pairs = commonSubsequence(a, b);
    EXPECT_EQ(pairs.size(), a.size() - 2);
}
