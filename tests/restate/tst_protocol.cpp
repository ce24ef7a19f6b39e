// SPDX-License-Identifier: MIT
// The service protocol without a server: framing, journal parsing and the replaying context,
// against journals shaped as restate-server 1.7.12 sends them (research/restate_protocol.md).
#include "journalbuilder.h"

#include "agents/restate/context.h"

#include <gtest/gtest.h>

using namespace tt::restate;
using namespace tt::restate::testing;

namespace {

struct Attempt
{
    AttemptEnd end;
    std::vector<Frame> frames;
    int workRuns = 0;
};

// One attempt of a handler over `body`, the way the endpoint runs it.
Attempt attempt(const std::string& body, const Handler& handler)
{
    Journal journal;
    std::string error;
    EXPECT_TRUE(parseJournal(body, journal, error, 1 << 20)) << error;
    std::string out;
    Attempt result;
    result.end = runAttempt(journal, handler, [&](std::string_view bytes) {
        out.append(bytes);
        return true;
    });
    result.frames = framesOf(out);
    return result;
}

std::vector<uint16_t> typesOf(const std::vector<Frame>& frames)
{
    std::vector<uint16_t> types;
    for (const Frame& frame : frames)
        types.push_back(frame.type);
    return types;
}

template <typename Message> Message decode(const Frame& frame)
{
    Message message;
    EXPECT_TRUE(message.ParseFromString(frame.payload));
    return message;
}

constexpr uint16_t T(MessageType type)
{
    return uint16_t(type);
}

} // namespace

TEST(Framing, HeaderIsTypeFlagsLengthBigEndian)
{
    pb::RunCommandMessage command;
    command.set_name("call LLM");
    command.set_result_completion_id(1);
    std::string bytes;
    appendFrame(bytes, MessageType::RunCommand, command, kRequestedAckFlag);
    ASSERT_GE(bytes.size(), 8u);
    const std::string header = bytes.substr(0, 8);
    EXPECT_EQ(header.substr(0, 4), std::string("\x04\x11\x80\x00", 4));
    EXPECT_EQ(uint32_t(uint8_t(header[7])), bytes.size() - 8);
    const auto frames = framesOf(bytes);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].flags, kRequestedAckFlag);
    EXPECT_EQ(decode<pb::RunCommandMessage>(frames[0]).name(), "call LLM");
}

TEST(Framing, ReadsFramesFedOneByteAtATime)
{
    const std::string body = JournalBuilder("hello").run("a", 1).runValue(1, "x").body();
    FrameReader reader;
    int frames = 0;
    for (char c : body) {
        reader.feed(std::string_view(&c, 1));
        while (reader.next())
            ++frames;
    }
    EXPECT_EQ(frames, 4);
    EXPECT_TRUE(reader.finish());
}

TEST(Framing, RefusesAnOversizedMessageBeforeReadingIt)
{
    std::string header("\x04\x11\x00\x00\x7f\xff\xff\xff", 8); // 2 GiB announced
    FrameReader reader(1 << 20);
    reader.feed(header);
    EXPECT_FALSE(reader.next());
    EXPECT_TRUE(reader.failed());
    EXPECT_NE(reader.error().find("exceeds the limit"), std::string::npos) << reader.error();
}

TEST(Framing, ReportsAStreamCutInsideAMessage)
{
    std::string body = JournalBuilder("hello").body();
    body.resize(body.size() - 3);
    FrameReader reader;
    reader.feed(body);
    while (reader.next()) { }
    EXPECT_FALSE(reader.finish());
    EXPECT_NE(reader.error().find("ends inside a message"), std::string::npos);
}

TEST(Journal, ParsesCommandsInOrderAndNotificationsById)
{
    const std::string body
        = JournalBuilder("in").run("a", 1).run("b", 2).runValue(2, "B").runValue(1, "A").body();
    Journal journal;
    std::string error;
    ASSERT_TRUE(parseJournal(body, journal, error, 1 << 20)) << error;
    EXPECT_EQ(journal.commands.size(), 3u);
    EXPECT_EQ(journal.completions.size(), 2u);
    EXPECT_EQ(journal.completions.at(1).value().content(), "A");
    EXPECT_EQ(journal.start.debug_id(), "inv_test");
}

