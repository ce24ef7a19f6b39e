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

// Reads a request body in request-response mode: Start, then exactly known_entries commands and
// notifications, Input first. False with a reason fit for a PROTOCOL_VIOLATION answer.
bool parseJournal(
    std::string_view body, Journal& journal, std::string& error, uint32_t maxMessageBytes);

} // namespace tt::restate
