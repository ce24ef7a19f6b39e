// SPDX-License-Identifier: MIT
#include "guardedserver.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tt::net {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kLargeBody = 1u << 20;

std::chrono::milliseconds toMilliseconds(time_t seconds, time_t microseconds)
{
    return std::chrono::milliseconds(seconds * 1000 + microseconds / 1000);
}

// poll() for one event, retried on EINTR; true when it came within `wait`.
bool waitFor(int sock, short event, std::chrono::milliseconds wait)
{
    pollfd entry { sock, event, 0 };
    int ready;
    do
        ready = ::poll(&entry, 1, int(std::max<std::chrono::milliseconds::rep>(wait.count(), 0)));
    while (ready < 0 && errno == EINTR);
    return ready > 0 && (entry.revents & (event | POLLHUP | POLLERR));
}

void addressOf(int sock, int (*query)(int, sockaddr*, socklen_t*), std::string& ip, int& port)
{
    sockaddr_storage address {};
    socklen_t length = sizeof address;
    if (query(sock, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return;
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service,
            sizeof service, NI_NUMERICHOST | NI_NUMERICSERV)
        != 0)
        return;
    ip = host;
    port = std::atoi(service);
}

// The connection as httplib reads and writes it, counting what arrives until the headers end:
// past the deadline, the byte or the line limit, a read fails and httplib answers 400.
class GuardedStream final : public httplib::Stream
{
public:
    GuardedStream(int sock, const RequestLimits& limits, std::chrono::milliseconds readTimeout,
        std::chrono::milliseconds writeTimeout)
        : m_sock(sock)
        , m_limits(limits)
        , m_readTimeout(readTimeout)
        , m_writeTimeout(writeTimeout)
    { }

    void startRequest()
    {
        m_bodyBytes = 0;
        m_inHeaders = true;
        m_headerBytes = 0;
        m_lines = 0;
        m_lineLength = 0;
        m_deadline = Clock::now() + m_limits.headerDeadline;
    }

    // Between requests on a kept-alive connection: true when the next one starts within `idle`.
    bool waitForRequest(std::chrono::milliseconds idle, const std::function<bool()>& running)
    {
        const auto until = Clock::now() + idle;
        while (m_begin == m_end && running()) {
            const auto left
                = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            if (left.count() <= 0)
                return false;
            if (waitFor(m_sock, POLLIN, std::min(left, std::chrono::milliseconds(100))))
                return true;
        }
        return m_begin != m_end;
    }

    bool is_readable() const override
    {
        return m_begin != m_end || waitFor(m_sock, POLLIN, m_readTimeout);
    }
    bool is_writable() const override { return waitFor(m_sock, POLLOUT, m_writeTimeout); }

    ssize_t read(char* ptr, size_t size) override
    {
        if (m_begin == m_end) {
            const ssize_t got = fill();
            if (got <= 0)
                return got;
        }
        size_t count = std::min(size, m_end - m_begin);
        if (m_inHeaders) {
            size_t counted = 0;
            while (counted < count && m_inHeaders)
                if (!countHeaderByte(m_buffer[m_begin + counted++])) {
                    m_broken = true;
                    return -1;
                }
            count = counted; // up to the headers' end: the body that follows goes uncounted
        } else {
            m_bodyBytes += count;
        }
        std::memcpy(ptr, m_buffer + m_begin, count);
        m_begin += count;
        return ssize_t(count);
    }

    ssize_t write(const char* ptr, size_t size) override
    {
        if (!is_writable())
            return -1;
        ssize_t sent;
        do
            sent = ::send(m_sock, ptr, size, MSG_NOSIGNAL);
        while (sent < 0 && errno == EINTR);
        return sent;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override
    {
        addressOf(m_sock, ::getpeername, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override
    {
        addressOf(m_sock, ::getsockname, ip, port);
    }
    socket_t socket() const override { return m_sock; }

    // A request broke a limit: what follows on the connection is not worth reading.
    bool broken() const { return m_broken; }
    size_t bodyBytes() const { return m_bodyBytes; }

private:
    ssize_t fill()
    {
        auto wait = m_readTimeout;
        if (m_inHeaders)
            wait = std::min(wait,
                std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - Clock::now()));
        if (wait.count() <= 0 || !waitFor(m_sock, POLLIN, wait)) {
            m_broken = m_inHeaders;
            return -1;
        }
        ssize_t got;
        do
            got = ::recv(m_sock, m_buffer, sizeof m_buffer, 0);
        while (got < 0 && errno == EINTR);
        m_begin = 0;
        m_end = got > 0 ? size_t(got) : 0;
        return got;
    }

    // False once the headers break a limit. A line with nothing but "\r" ends them.
    bool countHeaderByte(char byte)
    {
        ++m_headerBytes;
        if (byte == '\n') {
            if (m_lineLength == 0 && m_lines > 0) {
                m_inHeaders = false;
                return true;
            }
            ++m_lines;
            m_lineLength = 0;
        } else if (byte != '\r') {
            ++m_lineLength;
        }
        // The deadline is fill()'s: bytes already received cost no time.
        return m_headerBytes <= m_limits.maxHeaderBytes && m_lines <= m_limits.maxHeaderLines;
    }

    int m_sock;
    const RequestLimits& m_limits;
    std::chrono::milliseconds m_readTimeout;
    std::chrono::milliseconds m_writeTimeout;
    char m_buffer[16 * 1024];
    size_t m_begin = 0;
    size_t m_end = 0;
    bool m_inHeaders = true;
    bool m_broken = false;
    size_t m_bodyBytes = 0;
    size_t m_headerBytes = 0;
    int m_lines = 0;
    size_t m_lineLength = 0;
    Clock::time_point m_deadline;
};

} // namespace

GuardedServer::GuardedServer(RequestLimits limits)
    : m_limits(limits)
{
    const std::size_t workers = m_limits.workers;
    new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    // Bound alone: cpp-httplib's default SO_REUSEPORT would let a second server share the port
    // and take half the calls; without it a taken port is an error.
    set_socket_options([](socket_t socket) {
        const int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
            response.status = 500;
            response.set_content("internal error\n", "text/plain");
        });
}

bool GuardedServer::process_and_close_socket(socket_t sock)
{
    GuardedStream stream(sock, m_limits, toMilliseconds(read_timeout_sec_, read_timeout_usec_),
        toMilliseconds(write_timeout_sec_, write_timeout_usec_));
    const auto running = [this] { return is_running(); };
    bool ok = false;
    for (size_t served = 0; served < keep_alive_max_count_; ++served) {
        // An idle connection, new or kept alive, gives its worker back after the keep-alive
        // timeout; the header deadline counts from the request's first byte.
        if (!stream.waitForRequest(std::chrono::seconds(keep_alive_timeout_sec_), running))
            break;
        stream.startRequest();
        const bool last = served + 1 >= keep_alive_max_count_ || !is_running();
        bool closed = false;
        ok = process_request(stream, last, closed, {});
        // glibc keeps what a large body freed for later unless asked: give it back now.
        if (stream.bodyBytes() > kLargeBody)
            ::malloc_trim(0);
        if (!ok || closed || last || stream.broken())
            break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

} // namespace tt::net
