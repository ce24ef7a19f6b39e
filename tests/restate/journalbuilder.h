// SPDX-License-Identifier: MIT
// Builds request bodies as the runtime sends them (StartMessage, then the journal) and reads
// response bodies back into frames, for the protocol tests.
#pragma once

#include "agents/restate/framing.h"
#include "agents/restate/protocol.pb.h"

#include <string>
#include <vector>

namespace tt::restate::testing {

class JournalBuilder
{
public:
    explicit JournalBuilder(std::string input = "{}")
    {
        pb::InputCommandMessage command;
        command.mutable_value()->set_content(std::move(input));
        appendFrame(m_entries, MessageType::InputCommand, command);
        ++m_count;
    }
    JournalBuilder& run(const std::string& name, uint32_t completionId)
    {
        pb::RunCommandMessage command;
        command.set_name(name);
        command.set_result_completion_id(completionId);
        return add(MessageType::RunCommand, command);
    }
    JournalBuilder& sleep(const std::string& name, uint32_t completionId)
    {
        pb::SleepCommandMessage command;
        command.set_name(name);
        command.set_result_completion_id(completionId);
        command.set_wake_up_time(1);
        return add(MessageType::SleepCommand, command);
    }
    JournalBuilder& runValue(uint32_t completionId, const std::string& value)
    {
        pb::NotificationTemplate notification;
        notification.set_completion_id(completionId);
        notification.mutable_value()->set_content(value);
        return add(MessageType::RunCompletion, notification);
    }
    JournalBuilder& runFailure(uint32_t completionId, uint32_t code, const std::string& message)
    {
        pb::NotificationTemplate notification;
        notification.set_completion_id(completionId);
        notification.mutable_failure()->set_code(code);
        notification.mutable_failure()->set_message(message);
        return add(MessageType::RunCompletion, notification);
    }
    JournalBuilder& sleepDone(uint32_t completionId)
    {
        pb::NotificationTemplate notification;
        notification.set_completion_id(completionId);
        notification.mutable_void_();
        return add(MessageType::SleepCompletion, notification);
    }
    JournalBuilder& output(const std::string& value)
    {
        pb::OutputCommandMessage command;
        command.mutable_value()->set_content(value);
        return add(MessageType::OutputCommand, command);
    }
    // The body; `known` overrides known_entries (to send a lying StartMessage).
    std::string body(int known = -1) const
    {
        pb::StartMessage start;
        start.set_id("\x01\x02");
        start.set_debug_id("inv_test");
        start.set_known_entries(known < 0 ? m_count : uint32_t(known));
        std::string out;
        appendFrame(out, MessageType::Start, start);
        return out + m_entries;
    }

private:
    JournalBuilder& add(MessageType type, const google::protobuf::MessageLite& message)
    {
        appendFrame(m_entries, type, message);
        ++m_count;
        return *this;
    }
    std::string m_entries;
    uint32_t m_count = 0;
};

inline std::vector<Frame> framesOf(const std::string& bytes)
{
    FrameReader reader;
    reader.feed(bytes);
    std::vector<Frame> frames;
    while (auto frame = reader.next())
        frames.push_back(std::move(*frame));
    return frames;
}

} // namespace tt::restate::testing
