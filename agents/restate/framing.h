// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace google::protobuf {
class MessageLite;
}

namespace tt::restate {

// Message type codes of the service protocol (V5-V6). Commands are 0x0400-0x7FFF, notifications
// 0x8000-0xFBFF (a completion's code is its command's with the high bit set).
enum class MessageType : uint16_t
{
    Start = 0x0000,
    Suspension = 0x0001,
    Error = 0x0002,
    End = 0x0003,
    CommandAck = 0x0004,
    ProposeRunCompletion = 0x0005,
    InputCommand = 0x0400,
    OutputCommand = 0x0401,
    SleepCommand = 0x040C,
    RunCommand = 0x0411,
    SleepCompletion = 0x800C,
    RunCompletion = 0x8011,
    Signal = 0xFBFF,
};

inline bool isCommand(uint16_t type)
{
    return (type >= 0x0400 && type < 0x8000) || type >= 0xFC00;
}
inline bool isNotification(uint16_t type)
{
    return type >= 0x8000 && type < 0xFC00;
}
// "RunCommand", "0x0402" for the ones we do not name.
std::string typeName(uint16_t type);

// One message: an 8-byte big-endian header (type:16, flags:16, length:32), then the protobuf
// payload.
struct Frame
{
    uint16_t type = 0;
    uint16_t flags = 0;
    std::string payload;
};

constexpr uint16_t kRequestedAckFlag = 0x8000;

// Splits a byte stream into frames. Bytes may arrive in any pieces; a frame whose length exceeds
// the limit is refused before its payload is read.
class FrameReader
{
public:
    explicit FrameReader(uint32_t maxMessageBytes = 32u << 20)
        : m_maxMessageBytes(maxMessageBytes)
    { }

    void feed(std::string_view bytes) { m_buffer.append(bytes); }
    // The next complete frame, or nothing when more bytes are needed or an error happened.
    std::optional<Frame> next();
    // Called once the stream has ended: false when it stopped inside a frame.
    bool finish();

    bool failed() const { return !m_error.empty(); }
    const std::string& error() const { return m_error; }
    uint64_t offset() const { return m_consumed; } // stream offset of the next frame

private:
    std::string m_buffer;
    size_t m_position = 0;
    uint64_t m_consumed = 0;
    uint32_t m_maxMessageBytes;
    std::string m_error;
};

// Appends a frame carrying `message` to `out`.
void appendFrame(std::string& out, MessageType type, const google::protobuf::MessageLite& message,
    uint16_t flags = 0);

} // namespace tt::restate
