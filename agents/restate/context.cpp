// SPDX-License-Identifier: MIT
#include "context.h"

namespace tt::restate {

namespace {

// Unwinds the handler once the attempt's last message is written. Not a std::exception, so a
// handler's catch (const std::exception&) lets it through.
struct AttemptOver
{
    AttemptEnd end;
};

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

pb::Failure failure(uint32_t code, const std::string& message)
{
    pb::Failure out;
    out.set_code(code);
    out.set_message(message);
    return out;
}

} // namespace

std::string_view toString(AttemptEnd::Kind kind)
{
    switch (kind) {
    case AttemptEnd::Kind::Output:
        return "output";
    case AttemptEnd::Kind::TerminalFailure:
        return "terminal_failure";
    case AttemptEnd::Kind::Suspended:
        return "suspended";
    case AttemptEnd::Kind::Error:
        return "error";
    case AttemptEnd::Kind::PeerGone:
        return "peer_gone";
    }
    return "unknown";
}

std::string errorFrame(uint32_t code, const std::string& message)
{
    pb::ErrorMessage error;
    error.set_code(code);
    error.set_message(message);
    std::string out;
    appendFrame(out, MessageType::Error, error);
    return out;
}

Context::Context(const Journal& journal, FrameSink sink, CompletionSource completions)
    : m_journal(journal)
    , m_sink(std::move(sink))
    , m_completions(std::move(completions))
{
    pb::InputCommandMessage input;
    if (!journal.commands.empty() && input.ParseFromString(journal.commands.front().payload))
        m_input = input.value().content();
}

void Context::send(std::string frames)
{
    if (!m_sink(frames))
        throw AttemptOver { { AttemptEnd::Kind::PeerGone, 0, "the runtime closed the stream" } };
}

uint32_t Context::takeCommand(uint16_t expectedType, const std::string& name, uint32_t completionId)
{
    const uint32_t index = m_nextCommand++;
    if (index >= m_journal.commands.size())
        return index;
    const Frame& recorded = m_journal.commands[index];
    pb::CommandTemplate command;
    const bool parsed = command.ParseFromString(recorded.payload);
    std::string problem;
    if (recorded.type != expectedType)
        problem = "the code runs " + typeName(expectedType) + " '" + name
            + "' where the journal has " + typeName(recorded.type)
            + (parsed ? " '" + command.name() + "'" : std::string());
    else if (!parsed)
        problem = "the journal's " + typeName(recorded.type) + " is not a valid message";
    else if (command.name() != name)
        problem = "the code runs " + typeName(expectedType) + " '" + name
            + "' where the journal has '" + command.name() + "'";
    else if (command.result_completion_id() != completionId)
        problem = typeName(expectedType) + " '" + name + "' has completion id "
            + std::to_string(command.result_completion_id()) + " in the journal, the code expects "
            + std::to_string(completionId);
    if (!problem.empty())
        failAttempt(kJournalMismatch,
            "journal mismatch at command " + std::to_string(index) + ": " + problem, index, name,
            expectedType, std::nullopt);
    return index;
}

void Context::suspend(uint32_t completionId)
{
    pb::SuspensionMessage suspension;
    suspension.add_waiting_completions(completionId);
    std::string frames;
    appendFrame(frames, MessageType::Suspension, suspension);
    send(std::move(frames));
    throw AttemptOver { { AttemptEnd::Kind::Suspended, 0,
        "waiting for completion " + std::to_string(completionId) } };
}

pb::NotificationTemplate Context::await(uint32_t completionId)
{
    if (m_completions)
        if (std::optional<pb::NotificationTemplate> done = m_completions(completionId))
            return std::move(*done);
    suspend(completionId);
}

void Context::failAttempt(uint32_t code, const std::string& message,
    std::optional<uint32_t> commandIndex, const std::string& name, std::optional<uint16_t> type,
    std::optional<std::chrono::milliseconds> delay)
{
    pb::ErrorMessage error;
    error.set_code(code);
    error.set_message(message);
    if (commandIndex)
        error.set_related_command_index(*commandIndex);
    if (!name.empty())
        error.set_related_command_name(name);
    if (type)
        error.set_related_command_type(*type);
    if (delay)
        error.set_next_retry_delay(uint64_t(delay->count()));
    std::string frames;
    appendFrame(frames, MessageType::Error, error);
    send(std::move(frames));
    throw AttemptOver { { AttemptEnd::Kind::Error, code, message } };
}

std::string Context::run(const std::string& name, const std::function<std::string()>& work)
{
    if (m_inRun)
        throw TerminalError("ctx.run('" + name + "') inside another run: steps cannot nest");
    const uint32_t completionId = m_nextCompletionId++;
    const uint32_t index = takeCommand(uint16_t(MessageType::RunCommand), name, completionId);
    if (index < m_journal.commands.size()) {
        const auto found = m_journal.completions.find(completionId);
        if (found != m_journal.completions.end()) {
            const pb::NotificationTemplate& result = found->second;
            if (result.has_failure())
                throw TerminalError(result.failure().message(), result.failure().code());
            return result.value().content();
        }
        // The command is journaled but its result is not: the last attempt failed or died
        // inside this step. Run the work again; the command itself is already recorded.
    } else {
        pb::RunCommandMessage command;
        command.set_result_completion_id(completionId);
        command.set_name(name);
        std::string frames;
        appendFrame(frames, MessageType::RunCommand, command);
        send(std::move(frames)); // journaled before the work starts, as the UI shows it
    }

    pb::ProposeRunCompletionMessage proposal;
    proposal.set_result_completion_id(completionId);
    m_inRun = true;
    try {
        proposal.set_value(work());
    } catch (const TerminalError& error) {
        *proposal.mutable_failure() = failure(error.code(), error.what());
    } catch (const RetryableError& error) {
        m_inRun = false;
        failAttempt(error.code(), error.what(), index, name, uint16_t(MessageType::RunCommand),
            error.nextRetryDelay());
    } catch (const std::exception& error) {
        m_inRun = false;
        failAttempt(
            500, error.what(), index, name, uint16_t(MessageType::RunCommand), std::nullopt);
    } catch (const AttemptOver&) {
        m_inRun = false;
        throw;
    } catch (...) {
        // Not a std::exception (throw 42, a foreign type): still this step's retryable failure,
        // never an exception escaping the endpoint's thread.
        m_inRun = false;
        failAttempt(500, "the step threw something that is not a std::exception", index, name,
            uint16_t(MessageType::RunCommand), std::nullopt);
    }
    m_inRun = false;
    std::string frames;
    appendFrame(frames, MessageType::ProposeRunCompletion, proposal);
    send(std::move(frames));
    const pb::NotificationTemplate result = await(completionId);
    if (result.has_failure())
        throw TerminalError(result.failure().message(), result.failure().code());
    return result.value().content();
}

void Context::sleep(const std::string& name, std::chrono::milliseconds duration)
{
    if (m_inRun)
        throw TerminalError("ctx.sleep('" + name + "') inside a run: steps cannot nest");
    const uint32_t completionId = m_nextCompletionId++;
    const uint32_t index = takeCommand(uint16_t(MessageType::SleepCommand), name, completionId);
    if (index < m_journal.commands.size()) {
        if (m_journal.completions.count(completionId))
            return;
        await(completionId); // the timer has not fired yet
        return;
    }
    pb::SleepCommandMessage command;
    command.set_wake_up_time(uint64_t(nowMs() + duration.count()));
    command.set_result_completion_id(completionId);
    command.set_name(name);
    std::string frames;
    appendFrame(frames, MessageType::SleepCommand, command);
    send(std::move(frames));
    await(completionId);
}

// Runs the handler and turns how it ended into the closing messages.
struct AttemptDriver
{
    static AttemptEnd run(Context& context, const Handler& handler)
    {
        const Journal& journal = context.m_journal;
        try {
            pb::OutputCommandMessage output;
            AttemptEnd end;
            try {
                output.mutable_value()->set_content(handler(context));
                end = { AttemptEnd::Kind::Output, 0, {} };
            } catch (const TerminalError& error) {
                *output.mutable_failure() = failure(error.code(), error.what());
                end = { AttemptEnd::Kind::TerminalFailure, error.code(), error.what() };
            } catch (const RetryableError& error) {
                // The handler's own failure: no command caused it, so none is named.
                context.failAttempt(error.code(), error.what(), std::nullopt, {}, std::nullopt,
                    error.nextRetryDelay());
            } catch (const std::exception& error) {
                context.failAttempt(
                    500, error.what(), std::nullopt, {}, std::nullopt, std::nullopt);
            } catch (const AttemptOver&) {
                throw;
            } catch (...) {
                context.failAttempt(500, "the handler threw something that is not a std::exception",
                    std::nullopt, {}, std::nullopt, std::nullopt);
            }
            const uint32_t index = context.m_nextCommand;
            std::string frames;
            if (index < journal.commands.size()) {
                // An Output already journaled (the last attempt died before End): only End.
                if (journal.commands[index].type != uint16_t(MessageType::OutputCommand)
                    || index + 1 < journal.commands.size())
                    context.failAttempt(kJournalMismatch,
                        "journal mismatch at command " + std::to_string(index)
                            + ": the handler returned where the journal has "
                            + typeName(journal.commands[index].type),
                        index, {}, uint16_t(MessageType::OutputCommand), std::nullopt);
            } else {
                appendFrame(frames, MessageType::OutputCommand, output);
            }
            appendFrame(frames, MessageType::End, pb::EndMessage());
            context.send(std::move(frames));
            return end;
        } catch (const AttemptOver& over) {
            return over.end;
        }
    }
};

AttemptEnd runAttempt(const Journal& journal, const Handler& handler, const FrameSink& sink,
    const CompletionSource& completions)
{
    Context context(journal, sink, completions);
    return AttemptDriver::run(context, handler);
}

} // namespace tt::restate
