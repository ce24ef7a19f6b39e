// SPDX-License-Identifier: MIT
// The Restate admin-API importer on the real captures of restate-server 1.7.12
// (../shared/fixtures/restate-1.7.12, see its COMMANDS.md for how each invocation was made).
#include "fixtures.h"

#include "importers/restate/restateimporter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace tt;
using namespace tt::importers;
using timeline::SpanKind;

namespace {

const timeline::ImportResult& captured()
{
    static const timeline::ImportResult result = restate::importSnapshotFolder(TT_RESTATE_FIXTURES);
    return result;
}

const timeline::Trace& invocation(std::string_view id)
{
    const auto& traces = captured().traces;
    const auto found = std::find_if(
        traces.begin(), traces.end(), [&](const timeline::Trace& t) { return t.id == id; });
    if (found == traces.end())
        throw std::runtime_error("no trace " + std::string(id));
    return *found;
}

const timeline::Span& root(const timeline::Trace& trace)
{
    return trace.spans.at(size_t(trace.root));
}

std::vector<std::string> named(const timeline::Trace& trace, SpanKind kind)
{
    std::vector<std::string> names;
    for (const auto& span : trace.spans)
        if (trace.spanKind(span) == kind)
            names.emplace_back(trace.spanName(span));
    return names;
}

std::shared_ptr<const std::string> text(std::string value)
{
    return std::make_shared<const std::string>(std::move(value));
}

} // namespace

TEST(RestateCaptures, OneTracePerInvocationNoWarnings)
{
    EXPECT_EQ(captured().traces.size(), 23u);
    EXPECT_TRUE(captured().warnings.empty()) << captured().warnings.front().message;
    for (const auto& trace : captured().traces) {
        EXPECT_EQ(trace.source, timeline::Source::Restate);
        EXPECT_EQ(trace.id.rfind("inv_", 0), 0u);
        ASSERT_GE(trace.root, 0);
        EXPECT_EQ(trace.spanKind(root(trace)), SpanKind::Run);
    }
}

TEST(RestateCaptures, CompletedRunHasItsStepsAsTheUiShowsThem)
{
    const auto& trace = invocation("inv_1654NigjcpNp7jxNHpMAJ7P2SqFCk1YJOe");
    EXPECT_EQ(trace.spanName(root(trace)), "Writer/run");
    EXPECT_EQ(root(trace).status, timeline::SpanStatus::Ok);
    EXPECT_EQ(importers::testing::stepLabels(trace),
        (std::vector<std::string> { "llm_call#1", "write_file#1", "llm_call#2" }));
    EXPECT_EQ(
        named(trace, SpanKind::Lifecycle), (std::vector<std::string> { "running", "completed" }));
    // A run spans from its command to its completion notification.
    for (const auto& span : trace.spans) {
        if (trace.spanKind(span) == SpanKind::LlmCall) {
            EXPECT_GT(span.durationNs(), 0);
        }
    }
}

TEST(RestateCaptures, StepsInTheSameMillisecondKeepTheJournalsOrder)
{
    // The tool's command, its completion and the next LLM call were appended in one millisecond.
    const auto result = restate::importSnapshotFolder(TT_RESTATE_SAME_MS);
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_TRUE(result.warnings.empty());
    EXPECT_EQ(importers::testing::stepLabels(result.traces[0]),
        (std::vector<std::string> {
            "llm_call#1", "read_multiple_files#1", "llm_call#2", "save_report#1" }));
}

TEST(RestateCaptures, TerminalFailureIsTheStepsAndTheInvocationsError)
{
    const auto& trace = invocation("inv_12ELMlmvHgZ206A1escQBBXxLHTN6IpycW");
    EXPECT_EQ(trace.str(root(trace).error), "[422] doomed: input 'bad-h1' rejected by validator");
    const auto validate = std::find_if(trace.spans.begin(), trace.spans.end(),
        [&](const auto& span) { return trace.spanName(span) == "validate"; });
    ASSERT_NE(validate, trace.spans.end());
    EXPECT_EQ(trace.spanKind(*validate), SpanKind::ToolCall);
    EXPECT_EQ(trace.str(validate->error), "[422] doomed: input 'bad-h1' rejected by validator");
    EXPECT_TRUE(named(trace, SpanKind::RetryAttempt).empty()); // terminal errors are not retried
    EXPECT_EQ(named(trace, SpanKind::Lifecycle).back(), "failed");
}

TEST(RestateCaptures, TransientErrorsAreFailedAttemptsUnderTheirCommand)
{
    const auto& trace = invocation("inv_14U5qj9piqBP4S0GGBtSBsfvNujqCrpYBw");
    EXPECT_EQ(root(trace).status, timeline::SpanStatus::Ok);
    int attempts = 0;
    for (const auto& span : trace.spans) {
        if (trace.spanKind(span) != SpanKind::RetryAttempt)
            continue;
        ++attempts;
        ASSERT_GE(span.parent, 0);
        EXPECT_EQ(trace.spanKind(trace.spans[size_t(span.parent)]), SpanKind::ToolCall);
        EXPECT_NE(trace.str(span.error).find("simulated 503"), std::string::npos);
    }
    EXPECT_EQ(attempts, 2);
}

