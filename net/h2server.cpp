// SPDX-License-Identifier: MIT
#include "h2server.h"

#include <nghttp2/nghttp2.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tt::net {

namespace {

using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

void wakeUp(int eventFd)
{
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(eventFd, &one, sizeof one);
}

void drain(int eventFd)
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

bool Stream::read(std::string& chunk)
{
    std::unique_lock<std::mutex> guard(connection->lock);
    // A client that opens a stream and sends nothing more must not hold the handler's thread
    // (and one of the server's streams) for as long as it keeps its connection open.
    if (!readable.wait_for(guard, readTimeout, [this] { return !in.empty() || inEnded || gone; })) {
        spdlog::warn(
            "h2 server: no request bytes for {} ms on a stream, stream reset", readTimeout.count());
        gone = resetWanted = true;
        pending();
        return false;
    }
    if (in.empty())
        return false;
    chunk = std::move(in.front());
    in.pop_front();
    return true;
}

bool Stream::respond(int code, const Headers& headers)
{
    std::lock_guard<std::mutex> guard(connection->lock);
    if (gone || responded)
        return false;
    status = code;
    responseHeaders = headers;
    responded = true;
    pending();
    return true;
}

bool Stream::write(std::string_view bytes)
{
    std::lock_guard<std::mutex> guard(connection->lock);
    if (gone || outEnded)
        return false;
    if (!responded) {
        status = 200;
        responded = true;
    }
    out.append(bytes);
    pending();
    return true;
}

void Stream::end()
{
    std::lock_guard<std::mutex> guard(connection->lock);
    if (gone || outEnded)
        return;
    if (!responded) {
        status = 200;
        responded = true;
    }
    outEnded = true;
    pending();
}

void Stream::pending()
{
    connection->pendingIds.push_back(id);
    wakeUp(connection->wake);
}

} // namespace

struct H2Server::Impl
{
    H2Limits limits;
    Handler handler;
    int listenFd = -1;
    int stopFd = -1;
    int port = 0;
    std::thread acceptor;
    std::atomic<int> activeStreams { 0 };
    std::list<std::unique_ptr<Connection>> connections; // the acceptor's, then stop()'s

    void acceptLoop();
    void reap(bool all);
};

namespace {

Stream* streamOf(nghttp2_session* session, int32_t id)
{
    return static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, id));
}

ssize_t readResponse(nghttp2_session*, int32_t, uint8_t* buffer, size_t length, uint32_t* flags,
    nghttp2_data_source* source, void*)
{
    auto* stream = static_cast<Stream*>(source->ptr);
    std::lock_guard<std::mutex> guard(stream->connection->lock);
    const size_t count = std::min(length, stream->out.size());
    std::memcpy(buffer, stream->out.data(), count);
    stream->out.erase(0, count);
    if (stream->out.empty() && stream->outEnded)
        *flags |= NGHTTP2_DATA_FLAG_EOF;
    else if (count == 0)
        return NGHTTP2_ERR_DEFERRED;
    return ssize_t(count);
}

int onBeginHeaders(nghttp2_session* session, const nghttp2_frame* frame, void* user)
{
    auto* connection = static_cast<Connection*>(user);
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
        return 0;
    auto stream = std::make_shared<Stream>();
    stream->connection = connection;
    stream->id = frame->hd.stream_id;
    stream->readTimeout = connection->server->limits.readTimeout;
    connection->streams[stream->id] = stream;
    nghttp2_session_set_stream_user_data(session, stream->id, stream.get());
    if (connection->headerBlocks++ == 0)
        connection->headerDeadline
            = Clock::now() + connection->server->limits.request.headerDeadline;
    return 0;
}

int onHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
    size_t nameLength, const uint8_t* value, size_t valueLength, uint8_t, void* user)
{
    auto* connection = static_cast<Connection*>(user);
    Stream* stream = streamOf(session, frame->hd.stream_id);
    if (!stream || stream->headersTooLarge)
        return 0;
    const RequestLimits& limits = connection->server->limits.request;
    stream->headerBytes += nameLength + valueLength;
    if (++stream->headerLines > limits.maxHeaderLines
        || stream->headerBytes > limits.maxHeaderBytes) {
        stream->headersTooLarge = true;
        return 0;
    }
    const std::string key(reinterpret_cast<const char*>(name), nameLength);
    std::string text(reinterpret_cast<const char*>(value), valueLength);
    if (key == ":method")
        stream->requestMethod = std::move(text);
    else if (key == ":path")
        stream->requestPath = std::move(text);
    else
        stream->requestHeaders.emplace_back(key, std::move(text));
    return 0;
}

