// SPDX-License-Identifier: MIT
// A small blocking HTTP/2 client (h2c, prior knowledge) on libnghttp2 for the endpoint's tests:
// one request at a time whose body the test sends piece by piece while it reads the answer, as
// Restate's runtime does on a bidirectional stream.
#pragma once

#include <nghttp2/nghttp2.h>

#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tt::restate::testing {

class H2Client
{
public:
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body; // the answer's bytes not taken yet
    bool ended = false; // the answer ended (or the stream was reset)
    uint32_t resetCode = 0;
    bool connectionClosed = false;

    explicit H2Client(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(uint16_t(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        nghttp2_session_callbacks* callbacks = nullptr;
        nghttp2_session_callbacks_new(&callbacks);
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onData);
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onClose);
        nghttp2_session_client_new(&m_session, callbacks, this);
        nghttp2_session_callbacks_del(callbacks);
        nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, nullptr, 0);
    }
    ~H2Client()
    {
        nghttp2_session_del(m_session);
        ::close(m_fd);
    }
    bool connected() const { return m_connected; }

    // Starts a request; `endBody` false keeps the body open for send() and close().
    void request(const std::string& method, const std::string& path,
        std::vector<std::pair<std::string, std::string>> extra, const std::string& firstBody = {},
        bool endBody = true)
    {
        m_out = firstBody;
        m_outEnded = endBody;
        std::vector<std::pair<std::string, std::string>> fields = { { ":method", method },
            { ":path", path }, { ":scheme", "http" }, { ":authority", "127.0.0.1" } };
        fields.insert(fields.end(), extra.begin(), extra.end());
        std::vector<nghttp2_nv> nva;
        for (auto& [name, value] : fields)
            nva.push_back(
                { reinterpret_cast<uint8_t*>(name.data()), reinterpret_cast<uint8_t*>(value.data()),
                    name.size(), value.size(), NGHTTP2_NV_FLAG_NONE });
        nghttp2_data_provider provider {};
        provider.source.ptr = this;
        provider.read_callback = readBody;
        const bool hasBody = method != "GET";
        m_stream = nghttp2_submit_request(
            m_session, nullptr, nva.data(), nva.size(), hasBody ? &provider : nullptr, nullptr);
        pump(std::chrono::milliseconds(0));
    }
    void send(const std::string& bytes)
    {
        m_out += bytes;
        nghttp2_session_resume_data(m_session, m_stream);
        pump(std::chrono::milliseconds(0));
    }
    void close()
    {
        m_outEnded = true;
        nghttp2_session_resume_data(m_session, m_stream);
        pump(std::chrono::milliseconds(0));
    }

    // Runs the connection until `done` or the timeout; true when `done` came.
    template <typename Done>
    bool waitFor(Done done, std::chrono::milliseconds timeout = std::chrono::seconds(10))
    {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (connectionClosed || std::chrono::steady_clock::now() > until)
                return false;
            pump(std::chrono::milliseconds(50));
        }
        return true;
    }

    // Raw bytes on the socket (what a broken client sends).
    void sendRaw(const std::string& bytes)
    {
        ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }

private:
    void pump(std::chrono::milliseconds wait)
    {
        const uint8_t* data = nullptr;
        ssize_t length;
        while ((length = nghttp2_session_mem_send(m_session, &data)) > 0)
            ::send(m_fd, data, size_t(length), MSG_NOSIGNAL);
        pollfd entry { m_fd, POLLIN, 0 };
        if (::poll(&entry, 1, int(wait.count())) <= 0)
            return;
        char buffer[16384];
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            connectionClosed = true;
            return;
        }
        nghttp2_session_mem_recv(m_session, reinterpret_cast<uint8_t*>(buffer), size_t(got));
        while ((length = nghttp2_session_mem_send(m_session, &data)) > 0)
            ::send(m_fd, data, size_t(length), MSG_NOSIGNAL);
    }

    static ssize_t readBody(nghttp2_session*, int32_t, uint8_t* buffer, size_t length,
        uint32_t* flags, nghttp2_data_source* source, void*)
    {
        auto* self = static_cast<H2Client*>(source->ptr);
        const size_t count = std::min(length, self->m_out.size());
        std::memcpy(buffer, self->m_out.data(), count);
        self->m_out.erase(0, count);
        if (self->m_out.empty() && self->m_outEnded)
            *flags |= NGHTTP2_DATA_FLAG_EOF;
        else if (count == 0)
            return NGHTTP2_ERR_DEFERRED;
        return ssize_t(count);
    }
    static int onHeader(nghttp2_session*, const nghttp2_frame*, const uint8_t* name,
        size_t nameLength, const uint8_t* value, size_t valueLength, uint8_t, void* user)
    {
        auto* self = static_cast<H2Client*>(user);
        const std::string key(reinterpret_cast<const char*>(name), nameLength);
        const std::string text(reinterpret_cast<const char*>(value), valueLength);
        if (key == ":status")
            self->status = std::stoi(text);
        else
            self->headers[key] = text;
        return 0;
    }
    static int onData(
        nghttp2_session*, uint8_t, int32_t, const uint8_t* data, size_t length, void* user)
    {
        static_cast<H2Client*>(user)->body.append(reinterpret_cast<const char*>(data), length);
        return 0;
    }
    static int onClose(nghttp2_session*, int32_t, uint32_t code, void* user)
    {
        auto* self = static_cast<H2Client*>(user);
        self->ended = true;
        self->resetCode = code;
        return 0;
    }

    int m_fd = -1;
    bool m_connected = false;
    nghttp2_session* m_session = nullptr;
    int32_t m_stream = 0;
    std::string m_out;
    bool m_outEnded = true;
};

} // namespace tt::restate::testing
