// SPDX-License-Identifier: MIT
#include "agents/llm/conversation.h"
#include "agents/llm/faultplan.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tt::llm;

namespace {

Scenario parse(const std::string& text)
{
    std::string error;
    auto scenario = parseScenario(text, "test.json", error);
    EXPECT_TRUE(scenario) << error;
    return scenario.value_or(Scenario());
}

std::string errorOf(const std::string& text)
{
    std::string error;
    EXPECT_FALSE(parseScenario(text, "bad.json", error));
    return error;
}

} // namespace

TEST(ScenarioFile, EveryBundledScenarioParses)
{
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(TT_SCENARIOS)) {
        if (entry.path().extension() != ".json")
            continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        std::string error;
        EXPECT_TRUE(parseScenario(text.str(), entry.path().string(), error)) << error;
        ++count;
    }
    EXPECT_GE(count, 12);
}

TEST(ScenarioFile, ErrorsNameTheFileTheFieldAndWhatWasExpected)
{
    EXPECT_EQ(errorOf("{"), "bad.json: not valid JSON");
    EXPECT_EQ(errorOf("[]"),
        "bad.json: (top level): expected an object {\"name\", \"seed\", \"latency\", \"faults\"}");
    EXPECT_EQ(errorOf(R"({"faults":[{"kind":"explode"}]})"),
        "bad.json: faults[0].kind: expected one of http_429, http_500, http_503, reset, stall, "
        "truncated_json, missing_headings, slow_tokens");
    EXPECT_EQ(errorOf(R"({"faults":[{"kind":"http_500"},{"kind":"http_429","times":0}]})"),
        "bad.json: faults[1].times: expected a positive integer or \"always\"");
    EXPECT_EQ(errorOf(R"({"faults":[{"kind":"http_500","when":{"step":"lunch"}}]})"),
        "bad.json: faults[0].when.step: expected \"tool_call\", \"report\" or \"any\"");
    EXPECT_EQ(errorOf(R"({"faults":[{"kind":"http_500","when":{"call":0}}]})"),
        "bad.json: faults[0].when.call: expected a call index from 1");
    EXPECT_EQ(errorOf(R"({"faults":[{"kind":"http_500","probability":1.5}]})"),
        "bad.json: faults[0].probability: expected a number from 0 to 1");
    EXPECT_EQ(errorOf(R"({"seed":-3})"), "bad.json: seed: expected a non-negative integer");
    EXPECT_EQ(errorOf(R"({"faults":{}})"), "bad.json: faults: expected a list of faults");
}

TEST(FaultPlan, KInARowFromACall)
{
    FaultPlan plan(parse(R"({"faults":[{"kind":"http_429","when":{"call":2},"times":3}]})"), 1);
    std::vector<bool> faulted;
    for (int i = 0; i < 6; ++i)
        faulted.push_back(plan.next("run", Step::ToolCall).fault != nullptr);
    EXPECT_EQ(faulted, (std::vector<bool> { false, true, true, true, false, false }));
}

TEST(FaultPlan, CallsAreCountedPerRun)
{
    FaultPlan plan(parse(R"({"faults":[{"kind":"http_500","times":1}]})"), 1);
    EXPECT_TRUE(plan.next("a", Step::ToolCall).fault);
    EXPECT_TRUE(plan.next("b", Step::ToolCall).fault);
    EXPECT_FALSE(plan.next("a", Step::ToolCall).fault);
    EXPECT_EQ(plan.next("b", Step::ToolCall).call, 2);
}

TEST(FaultPlan, ByStepOnceAndAlways)
{
    FaultPlan once(parse(R"({"faults":[{"kind":"http_500","when":{"step":"report"}}]})"), 1);
    EXPECT_FALSE(once.next("r", Step::ToolCall).fault);
    EXPECT_TRUE(once.next("r", Step::Report).fault);
    EXPECT_FALSE(once.next("r", Step::Report).fault);
    FaultPlan always(parse(R"({"faults":[{"kind":"http_503","times":"always"}]})"), 1);
    for (int i = 0; i < 20; ++i)
        EXPECT_TRUE(always.next("r", i % 2 ? Step::Report : Step::ToolCall).fault);
}

TEST(FaultPlan, SeededProbabilityIsRepeatableAndNearItsRate)
{
    const Scenario scenario = parse(R"({"faults":[{"kind":"http_500","probability":0.3}]})");
    auto pattern = [&](uint64_t seed) {
        FaultPlan plan(scenario, seed);
        std::vector<bool> out;
        for (int i = 0; i < 1000; ++i)
            out.push_back(plan.next("run-7", Step::ToolCall).fault != nullptr);
        return out;
    };
    const auto first = pattern(42);
    EXPECT_EQ(first, pattern(42));
    EXPECT_NE(first, pattern(43));
    const auto hits = std::count(first.begin(), first.end(), true);
    EXPECT_GT(hits, 240);
    EXPECT_LT(hits, 360);
}

TEST(Conversation, ToolCallThenReport)
{
    const auto first = nlohmann::json::parse(R"({"messages":[{"role":"user","content":
        "<research_request>Durable agents</research_request>\nSearch results:\n- /tmp/r/a.txt\n- `/tmp/r/b.md`"}]})");
    const Reply call = scriptedReply(first, 1, 1);
    ASSERT_TRUE(call.isToolCall);
    EXPECT_EQ(call.toolName, "read_multiple_files");
    EXPECT_EQ(call.arguments, R"({"paths":["/tmp/r/a.txt","/tmp/r/b.md"]})");
    EXPECT_EQ(stepOf(first), Step::ToolCall);

    auto second = first;
    second["messages"].push_back({ { "role", "tool" }, { "tool_call_id", call.toolCallId },
        { "content", "/tmp/r/a.txt:\nAlpha fact.\n---\n/tmp/r/b.md:\nBeta fact." } });
    EXPECT_EQ(stepOf(second), Step::Report);
    const Reply report = scriptedReply(second, 1, 2);
    ASSERT_FALSE(report.isToolCall);
    for (const auto& heading : requiredHeadings())
        EXPECT_NE(report.content.find("\n" + heading), std::string::npos) << heading;
    EXPECT_EQ(report.content.rfind("# Research report: Durable agents", 0), 0u);
    EXPECT_NE(report.content.find("Alpha fact."), std::string::npos);
    EXPECT_EQ(report.content.substr(report.content.size() - 13), "## FINAL STEP");
    const std::string broken = withoutRequiredHeadings(report.content);
    EXPECT_EQ(broken.find("## Raw Notes"), std::string::npos);
    EXPECT_EQ(broken.find("## FINAL STEP"), std::string::npos);
}

TEST(Conversation, TokenPiecesNeverSplitACharacter)
{
    const std::string text = "Résumé — 日本語 ok";
    std::string joined;
    for (const auto& piece : tokenPieces(text)) {
        EXPECT_FALSE(piece.empty());
        EXPECT_NE(static_cast<unsigned char>(piece[0]) & 0xC0, 0x80) << piece;
        joined += piece;
    }
    EXPECT_EQ(joined, text);
}