int onFrameReceived(nghttp2_session* session, const nghttp2_frame* frame, void* user)
{
    auto* connection = static_cast<Connection*>(user);
    // A whole frame (the preface's SETTINGS first) and no header block under way: nothing is
    // late. The deadline starts again with the next header block.
    if (connection->headerBlocks == 0 && frame->hd.type != NGHTTP2_HEADERS)
        connection->headerDeadline.reset();
    Stream* stream = streamOf(session, frame->hd.stream_id);
    if (!stream)
        return 0;
    const bool ends = frame->hd.flags & NGHTTP2_FLAG_END_STREAM;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
        if (--connection->headerBlocks == 0)
            connection->headerDeadline.reset();
        const H2Limits& limits = connection->server->limits;
        if (stream->headersTooLarge) {
            spdlog::warn("h2 server: request headers over {} lines or {} bytes",
                limits.request.maxHeaderLines, limits.request.maxHeaderBytes);
            connection->answer(stream->id, 400, "request headers too large\n");
            connection->closeAfterAnswer = stream->id;
            nghttp2_submit_goaway(
                session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_NO_ERROR, nullptr, 0);
            return 0;
        }
        const std::string length = stream->header("content-length");
        if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > limits.maxBodyBytes) {
            connection->answer(stream->id, 413,
                ("request body larger than " + std::to_string(limits.maxBodyBytes) + " bytes\n")
                    .c_str());
            stream->bodyRefused = true;
            return 0;
        }
        if (connection->server->activeStreams.load() >= limits.maxStreams) {
            spdlog::warn(
                "h2 server: {} streams already running, stream refused", limits.maxStreams);
            nghttp2_submit_rst_stream(
                session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_REFUSED_STREAM);
            return 0;
        }
        if (ends) {
            std::lock_guard<std::mutex> guard(connection->lock);
            stream->inEnded = true;
        }
        connection->startHandler(connection->streams.at(stream->id));
    } else if (frame->hd.type == NGHTTP2_DATA && ends) {
        std::lock_guard<std::mutex> guard(connection->lock);
        stream->inEnded = true;
        stream->readable.notify_all();
    }
    return 0;
}

int onDataChunk(
    nghttp2_session* session, uint8_t, int32_t id, const uint8_t* data, size_t length, void* user)
{
    auto* connection = static_cast<Connection*>(user);
    Stream* stream = streamOf(session, id);
    if (!stream || stream->bodyRefused)
        return 0;
    stream->bodyBytes += length;
    std::lock_guard<std::mutex> guard(connection->lock);
    if (stream->gone)
        return 0;
    if (stream->bodyBytes > connection->server->limits.maxBodyBytes) {
        spdlog::warn("h2 server: request body over {} bytes, stream reset",
            connection->server->limits.maxBodyBytes);
        stream->gone = true;
        stream->readable.notify_all();
        nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
        return 0;
    }
    stream->in.emplace_back(reinterpret_cast<const char*>(data), length);
    stream->readable.notify_all();
    return 0;
}

