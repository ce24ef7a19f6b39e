// SPDX-License-Identifier: MIT
// A client that misbehaves on purpose (slow headers, endless headers), on a plain socket since
// no HTTP client library sends what these tests need; and the process's memory as Linux counts it.
#pragma once

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tt::testing {

class RawClient
{
public:
    explicit RawClient(int port)
    {
        m_sock = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(uint16_t(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(m_sock);
            m_sock = -1;
        }
    }
    ~RawClient()
    {
        if (m_sock >= 0)
            ::close(m_sock);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // False once the server closed the connection.
    bool send(const std::string& bytes)
    {
        size_t sent = 0;
        while (m_sock >= 0 && sent < bytes.size()) {
            const ssize_t n
                = ::send(m_sock, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += size_t(n);
        }
        return m_sock >= 0;
    }

    // The status of the server's answer; 0 when it closed without one, -1 when nothing came
    // within `wait`.
    int status(std::chrono::milliseconds wait)
    {
        std::string answer;
        const auto until = std::chrono::steady_clock::now() + wait;
        while (answer.find("\r\n") == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                until - std::chrono::steady_clock::now());
            pollfd entry { m_sock, POLLIN, 0 };
            if (left.count() <= 0 || ::poll(&entry, 1, int(left.count())) <= 0)
                return -1;
            char buffer[4096];
            const ssize_t n = ::recv(m_sock, buffer, sizeof buffer, 0);
            if (n <= 0)
                return answer.empty() ? 0 : -1;
            answer.append(buffer, size_t(n));
        }
        return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(answer.c_str() + 9) : -1;
    }

    bool connected() const { return m_sock >= 0; }

private:
    int m_sock = -1;
};

// POSTs an OpenAI ingest body of about `megabytes` MB of spans to /v1/traces/ingest, sent from a
// 1 MB buffer so that the client adds next to nothing to this process's memory. Returns the
// answer's status (as RawClient::status) and sets the body's size.
inline int postIngestSpans(int port, size_t megabytes, size_t& bodyBytes)
{
    const std::string span = R"({"object":"trace.span","id":"span_1","trace_id":"trace_1",)"
                             R"("span_data":{"type":"function","output":")"
        + std::string(900, 'y') + "\"}}";
    std::string chunk;
    while (chunk.size() < (1u << 20))
        chunk += "," + span;
    const std::string start = R"({"data":[)" + span;
    bodyBytes = start.size() + megabytes * chunk.size() + 2;
    RawClient client(port);
    bool open = client.send("POST /v1/traces/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: "
                            "application/json\r\nContent-Length: "
        + std::to_string(bodyBytes) + "\r\n\r\n" + start);
    for (size_t i = 0; open && i < megabytes; ++i)
        open = client.send(chunk);
    return open && client.send("]}") ? client.status(std::chrono::seconds(60)) : 0;
}

// VmRSS or VmHWM (the peak) of this process, in KiB.
inline long memoryKiB(const std::string& field)
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(field + ":", 0) == 0)
            return std::atol(line.c_str() + field.size() + 1);
    return -1;
}

} // namespace tt::testing
