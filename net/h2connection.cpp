// SPDX-License-Identifier: MIT
#include "h2connection.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>

namespace tt::net::h2 {

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

} // namespace

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

} // namespace tt::net::h2
