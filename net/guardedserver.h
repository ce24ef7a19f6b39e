// SPDX-License-Identifier: MIT
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>

namespace tt::net {

// What one client may cost a server before its request reaches a handler.
struct RequestLimits
{
    // From the request's first byte to the blank line after its headers, however slowly the
    // bytes come.
    std::chrono::milliseconds headerDeadline { 5000 };
    std::size_t maxHeaderBytes = 64 * 1024; // request line and headers together
    int maxHeaderLines = 100; // request line included
    std::size_t workers = 64; // slow clients hold one each until the deadline, not the server
};

// cpp-httplib's server with the limits it lacks: one header line every few seconds no longer
// holds a worker forever (the deadline), 100k header lines no longer take memory (the byte and
// line limits: the client gets 400 and the connection closes), and the pool has room for more
// slow clients than a few. A handler's exception becomes a bare 500 whose text goes nowhere
// near the client (handlers report their own errors). It binds alone (no SO_REUSEPORT). Everything
// else - routes, keep-alive, timeouts, payload limit - is httplib's, set as usual.
class GuardedServer : public httplib::Server
{
public:
    explicit GuardedServer(RequestLimits limits = {});

private:
    bool process_and_close_socket(socket_t sock) override;

    RequestLimits m_limits;
};

} // namespace tt::net