TEST(Journal, RejectsBodiesThatAreNotAJournal)
{
    struct Case
    {
        std::string body;
        std::string expected;
    };
    std::string noStart;
    appendFrame(noStart, MessageType::End, pb::EndMessage());
    const std::vector<Case> cases = {
        { "", "no complete StartMessage" },
        { "garbage!", "exceeds the limit" },
        { noStart, "expected a StartMessage first" },
        { JournalBuilder("x").body(3), "announced 3 journal entries, the body holds 1" },
        { JournalBuilder("x").run("a", 1).body(1), "more journal entries than the 1" },
        { JournalBuilder("x").body() + "\x01\x02", "ends inside a message" },
        { JournalBuilder("x").body(2) + std::string("\x00\x06\x00\x00\x00\x00\x00\x00", 8),
            "unexpected 0x0006 inside the journal" },
    };
    for (const Case& c : cases) {
        Journal journal;
        std::string error;
        EXPECT_FALSE(parseJournal(c.body, journal, error, 1 << 20));
        EXPECT_NE(error.find(c.expected), std::string::npos) << error;
    }
}

TEST(Context, NewRunSendsCommandProposalAndSuspension)
{
    const Attempt a = attempt(JournalBuilder("in").body(), [](Context& ctx) {
        ctx.run("call LLM", [] { return std::string("answer"); });
        return std::string("unreachable");
    });
    EXPECT_EQ(a.end.kind, AttemptEnd::Kind::Suspended);
    ASSERT_EQ(typesOf(a.frames),
        (std::vector<uint16_t> { T(MessageType::RunCommand), T(MessageType::ProposeRunCompletion),
            T(MessageType::Suspension) }));
    EXPECT_EQ(decode<pb::RunCommandMessage>(a.frames[0]).result_completion_id(), 1u);
    const auto proposal = decode<pb::ProposeRunCompletionMessage>(a.frames[1]);
    EXPECT_EQ(proposal.result_completion_id(), 1u);
    EXPECT_EQ(proposal.value(), "answer");
    const auto suspension = decode<pb::SuspensionMessage>(a.frames[2]);
    ASSERT_EQ(suspension.waiting_completions_size(), 1);
    EXPECT_EQ(suspension.waiting_completions(0), 1u);
}

TEST(Context, ReplayReturnsRecordedResultsWithoutRunningTheWork)
{
    int runs = 0;
    const Handler handler = [&](Context& ctx) {
        const std::string first = ctx.run("a", [&] {
            ++runs;
            return std::string("fresh-a");
        });
        const std::string second = ctx.run("b", [&] {
            ++runs;
            return std::string("fresh-b");
        });
        return first + "+" + second;
    };
    const Attempt a = attempt(
        JournalBuilder("in").run("a", 1).runValue(1, "A").run("b", 2).runValue(2, "B").body(),
        handler);
    EXPECT_EQ(runs, 0);
    EXPECT_EQ(a.end.kind, AttemptEnd::Kind::Output);
    ASSERT_EQ(typesOf(a.frames),
        (std::vector<uint16_t> { T(MessageType::OutputCommand), T(MessageType::End) }));
    EXPECT_EQ(decode<pb::OutputCommandMessage>(a.frames[0]).value().content(), "A+B");
}

TEST(Context, RunCommandWithoutResultRunsTheWorkAgainWithoutResendingIt)
{
    int runs = 0;
    const Attempt a = attempt(JournalBuilder("in").run("a", 1).body(), [&](Context& ctx) {
        return ctx.run("a", [&] {
            ++runs;
            return std::string("again");
        });
    });
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(typesOf(a.frames),
        (std::vector<uint16_t> {
            T(MessageType::ProposeRunCompletion), T(MessageType::Suspension) }));
}

TEST(Context, MismatchAnswers570NamingTheCommand)
{
    const Attempt a = attempt(JournalBuilder("in").run("a", 1).runValue(1, "A").body(),
        [](Context& ctx) { return ctx.run("b", [] { return std::string(); }); });
    EXPECT_EQ(a.end.kind, AttemptEnd::Kind::Error);
    ASSERT_EQ(typesOf(a.frames), (std::vector<uint16_t> { T(MessageType::Error) }));
    const auto error = decode<pb::ErrorMessage>(a.frames[0]);
    EXPECT_EQ(error.code(), kJournalMismatch);
    EXPECT_EQ(error.related_command_index(), 1u);
    EXPECT_EQ(error.related_command_name(), "b");
    EXPECT_NE(error.message().find("'a'"), std::string::npos) << error.message();
}

