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
