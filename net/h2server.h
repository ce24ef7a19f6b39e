// SPDX-License-Identifier: MIT
#pragma once

#include "guardedserver.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tt::net {

// One request and its response on an HTTP/2 stream, seen from the handler's own thread: the body
// is read as it arrives and the answer written as it is produced, both at once (a bidirectional
// stream). Every call is safe while the connection lives or after it died (reads end, writes fail).
class H2Exchange
{
public:
    virtual ~H2Exchange() = default;
    virtual const std::string& method() const = 0;
    virtual const std::string& path() const = 0;
    // A request header by its lower-case name; "" when absent.
    virtual std::string header(std::string_view name) const = 0;
    // Blocks for the next piece of the request body; false once the body ended or the stream is
    // gone.
    virtual bool read(std::string& chunk) = 0;
    // The response's status and headers, once, before any write.
    virtual bool respond(
        int status, const std::vector<std::pair<std::string, std::string>>& headers)
        = 0;
    // Queues bytes of the response body; false when the peer is gone.
    virtual bool write(std::string_view bytes) = 0;
    // Ends the response (answering 200 first if nothing was answered).
    virtual void end() = 0;
};

struct H2Limits
{
    RequestLimits request; // header deadline, header bytes and lines
    std::size_t maxBodyBytes = 256u << 20; // one request body: more resets the stream
    int maxConnections = 64; // more are closed at once
    int maxStreams = 256; // handlers running at once, all connections together
    std::chrono::milliseconds idleTimeout { 10000 }; // a connection without a stream is closed
    // A handler waiting this long for the next bytes of its request gives up (the read ends, the
    // stream is reset). Restate's runtime ends its side of an idle attempt after its inactivity
    // timeout (1 minute by default), so only a stalled or hostile client waits this long.
    std::chrono::milliseconds readTimeout { std::chrono::minutes(5) };
};

// An HTTP/2 server over cleartext with prior knowledge (h2c), on libnghttp2: one thread per
// connection runs the protocol, one thread per stream runs the handler, so a handler may block
// (a step that takes minutes) without holding up the other streams of its connection. It binds
// 127.0.0.1 alone (no SO_REUSEPORT) and enforces what GuardedServer enforces for HTTP/1.1: a
// deadline on incomplete headers, header bytes and lines (400 and the connection closed), a body
// limit (413 from Content-Length, else the stream reset), a cap on connections and streams, and
// idle connections closed, and a stream whose request stalls reset.
class H2Server
{
public:
    using Handler = std::function<void(H2Exchange&)>;

    H2Server(H2Limits limits, Handler handler);
    ~H2Server();
    H2Server(const H2Server&) = delete;
    H2Server& operator=(const H2Server&) = delete;

    // Binds 127.0.0.1:port (0: a free port) and serves on background threads.
    bool start(int port, std::string& error);
    int port() const;
    // Closes every connection and waits for the handlers to return.
    void stop();

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace tt::net
