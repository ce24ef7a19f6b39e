// SPDX-License-Identifier: MIT
#pragma once

#include "context.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tt::restate {

// How the runtime retries a service's failed attempts (endpoint manifest v4); unset fields keep
// the server's defaults (500 ms x2 up to 1 min, 70 attempts, then pause).
struct RetryPolicy
{
    std::optional<int64_t> initialIntervalMs;
    std::optional<int64_t> maxIntervalMs;
    std::optional<double> exponentiationFactor;
    std::optional<int> maxAttempts; // the first attempt included
    std::optional<bool> pauseOnMaxAttempts; // false: kill the invocation instead
};

struct HandlerDefinition
{
    std::string name;
    Handler handler;
    std::string inputContentType = "application/json";
    std::string outputContentType = "application/json";
};

struct ServiceDefinition
{
    std::string name;
    std::vector<HandlerDefinition> handlers;
    std::string documentation;
    RetryPolicy retry;
};

// How the runtime reaches the endpoint. HTTP/2 (h2c, prior knowledge) with one bidirectional
// stream per attempt, as Restate's SDKs serve by default: each step's result comes back on the open
// stream. HTTP/1.1 in request-response mode: each new step ends the request with a suspension and
// the runtime sends the whole journal again.
enum class Transport
{
    Http2,
    Http1,
};
std::string_view toString(Transport transport); // "h2", "h1"
std::optional<Transport> transportFromString(std::string_view text);

// A Restate service deployment on 127.0.0.1: GET /discover answers the endpoint manifest (its
// protocolMode BIDI_STREAM over HTTP/2, REQUEST_RESPONSE over HTTP/1.1), POST
// /invoke/{service}/{handler} runs one attempt of a handler per request (protocol V5-V6). Bad
// requests get the protocol's answers (404, 415, 413, or an ErrorMessage 571 for a body that is
// not a journal) and a log line; the endpoint keeps serving.
class Endpoint
{
public:
    struct Options
    {
        int port = 0; // 0: a free port, see port()
        Transport transport = Transport::Http2;
        uint32_t maxMessageBytes = 32u << 20; // one protocol message
        size_t maxBodyBytes = 256u << 20; // one request: larger gets 413
        // HTTP/1.1: concurrent connections (the runtime keeps them open between attempts and each
        // holds a thread), so this is well above the invocations in flight. HTTP/2: attempts
        // running at once (one thread each); more are refused and the runtime retries them.
        int threads = 128;
        std::string serverHeader = "twintrace-restate/0.1"; // x-restate-server
        // When set, every invocation request body and the answer are written there as
        // <invocation>-<n>.request.bin / .response.bin, to debug an exchange or seed tests.
        std::string captureDir;
    };

    Endpoint();
    explicit Endpoint(Options options);
    ~Endpoint();
    Endpoint(const Endpoint&) = delete;
    Endpoint& operator=(const Endpoint&) = delete;

    void addService(ServiceDefinition service);

    // Binds 127.0.0.1 and serves on background threads; false with a reason (port taken).
    bool start(std::string& error);
    int port() const;
    std::string url() const; // http://127.0.0.1:PORT
    void stop();

    // The manifest for a discovery version (1-4; the retry policy needs 4).
    std::string manifest(int version) const;

    // What the endpoint answered so far, for logs and tests.
    struct Counters
    {
        std::atomic<int> attempts { 0 };
        std::atomic<int> outputs { 0 };
        std::atomic<int> terminalFailures { 0 };
        std::atomic<int> suspensions { 0 };
        std::atomic<int> errors { 0 }; // ErrorMessage answers, protocol violations included
        std::atomic<int> rejected { 0 }; // 4xx answers
    };
    const Counters& counters() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace tt::restate
