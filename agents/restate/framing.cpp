// SPDX-License-Identifier: MIT
#include "framing.h"

#include <google/protobuf/message_lite.h>

#include <cstdio>

namespace tt::restate {

std::string typeName(uint16_t type)
{
    switch (MessageType(type)) {
    case MessageType::Start:
        return "StartMessage";
    case MessageType::Suspension:
        return "SuspensionMessage";
    case MessageType::Error:
        return "ErrorMessage";
    case MessageType::End:
        return "EndMessage";
    case MessageType::CommandAck:
        return "CommandAckMessage";
    case MessageType::ProposeRunCompletion:
        return "ProposeRunCompletionMessage";
    case MessageType::InputCommand:
        return "InputCommand";
    case MessageType::OutputCommand:
        return "OutputCommand";
    case MessageType::SleepCommand:
        return "SleepCommand";
    case MessageType::RunCommand:
        return "RunCommand";
    case MessageType::SleepCompletion:
        return "SleepCompletionNotification";
    case MessageType::RunCompletion:
        return "RunCompletionNotification";
    case MessageType::Signal:
        return "SignalNotification";
    }
    char code[8];
    std::snprintf(code, sizeof code, "0x%04X", unsigned(type));
    return code;
}

std::optional<Frame> FrameReader::next()
{
    if (failed() || m_buffer.size() - m_position < 8)
        return std::nullopt;
    const auto* bytes = reinterpret_cast<const unsigned char*>(m_buffer.data() + m_position);
    uint64_t header = 0;
    for (int i = 0; i < 8; ++i)
        header = (header << 8) | bytes[i];
    const uint32_t length = uint32_t(header & 0xFFFFFFFFu);
    if (length > m_maxMessageBytes) {
        m_error = "message of " + std::to_string(length) + " bytes at offset "
            + std::to_string(m_consumed) + " exceeds the limit of "
            + std::to_string(m_maxMessageBytes);
        return std::nullopt;
    }
    if (m_buffer.size() - m_position - 8 < length)
        return std::nullopt;
    Frame frame;
    frame.type = uint16_t(header >> 48);
    frame.flags = uint16_t(header >> 32);
    frame.payload.assign(m_buffer, m_position + 8, length);
    m_position += 8 + size_t(length);
    m_consumed += 8 + uint64_t(length);
    if (m_position > (1u << 16) && m_position * 2 > m_buffer.size()) {
        m_buffer.erase(0, m_position); // keep the buffer from growing with the stream
        m_position = 0;
    }
    return frame;
}

bool FrameReader::finish()
{
    if (failed())
        return false;
    const size_t left = m_buffer.size() - m_position;
    if (left == 0)
        return true;
    m_error = "the stream ends inside a message: " + std::to_string(left) + " bytes left at offset "
        + std::to_string(m_consumed);
    return false;
}

void appendFrame(std::string& out, MessageType type, const google::protobuf::MessageLite& message,
    uint16_t flags)
{
    const size_t length = message.ByteSizeLong();
    const uint64_t header
        = (uint64_t(type) << 48) | (uint64_t(flags) << 32) | uint64_t(uint32_t(length));
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(char((header >> shift) & 0xFF));
    const size_t at = out.size();
    out.resize(at + length);
    message.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out.data() + at));
}

} // namespace tt::restate