TEST(Context, MismatchOnCommandType)
{
    const Attempt a = attempt(JournalBuilder("in").sleep("nap", 1).sleepDone(1).body(),
        [](Context& ctx) { return ctx.run("nap", [] { return std::string(); }); });
    ASSERT_EQ(a.frames.size(), 1u);
    const auto error = decode<pb::ErrorMessage>(a.frames[0]);
    EXPECT_EQ(error.code(), kJournalMismatch);
    EXPECT_NE(error.message().find("SleepCommand"), std::string::npos) << error.message();
}

TEST(Context, RetryableFailureNamesTheRunAndIsNotJournaled)
{
    const Attempt a
        = attempt(JournalBuilder("in").run("a", 1).runValue(1, "A").body(), [](Context& ctx) {
              ctx.run("a", [] { return std::string(); });
              return ctx.run("call LLM", []() -> std::string {
                  throw RetryableError("HTTP 503", 503, std::chrono::milliseconds(250));
              });
          });
    EXPECT_EQ(a.end.kind, AttemptEnd::Kind::Error);
    ASSERT_EQ(typesOf(a.frames),
        (std::vector<uint16_t> { T(MessageType::RunCommand), T(MessageType::Error) }));
    const auto error = decode<pb::ErrorMessage>(a.frames[1]);
    EXPECT_EQ(error.code(), 503u);
    EXPECT_EQ(error.related_command_index(), 2u);
    EXPECT_EQ(error.related_command_name(), "call LLM");
    EXPECT_EQ(error.related_command_type(), T(MessageType::RunCommand));
    EXPECT_EQ(error.next_retry_delay(), 250u);
}

TEST(Context, TerminalFailureInsideRunIsProposedAsTheResult)
{
    const Attempt a = attempt(JournalBuilder("in").body(), [](Context& ctx) {
        return ctx.run("a", []() -> std::string { throw TerminalError("bad tool", 422); });
    });
    ASSERT_EQ(a.frames.size(), 3u);
    const auto proposal = decode<pb::ProposeRunCompletionMessage>(a.frames[1]);
    ASSERT_TRUE(proposal.has_failure());
    EXPECT_EQ(proposal.failure().code(), 422u);
    // ... and replayed as a TerminalError the handler can let through as the invocation's result.
    const Attempt replay
        = attempt(JournalBuilder("in").run("a", 1).runFailure(1, 422, "bad tool").body(),
            [](Context& ctx) { return ctx.run("a", [] { return std::string(); }); });
    EXPECT_EQ(replay.end.kind, AttemptEnd::Kind::TerminalFailure);
    ASSERT_EQ(replay.frames.size(), 2u);
    const auto output = decode<pb::OutputCommandMessage>(replay.frames[0]);
    ASSERT_TRUE(output.has_failure());
    EXPECT_EQ(output.failure().message(), "bad tool");
}

TEST(Context, UserCatchAllOfStdExceptionDoesNotSwallowSuspension)
{
    const Attempt a = attempt(JournalBuilder("in").body(), [](Context& ctx) {
        try {
            ctx.run("a", [] { return std::string("x"); });
        } catch (const std::exception&) {
            return std::string("swallowed");
        }
        return std::string("after");
    });
    EXPECT_EQ(a.end.kind, AttemptEnd::Kind::Suspended);
}

TEST(Context, SleepSuspendsUntilItsCompletionIsJournaled)
{
    const Handler handler = [](Context& ctx) {
        ctx.sleep("nap", std::chrono::milliseconds(10));
        return std::string("woke");
    };
    const Attempt first = attempt(JournalBuilder("in").body(), handler);
    EXPECT_EQ(typesOf(first.frames),
        (std::vector<uint16_t> { T(MessageType::SleepCommand), T(MessageType::Suspension) }));
    const Attempt waiting = attempt(JournalBuilder("in").sleep("nap", 1).body(), handler);
    EXPECT_EQ(typesOf(waiting.frames), (std::vector<uint16_t> { T(MessageType::Suspension) }));
    const Attempt woken
        = attempt(JournalBuilder("in").sleep("nap", 1).sleepDone(1).body(), handler);
    EXPECT_EQ(woken.end.kind, AttemptEnd::Kind::Output);
}

