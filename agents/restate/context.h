// SPDX-License-Identifier: MIT
#pragma once

#include "journal.h"

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tt::restate {

// A failure to record as the result (of a step, or of the invocation): never retried.
class TerminalError : public std::runtime_error
{
public:
    explicit TerminalError(const std::string& message, uint32_t code = 500)
        : std::runtime_error(message)
        , m_code(code)
    { }
    uint32_t code() const { return m_code; }

private:
    uint32_t m_code;
};

// A failure the runtime retries with its retry policy. Any other exception a handler or a step
// throws is retried too; this one also carries a code and may ask for the next delay.
class RetryableError : public std::runtime_error
{
public:
    explicit RetryableError(const std::string& message, uint32_t code = 500,
        std::optional<std::chrono::milliseconds> nextRetryDelay = {})
        : std::runtime_error(message)
        , m_code(code)
        , m_delay(nextRetryDelay)
    { }
    uint32_t code() const { return m_code; }
    std::optional<std::chrono::milliseconds> nextRetryDelay() const { return m_delay; }

private:
    uint32_t m_code;
    std::optional<std::chrono::milliseconds> m_delay;
};

// Error codes the protocol reserves for SDKs.
constexpr uint32_t kJournalMismatch = 570;
constexpr uint32_t kProtocolViolation = 571;

// Writes response bytes as they are produced; false when the runtime is gone.
using FrameSink = std::function<bool(std::string_view bytes)>;

// Bidirectional-stream mode: blocks until the runtime sends the notification completing
// `completionId` on the open stream; nothing once the runtime has closed its side (the attempt
// then suspends, as in request-response mode). Request-response mode has none.
using CompletionSource
    = std::function<std::optional<pb::NotificationTemplate>(uint32_t completionId)>;

// The handler's view of one invocation attempt. Handlers must be deterministic between the
// durable calls: on every attempt the code runs again from the top, and run() and sleep() answer
// from the journal until it is exhausted. They unwind the handler with an internal signal (not a
// std::exception) when the attempt must end; a handler's catch (...) must rethrow it.
class Context
{
public:
    Context(const Journal& journal, FrameSink sink, CompletionSource completions = {});

    const std::string& input() const { return m_input; }
    const std::string& invocationId() const { return m_journal.start.debug_id(); }
    const std::string& key() const { return m_journal.start.key(); }
    uint32_t retryCount() const { return m_journal.start.retry_count_since_last_stored_entry(); }
    uint64_t randomSeed() const { return m_journal.start.random_seed(); }
    // True while the code walks through commands the journal already holds.
    bool isReplaying() const { return m_nextCommand < m_journal.commands.size(); }

    // A durable step: `work` runs until its result is journaled, then never again; a replay
    // returns the journaled result (or throws the journaled TerminalError). `work` throws
    // TerminalError for a failure to record, anything else to have the runtime retry it. In
    // request-response mode each new step ends the attempt: the result is proposed, the
    // invocation suspends and the runtime resumes it at once with the result in the journal. On a
    // bidirectional stream the attempt waits for the runtime to journal the result and goes on.
    std::string run(const std::string& name, const std::function<std::string()>& work);

    // A durable timer: the invocation suspends until the runtime wakes it.
    void sleep(const std::string& name, std::chrono::milliseconds duration);

private:
    friend struct AttemptDriver;
    uint32_t takeCommand(uint16_t expectedType, const std::string& name, uint32_t completionId);
    void send(std::string frames);
    [[noreturn]] void suspend(uint32_t completionId);
    // The completion from the open stream, or suspend for it.
    pb::NotificationTemplate await(uint32_t completionId);
    [[noreturn]] void failAttempt(uint32_t code, const std::string& message,
        std::optional<uint32_t> commandIndex, const std::string& name, std::optional<uint16_t> type,
        std::optional<std::chrono::milliseconds> delay);

    const Journal& m_journal;
    FrameSink m_sink;
    CompletionSource m_completions;
    std::string m_input;
    uint32_t m_nextCommand = 1; // Input is command 0
    uint32_t m_nextCompletionId = 1; // 0 is protobuf's default, so ids start at 1
    bool m_inRun = false;
};

using Handler = std::function<std::string(Context&)>;

// How an attempt ended, for the endpoint's log and for tests.
struct AttemptEnd
{
    enum class Kind
    {
        Output, // OutputCommand with a value, then End
        TerminalFailure, // OutputCommand with a failure, then End
        Suspended, // SuspensionMessage
        Error, // ErrorMessage: the runtime retries
        PeerGone, // the runtime stopped reading
    };
    Kind kind = Kind::Error;
    uint32_t code = 0;
    std::string message;
};
std::string_view toString(AttemptEnd::Kind kind);

// Runs one attempt of `handler` over `journal`, writing the response frames to `sink` as they
// are produced (so a RunCommand reaches the runtime before its work starts).
// `completions` is set on a bidirectional stream.
AttemptEnd runAttempt(const Journal& journal, const Handler& handler, const FrameSink& sink,
    const CompletionSource& completions = {});

// The frames of an ErrorMessage answer, e.g. for a body that is not a valid journal.
std::string errorFrame(uint32_t code, const std::string& message);

} // namespace tt::restate
