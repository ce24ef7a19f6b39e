// SPDX-License-Identifier: MIT
#include "journal.h"

namespace tt::restate {

bool parseJournal(
    std::string_view body, Journal& journal, std::string& error, uint32_t maxMessageBytes)
{
    FrameReader reader(maxMessageBytes);
    reader.feed(body);
    std::optional<Frame> first = reader.next();
    if (!first) {
        error = reader.failed() ? reader.error()
                                : "the request body holds no complete StartMessage ("
                + std::to_string(body.size()) + " bytes)";
        return false;
    }
    if (first->type != uint16_t(MessageType::Start)) {
        error = "expected a StartMessage first, got " + typeName(first->type);
        return false;
    }
    if (!journal.start.ParseFromString(first->payload)) {
        error = "the StartMessage is not a valid protobuf message";
        return false;
    }
    const uint32_t known = journal.start.known_entries();
    uint32_t seen = 0;
    while (std::optional<Frame> frame = reader.next()) {
        const uint64_t at = reader.offset();
        if (++seen > known) {
            error = "more journal entries than the " + std::to_string(known)
                + " the StartMessage announced";
            return false;
        }
        if (isCommand(frame->type)) {
            if (journal.commands.empty() && frame->type != uint16_t(MessageType::InputCommand)) {
                error = "the journal must start with an InputCommand, got " + typeName(frame->type);
                return false;
            }
            journal.commands.push_back(std::move(*frame));
        } else if (isNotification(frame->type)) {
            pb::NotificationTemplate notification;
            if (!notification.ParseFromString(frame->payload)) {
                error = typeName(frame->type) + " before offset " + std::to_string(at)
                    + " is not a valid notification";
                return false;
            }
            if (notification.id_case() == pb::NotificationTemplate::kCompletionId)
                journal.completions[notification.completion_id()] = std::move(notification);
            else
                ++journal.signalCount;
        } else {
            error = "unexpected " + typeName(frame->type) + " inside the journal";
            return false;
        }
    }
    if (!reader.finish()) {
        error = reader.error();
        return false;
    }
    if (seen < known) {
        error = "the StartMessage announced " + std::to_string(known)
            + " journal entries, the body holds " + std::to_string(seen);
        return false;
    }
    if (journal.commands.empty()) {
        error = "the journal has no InputCommand";
        return false;
    }
    return true;
}

} // namespace tt::restate