TEST(Context, OutputAlreadyJournaledOnlyEnds)
{
    const Attempt a = attempt(
        JournalBuilder("in").output("done").body(), [](Context&) { return std::string("done"); });
    EXPECT_EQ(typesOf(a.frames), (std::vector<uint16_t> { T(MessageType::End) }));
}

TEST(Context, HandlerReturningEarlierThanTheJournalIsAMismatch)
{
    const Attempt a = attempt(JournalBuilder("in").run("a", 1).runValue(1, "A").body(),
        [](Context&) { return std::string("done"); });
    ASSERT_EQ(a.frames.size(), 1u);
    EXPECT_EQ(decode<pb::ErrorMessage>(a.frames[0]).code(), kJournalMismatch);
}

TEST(Context, StopsWhenTheRuntimeIsGone)
{
    Journal journal;
    std::string error;
    ASSERT_TRUE(parseJournal(JournalBuilder("in").body(), journal, error, 1 << 20));
    int workRuns = 0;
    const AttemptEnd end = runAttempt(
        journal,
        [&](Context& ctx) {
            return ctx.run("a", [&] {
                ++workRuns;
                return std::string();
            });
        },
        [](std::string_view) { return false; });
    EXPECT_EQ(end.kind, AttemptEnd::Kind::PeerGone);
    EXPECT_EQ(workRuns, 0); // the RunCommand could not be sent: the work never started
}

namespace {

std::string readFixture(const std::string& name)
{
    std::FILE* file
        = std::fopen((std::string(TT_FIXTURES "/restate-protocol/") + name).c_str(), "rb");
    if (!file)
        return {};
    std::string bytes;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
        bytes.append(buffer, n);
    std::fclose(file);
    return bytes;
}

} // namespace

// The journals restate-server 1.7.12 really sent (tests/fixtures/restate-protocol/README.md),
// replayed by a handler with the Writer's steps: our answers have the frames the endpoint gave
// the real server, the one that failed included.
TEST(CapturedExchange, ReplaysTheRealServersJournals)
{
    for (int n = 1; n <= 6; ++n) {
        SCOPED_TRACE("exchange " + std::to_string(n));
        const std::string request = readFixture("writer-k5-" + std::to_string(n) + ".request.bin");
        const std::string captured
            = readFixture("writer-k5-" + std::to_string(n) + ".response.bin");
        ASSERT_FALSE(request.empty());
        ASSERT_FALSE(captured.empty());
        const Attempt ours = attempt(request, [n](Context& ctx) {
            EXPECT_NE(ctx.input().find("Durable agents"), std::string::npos);
            EXPECT_EQ(ctx.invocationId().rfind("inv_", 0), 0u);
            int step = 0;
            for (const char* name :
                { "call LLM", "read_multiple_files", "call LLM", "save_report" })
                ctx.run(name,
                    [&]() -> std::string {
                        if (n == 3 && step == 2)
                            throw RetryableError("HTTP 429 after 3 attempts");
                        return "{}";
                    }),
                    ++step;
            return std::string("{}");
        });
        EXPECT_EQ(typesOf(ours.frames), typesOf(framesOf(captured)));
    }
}

TEST(Context, ForeignExceptionsEndTheAttemptRetryably)
{
    // A step throwing something that is not a std::exception: an ErrorMessage naming the step.
    const Attempt step = attempt(JournalBuilder("in").body(),
        [](Context& ctx) { return ctx.run("call LLM", []() -> std::string { throw 42; }); });
    EXPECT_EQ(step.end.kind, AttemptEnd::Kind::Error);
    ASSERT_EQ(typesOf(step.frames),
        (std::vector<uint16_t> { T(MessageType::RunCommand), T(MessageType::Error) }));
    EXPECT_EQ(decode<pb::ErrorMessage>(step.frames[1]).related_command_name(), "call LLM");
    // The handler itself throwing: an ErrorMessage that names no command.
    const Attempt handler
        = attempt(JournalBuilder("in").body(), [](Context&) -> std::string { throw 'x'; });
    ASSERT_EQ(typesOf(handler.frames), (std::vector<uint16_t> { T(MessageType::Error) }));
    const auto error = decode<pb::ErrorMessage>(handler.frames[0]);
    EXPECT_EQ(error.code(), 500u);
    EXPECT_FALSE(error.has_related_command_index());
}
