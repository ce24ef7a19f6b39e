// SPDX-License-Identifier: MIT
// The HTTP/2 server's inside, shared by its two halves: a connection (h2connection.cpp: one
// thread per connection driving nghttp2, its streams handed to handler threads) and the server
// (h2server.cpp: the listening socket, accepting and reaping connections).
#pragma once

#include "h2server.h"

#include <nghttp2/nghttp2.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <unistd.h>

namespace tt::net {

namespace h2 {

using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

inline void wakeUp(int eventFd)
{
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(eventFd, &one, sizeof one);
}

inline void drain(int eventFd)
{
    uint64_t count = 0;
    [[maybe_unused]] const ssize_t got = ::read(eventFd, &count, sizeof count);
}

struct Connection;

// Shared by the connection's thread (nghttp2's callbacks) and the handler's thread; the state
// below `lock` is guarded by the connection's mutex.
struct Stream final : H2Exchange
{
    Connection* connection = nullptr;
    int32_t id = 0;
    std::string requestMethod;
    std::string requestPath;
    Headers requestHeaders;
    std::size_t headerBytes = 0;
    int headerLines = 0;
    bool headersTooLarge = false;
    std::size_t bodyBytes = 0;
    bool bodyRefused = false; // answered 413 before its body: the body is dropped, then reset
    std::chrono::milliseconds readTimeout { 0 };

    // lock: the connection's
    std::condition_variable readable;
    std::deque<std::string> in;
    bool inEnded = false;
    bool gone = false;
    int status = 0;
    Headers responseHeaders;
    bool responded = false;
    bool submitted = false; // the connection thread handed the response to nghttp2
    std::string out;
    bool outEnded = false;
    bool resetWanted = false; // the handler gave up waiting: the connection thread resets it

    const std::string& method() const override { return requestMethod; }
    const std::string& path() const override { return requestPath; }
    std::string header(std::string_view name) const override
    {
        for (const auto& [key, value] : requestHeaders)
            if (key == name)
                return value;
        return {};
    }
    bool read(std::string& chunk) override;
    bool respond(int code, const Headers& headers) override;
    bool write(std::string_view bytes) override;
    void end() override;

    void pending(); // lock held: the connection thread has something to send
};

struct Connection
{
    struct H2Server::Impl* server = nullptr;
    int fd = -1;
    int wake = -1;
    nghttp2_session* session = nullptr;
    std::thread thread;
    std::atomic<bool> stopping { false };
    std::atomic<bool> finished { false };

    std::mutex lock;
    std::condition_variable handlersDone;
    int handlers = 0; // lock
    std::vector<int32_t> pendingIds; // lock

    // The connection thread's own.
    std::unordered_map<int32_t, std::shared_ptr<Stream>> streams;
    std::string outgoing;
    int headerBlocks = 0; // header blocks begun and not complete
    std::optional<Clock::time_point> headerDeadline;
    Clock::time_point idleSince = Clock::now();
    bool closeAfterFlush = false;
    int32_t closeAfterAnswer = 0; // a refused request: the connection closes once it is answered

    void run();
    void serve();
    void processPending();
    bool flush();
    void startHandler(const std::shared_ptr<Stream>& stream);
    void answer(int32_t id, int status, const char* text); // from nghttp2's callbacks
};

} // namespace h2

struct H2Server::Impl
{
    H2Limits limits;
    Handler handler;
    int listenFd = -1;
    int stopFd = -1;
    int port = 0;
    std::thread acceptor;
    std::atomic<int> activeStreams { 0 };
    std::list<std::unique_ptr<h2::Connection>> connections; // the acceptor's, then stop()'s

    void acceptLoop();
    void reap(bool all);
};

} // namespace tt::net
