// SPDX-License-Identifier: MIT
#pragma once

#include "framing.h"

#include "agents/restate/protocol.pb.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::restate {

// What the runtime sends at the start of an attempt: the StartMessage and the journal known so
// far. Commands keep their order (the command index counts commands only, Input is 0);
// notifications are indexed by completion id, since the runtime interleaves them with commands.
struct Journal
{
    pb::StartMessage start;
    std::vector<Frame> commands;
    std::unordered_map<uint32_t, pb::NotificationTemplate> completions;
    int signalCount = 0; // signal notifications (cancellation among them), counted, not acted on
};

// Reads the start of a message stream as its bytes arrive: Start, then known_entries commands and
// notifications, Input first. On a bidirectional stream, notifications follow the journal while
// the attempt runs; notification() hands them out.
class JournalReader
{
public:
    enum class State
    {
        NeedMore,
        Complete, // journal() holds the whole journal the StartMessage announced
        Failed, // error() says why, fit for a PROTOCOL_VIOLATION answer
    };

    explicit JournalReader(uint32_t maxMessageBytes);
    State feed(std::string_view bytes);
    // The stream ended; Failed when it stopped inside the journal or inside a frame.
    State finish();
    State state() const { return m_state; }
    const std::string& error() const { return m_error; }
    Journal& journal() { return m_journal; }

    // After the journal: the next complete frame, if any (a notification, or whatever the runtime
    // sent next); nothing when more bytes are needed.
    std::optional<Frame> next();

private:
    State fail(std::string error);

    FrameReader m_reader;
    Journal m_journal;
    bool m_started = false;
    uint32_t m_seen = 0;
    State m_state = State::NeedMore;
    std::string m_error;
};

// Reads a request body in request-response mode: Start, then exactly known_entries commands and
// notifications, Input first. False with a reason fit for a PROTOCOL_VIOLATION answer.
bool parseJournal(
    std::string_view body, Journal& journal, std::string& error, uint32_t maxMessageBytes);

} // namespace tt::restate
