// SPDX-License-Identifier: MIT
#include "h2server.h"

#include "h2connection.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

namespace tt::net {

using h2::Connection;
using h2::wakeUp;

void H2Server::Impl::reap(bool all)
{
    for (auto it = connections.begin(); it != connections.end();) {
        Connection& connection = **it;
        if (!all && !connection.finished.load()) {
            ++it;
            continue;
        }
        connection.stopping = true;
        wakeUp(connection.wake);
        connection.thread.join();
        it = connections.erase(it);
    }
}

void H2Server::Impl::acceptLoop()
{
    while (true) {
        pollfd entries[2] = { { listenFd, POLLIN, 0 }, { stopFd, POLLIN, 0 } };
        if (::poll(entries, 2, 1000) < 0 && errno != EINTR)
            break;
        if (entries[1].revents & POLLIN)
            break;
        reap(false);
        if (!(entries[0].revents & POLLIN))
            continue;
        const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (int(connections.size()) >= limits.maxConnections) {
            spdlog::warn("h2 server: {} connections open, one more refused", limits.maxConnections);
            ::close(fd);
            continue;
        }
        const int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        auto connection = std::make_unique<Connection>();
        connection->server = this;
        connection->fd = fd;
        connection->wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        Connection* raw = connection.get();
        connections.push_back(std::move(connection));
        raw->thread = std::thread([raw] { raw->run(); });
    }
}

H2Server::H2Server(H2Limits limits, Handler handler)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->limits = limits;
    m_impl->handler = std::move(handler);
}

H2Server::~H2Server()
{
    stop();
}

bool H2Server::start(int port, std::string& error)
{
    Impl& impl = *m_impl;
    impl.listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    // Bound alone: SO_REUSEADDR only lets a restarted endpoint take its port back from TIME_WAIT.
    const int yes = 1;
    ::setsockopt(impl.listenFd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (impl.listenFd < 0
        || ::bind(impl.listenFd, reinterpret_cast<sockaddr*>(&address), length) != 0
        || ::listen(impl.listenFd, 128) != 0
        || ::getsockname(impl.listenFd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        error = "cannot listen on 127.0.0.1:" + std::to_string(port) + " (" + std::strerror(errno)
            + ")";
        if (impl.listenFd >= 0)
            ::close(impl.listenFd);
        impl.listenFd = -1;
        return false;
    }
    impl.port = ntohs(address.sin_port);
    impl.stopFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    impl.acceptor = std::thread([&impl] { impl.acceptLoop(); });
    return true;
}

int H2Server::port() const
{
    return m_impl->port;
}

void H2Server::stop()
{
    Impl& impl = *m_impl;
    if (!impl.acceptor.joinable())
        return;
    wakeUp(impl.stopFd);
    impl.acceptor.join();
    impl.reap(true);
    ::close(impl.listenFd);
    ::close(impl.stopFd);
    impl.listenFd = impl.stopFd = -1;
}

} // namespace tt::net