int onFrameSent(nghttp2_session* session, const nghttp2_frame* frame, void* user)
{
    auto* connection = static_cast<Connection*>(user);
    // A refused body's answer is complete: the client is told to stop sending it (RFC 9113
    // 8.1), else the stream stays open, and its connection with it, for as long as it likes.
    const Stream* stream = streamOf(session, frame->hd.stream_id);
    if (stream && stream->bodyRefused && (frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
        nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_NO_ERROR);
    if (connection->closeAfterAnswer != 0 && frame->hd.stream_id == connection->closeAfterAnswer
        && (frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
        connection->closeAfterFlush = true;
    return 0;
}

int onStreamClose(nghttp2_session*, int32_t id, uint32_t, void* user)
{
    auto* connection = static_cast<Connection*>(user);
    const auto found = connection->streams.find(id);
    if (found == connection->streams.end())
        return 0;
    {
        std::lock_guard<std::mutex> guard(connection->lock);
        found->second->gone = true;
        found->second->readable.notify_all();
    }
    connection->streams.erase(found);
    if (connection->streams.empty())
        connection->idleSince = Clock::now();
    return 0;
}

void Connection::answer(int32_t id, int status, const char* text)
{
    const auto found = streams.find(id);
    if (found == streams.end())
        return;
    Stream& stream = *found->second;
    {
        std::lock_guard<std::mutex> guard(lock);
        stream.status = status;
        stream.responseHeaders = { { "content-type", "text/plain" } };
        stream.out = text;
        stream.outEnded = stream.responded = true;
        pendingIds.push_back(id); // sent by processPending on this thread
    }
}

void Connection::startHandler(const std::shared_ptr<Stream>& stream)
{
    {
        std::lock_guard<std::mutex> guard(lock);
        ++handlers;
    }
    ++server->activeStreams;
    std::thread([this, stream] {
        try {
            server->handler(*stream);
        } catch (const std::exception& e) {
            // The text goes to the log only: a client learns nothing of the internals.
            spdlog::error("h2 server: {} {}: internal error: {}", stream->requestMethod,
                stream->requestPath, e.what());
            if (stream->respond(500, { { "content-type", "text/plain" } }))
                stream->write("internal error\n");
        } catch (...) {
            spdlog::error(
                "h2 server: {} {}: internal error", stream->requestMethod, stream->requestPath);
            stream->respond(500, {});
        }
        stream->end();
        --server->activeStreams;
        std::lock_guard<std::mutex> guard(lock);
        if (--handlers == 0)
            handlersDone.notify_all();
    }).detach();
}

void Connection::processPending()
{
    std::vector<int32_t> ids;
    {
        std::lock_guard<std::mutex> guard(lock);
        ids.swap(pendingIds);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const int32_t id : ids) {
        const auto found = streams.find(id);
        if (found == streams.end())
            continue;
        Stream& stream = *found->second;
        std::unique_lock<std::mutex> guard(lock);
        if (stream.resetWanted) {
            stream.resetWanted = false;
            guard.unlock();
            nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
            continue;
        }
        if (!stream.responded || stream.gone)
            continue;
        if (stream.submitted) {
            guard.unlock();
            nghttp2_session_resume_data(session, id);
            continue;
        }
        stream.submitted = true;
        const std::string status = std::to_string(stream.status);
        const Headers headers = stream.responseHeaders;
        guard.unlock();
        std::vector<nghttp2_nv> fields;
        auto add = [&fields](const std::string& name, const std::string& value) {
            fields.push_back({ reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                value.size(), NGHTTP2_NV_FLAG_NONE });
        };
        const std::string statusName = ":status";
        add(statusName, status);
        for (const auto& [name, value] : headers)
            add(name, value);
        nghttp2_data_provider provider {};
        provider.source.ptr = &stream;
        provider.read_callback = readResponse;
        nghttp2_submit_response(session, id, fields.data(), fields.size(), &provider);
    }
}

// Sends what nghttp2 has queued, as far as the socket takes it; false when the peer is gone.
bool Connection::flush()
{
    while (outgoing.size() < (1u << 20)) {
        const uint8_t* data = nullptr;
        const ssize_t length = nghttp2_session_mem_send(session, &data);
        if (length < 0)
            return false;
        if (length == 0)
            break;
        outgoing.append(reinterpret_cast<const char*>(data), size_t(length));
    }
    while (!outgoing.empty()) {
        const ssize_t sent = ::send(fd, outgoing.data(), outgoing.size(), MSG_NOSIGNAL);
        if (sent < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        outgoing.erase(0, size_t(sent));
    }
    return true;
}

void Connection::serve()
{
    const H2Limits& limits = server->limits;
    // The preface within the deadline, then each request's headers within theirs.
    headerDeadline = Clock::now() + limits.request.headerDeadline;
    char buffer[16384];
    while (!stopping.load()) {
        processPending();
        if (!flush())
            return;
        if (!outgoing.empty()) {
            // keep going: poll for POLLOUT below
        } else if (closeAfterFlush
            || (!nghttp2_session_want_read(session) && !nghttp2_session_want_write(session))) {
            return;
        }
        const auto now = Clock::now();
        if (headerDeadline && now > *headerDeadline) {
            spdlog::warn("h2 server: request headers not complete within {} ms, connection closed",
                limits.request.headerDeadline.count());
            return;
        }
        if (streams.empty() && now - idleSince > limits.idleTimeout) {
            nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR);
            closeAfterFlush = true;
            continue;
        }
        pollfd entries[2]
            = { { fd, short(POLLIN | (outgoing.empty() ? 0 : POLLOUT)), 0 }, { wake, POLLIN, 0 } };
        if (::poll(entries, 2, 200) < 0 && errno != EINTR)
            return;
        if (entries[1].revents & POLLIN)
            drain(wake);
        if (entries[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got == 0)
                return;
            if (got < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                    return;
                continue;
            }
            if (nghttp2_session_mem_recv(session, reinterpret_cast<uint8_t*>(buffer), size_t(got))
                < 0) {
                spdlog::warn("h2 server: not HTTP/2 with prior knowledge, connection closed");
                return;
            }
        }
    }
}

void Connection::run()
{
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameReceived);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, onFrameSent);
    nghttp2_session_server_new(&session, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    const H2Limits& limits = server->limits;
    const nghttp2_settings_entry settings[] = {
        { NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, uint32_t(std::min(limits.maxStreams, 128)) },
        { NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, uint32_t(limits.request.maxHeaderBytes) },
        { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1u << 20 },
    };
    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, 4 << 20);

    serve();

    // Every handler learns the stream is gone (reads end, writes fail) and returns.
    std::unique_lock<std::mutex> guard(lock);
    for (auto& [id, stream] : streams) {
        stream->gone = true;
        stream->readable.notify_all();
    }
    handlersDone.wait(guard, [this] { return handlers == 0; });
    guard.unlock();
    streams.clear();
    nghttp2_session_del(session);
    ::close(fd);
    ::close(wake);
    finished = true;
}

} // namespace

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
