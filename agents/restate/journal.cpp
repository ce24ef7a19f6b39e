// SPDX-License-Identifier: MIT
#include "journal.h"

namespace tt::restate {

JournalReader::JournalReader(uint32_t maxMessageBytes)
    : m_reader(maxMessageBytes)
{ }

JournalReader::State JournalReader::fail(std::string error)
{
    m_error = std::move(error);
    return m_state = State::Failed;
}

JournalReader::State JournalReader::feed(std::string_view bytes)
{
    if (m_state == State::Failed)
        return m_state;
    m_reader.feed(bytes);
    if (m_state == State::Complete)
        return m_state;
    if (!m_started) {
        std::optional<Frame> first = m_reader.next();
        if (!first)
            return m_reader.failed() ? fail(m_reader.error()) : m_state;
        if (first->type != uint16_t(MessageType::Start))
            return fail("expected a StartMessage first, got " + typeName(first->type));
        if (!m_journal.start.ParseFromString(first->payload))
            return fail("the StartMessage is not a valid protobuf message");
        m_started = true;
    }
    const uint32_t known = m_journal.start.known_entries();
    while (m_seen < known) {
        std::optional<Frame> frame = m_reader.next();
        if (!frame)
            return m_reader.failed() ? fail(m_reader.error()) : m_state;
        ++m_seen;
        if (isCommand(frame->type)) {
            if (m_journal.commands.empty() && frame->type != uint16_t(MessageType::InputCommand))
                return fail(
                    "the journal must start with an InputCommand, got " + typeName(frame->type));
            m_journal.commands.push_back(std::move(*frame));
        } else if (isNotification(frame->type)) {
            pb::NotificationTemplate notification;
            if (!notification.ParseFromString(frame->payload))
                return fail(typeName(frame->type) + " before offset "
                    + std::to_string(m_reader.offset()) + " is not a valid notification");
            if (notification.id_case() == pb::NotificationTemplate::kCompletionId)
                m_journal.completions[notification.completion_id()] = std::move(notification);
            else
                ++m_journal.signalCount;
        } else {
            return fail("unexpected " + typeName(frame->type) + " inside the journal");
        }
    }
    if (m_journal.commands.empty())
        return fail("the journal has no InputCommand");
    return m_state = State::Complete;
}

JournalReader::State JournalReader::finish()
{
    if (m_state == State::Failed)
        return m_state;
    if (!m_started && !m_reader.failed())
        return fail("the request body holds no complete StartMessage");
    if (!m_reader.finish())
        return fail(m_reader.error());
    if (m_state == State::NeedMore)
        return fail("the StartMessage announced " + std::to_string(m_journal.start.known_entries())
            + " journal entries, the body holds " + std::to_string(m_seen));
    return m_state;
}

std::optional<Frame> JournalReader::next()
{
    if (m_state != State::Complete)
        return std::nullopt;
    std::optional<Frame> frame = m_reader.next();
    if (!frame && m_reader.failed())
        fail(m_reader.error());
    return frame;
}

bool parseJournal(
    std::string_view body, Journal& journal, std::string& error, uint32_t maxMessageBytes)
{
    JournalReader reader(maxMessageBytes);
    // Request-response mode: the journal is the whole body, nothing may follow it.
    if (reader.feed(body) == JournalReader::State::Complete && reader.next()) {
        error = "more journal entries than the "
            + std::to_string(reader.journal().start.known_entries())
            + " the StartMessage announced";
        return false;
    }
    if (reader.finish() == JournalReader::State::Failed) {
        error = reader.error();
        if (error == "the request body holds no complete StartMessage")
            error += " (" + std::to_string(body.size()) + " bytes)";
        return false;
    }
    journal = std::move(reader.journal());
    return true;
}

} // namespace tt::restate