TEST(RestateCaptures, PausedBackingOffSuspendedScheduledCancelled)
{
    const auto& paused = invocation("inv_18Ho5kf93uMA2lkmFCGd78nPfOVBAMPUVh");
    const auto pausedStates = named(paused, SpanKind::Lifecycle);
    EXPECT_EQ(std::count(pausedStates.begin(), pausedStates.end(), "paused"), 2)
        << "one per Paused event";
    EXPECT_NE(paused.str(root(paused).error).find("paused: upload failed"), std::string::npos);

    const auto& backingOff = invocation("inv_1bJDYB8jSL7R01g0tJjf08DwItATdGkYNb");
    const auto& lifecycle = named(backingOff, SpanKind::Lifecycle);
    EXPECT_NE(std::find(lifecycle.begin(), lifecycle.end(), "backing-off"), lifecycle.end());
    EXPECT_NE(backingOff.str(root(backingOff).error).find("transient failure on attempt 7"),
        std::string::npos);

    const auto& suspended = invocation("inv_17nTM1N2KDgJ4ZSA17yzW0Hk3FbOQK5C4H");
    const auto& states = named(suspended, SpanKind::Lifecycle);
    EXPECT_NE(std::find(states.begin(), states.end(), "suspended"), states.end());
    EXPECT_EQ(named(suspended, SpanKind::JournalEntry), (std::vector<std::string> { "Sleep" }));

    const auto& scheduled = invocation("inv_1gOyMt8sVj3H6sRw39K0p17TJnthPFjX1O");
    EXPECT_EQ(named(scheduled, SpanKind::Lifecycle), (std::vector<std::string> { "scheduled" }));
    EXPECT_EQ(scheduled.durationNs(), 3600 * 1000000000ll); // delay=1h

    const auto& cancelled = invocation("inv_13KkMa9gQ58R6ZsDUa8hJg5dWuHnv8Y22E");
    EXPECT_EQ(named(cancelled, SpanKind::Lifecycle).back(), "cancelled");
}

TEST(RestateCaptures, PayloadsBecomeReadable)
{
    const auto& trace = invocation("inv_12ELMlmvHgZ206A1escQBBXxLHTN6IpycW");
    const auto input = std::find_if(trace.spans.begin(), trace.spans.end(),
        [&](const auto& span) { return trace.spanName(span) == "Input"; });
    ASSERT_NE(input, trace.spans.end());
    const std::string readable = restate::readablePayload(trace.str(input->payload));
    EXPECT_NE(readable.find("\"payload\": \"bad-h1\""), std::string::npos) << readable;
    const std::string row = restate::readablePayload(trace.str(root(trace).payload));
    EXPECT_NE(row.find("\"completion_failure\""), std::string::npos);
}

TEST(RestateBadInput, ArrowErrorsAndTruncatedAnswers)
{
    std::ifstream arrow(
        std::string(TT_RESTATE_FIXTURES) + "/sys_invocation__no_accept_header.arrow",
        std::ios::binary);
    std::stringstream arrowBytes;
    arrowBytes << arrow.rdbuf();
    restate::Snapshot snapshot;
    snapshot.invocations.push_back({ "arrow", text(arrowBytes.str()) });
    snapshot.invocations.push_back(
        { "error", text(R"({"message":"Datafusion error: table not found"})") });
    snapshot.invocations.push_back({ "cut",
        text(
            R"({"rows":[{"id":"inv_a","target":"S/h","status":"completed","completion_result":"success","created_at":"2026-11-26T12:59:27.018Z","completed_at":"2026-11-26T12:59:28Z"},{"id":"inv_b","created_at":"2026-11-2)") });
    snapshot.journal.push_back({ "orphan",
        text(
            R"({"rows":[{"id":"inv_c","index":0,"entry_type":"Command: Input","appended_at":"2026-11-26T12:59:27Z"},{"id":"inv_c","index":"x"}, 7]})") });
    const auto result = restate::importSnapshot(snapshot, "test");
    EXPECT_TRUE(importers::testing::hasWarning(result, "Apache Arrow"));
    EXPECT_TRUE(
        importers::testing::hasWarning(result, "the server answered an error: Datafusion error"));
    EXPECT_TRUE(importers::testing::hasWarning(result, "cut short"));
    EXPECT_TRUE(importers::testing::hasWarning(result, "numeric \"index\""));
    EXPECT_TRUE(importers::testing::hasWarning(result, "row 3 is not an object"));
    EXPECT_TRUE(importers::testing::hasWarning(result, "no sys_invocation row"));
    ASSERT_EQ(result.traces.size(), 2u); // inv_a from the cut answer, inv_c from the journal
    EXPECT_EQ(result.traces[0].id, "inv_a");
    EXPECT_EQ(result.traces[0].durationNs(), 982000000);
}

// The other captures of the same server: the first invocation while it was stuck (the SDK
// crashed on Node 20: status running, no journal fetched), and sys_invocation_status, the table
// under the view (same durable columns, no retry state).
TEST(RestateCaptures, EveryInvocationCaptureImports)
{
    const auto read = [](const char* name) {
        std::ifstream in(std::string(TT_RESTATE_FIXTURES) + "/" + name, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        return text(bytes.str());
    };
    restate::Snapshot stuck;
    stuck.invocations.push_back(
        { "phase0", read("sys_invocation__phase0_sdk_crash_on_node20.json") });
    const auto first = restate::importSnapshot(stuck, "phase0");
    ASSERT_EQ(first.traces.size(), 1u);
    EXPECT_EQ(
        named(first.traces[0], SpanKind::Lifecycle), (std::vector<std::string> { "running" }));
    EXPECT_TRUE(first.warnings.empty());

    restate::Snapshot status;
    status.invocations.push_back({ "status", read("sys_invocation_status.json") });
    status.journal.push_back({ "journal", read("sys_journal.json") });
    const auto table = restate::importSnapshot(status, "status");
    EXPECT_EQ(table.traces.size(), 23u);
    EXPECT_EQ(table.spanCount() > 150, true);
}
