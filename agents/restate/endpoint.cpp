// SPDX-License-Identifier: MIT
#include "endpoint.h"

#include "net/guardedserver.h"
#include "net/h2server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <thread>

namespace tt::restate {

namespace {

constexpr int kMinProtocol = 5;
constexpr int kMaxProtocol = 6;
constexpr const char* kManifestType = "application/vnd.restate.endpointmanifest.v%d+json";
constexpr const char* kInvocationType = "application/vnd.restate.invocation.v";

std::string manifestType(int version)
{
    char text[64];
    std::snprintf(text, sizeof text, kManifestType, version);
    return text;
}

// The highest manifest version we write that the runtime accepts; 0 when none.
int negotiateManifest(const std::string& accept)
{
    for (int version = 4; version >= 1; --version)
        if (accept.find(manifestType(version)) != std::string::npos)
            return version;
    return 0;
}

// 5 for "application/vnd.restate.invocation.v5", 0 for anything else.
int invocationVersion(const std::string& contentType)
{
    const std::string prefix = kInvocationType;
    if (contentType.compare(0, prefix.size(), prefix) != 0)
        return 0;
    const std::string digits = contentType.substr(prefix.size());
    if (digits.empty() || digits.size() > 3
        || digits.find_first_not_of("0123456789") != std::string::npos)
        return 0;
    return std::stoi(digits);
}

// "/invoke/{service}/{handler}" split in two; false for any other path.
bool invokePath(const std::string& path, std::string& service, std::string& handler)
{
    const std::string prefix = "/invoke/";
    if (path.compare(0, prefix.size(), prefix) != 0)
        return false;
    const size_t slash = path.find('/', prefix.size());
    if (slash == std::string::npos || slash == prefix.size() || slash + 1 == path.size()
        || path.find_first_of("/?", slash + 1) != std::string::npos)
        return false;
    service = path.substr(prefix.size(), slash - prefix.size());
    handler = path.substr(slash + 1);
    return true;
}

} // namespace

std::string_view toString(Transport transport)
{
    return transport == Transport::Http2 ? "h2" : "h1";
}

std::optional<Transport> transportFromString(std::string_view text)
{
    if (text == "h2")
        return Transport::Http2;
    if (text == "h1")
        return Transport::Http1;
    return std::nullopt;
}

// One answer, whatever the transport carries it.
struct Reply
{
    int status = 200;
    std::string contentType;
    std::string body;
};

struct Endpoint::Impl
{
    Options options;
    std::vector<ServiceDefinition> services;
    net::GuardedServer server; // HTTP/1.1: header deadline and limits against hostile clients
    std::unique_ptr<net::H2Server> h2; // HTTP/2: the same limits
    std::thread thread;
    int port = 0;
    Counters counters;
    std::atomic<int> captures { 0 };

    const HandlerDefinition* find(const std::string& service, const std::string& handler) const
    {
        for (const ServiceDefinition& definition : services)
            if (definition.name == service)
                for (const HandlerDefinition& candidate : definition.handlers)
                    if (candidate.name == handler)
                        return &candidate;
        return nullptr;
    }

    Reply reject(int status, const std::string& message)
    {
        ++counters.rejected;
        spdlog::warn("restate endpoint: {} {}", status, message);
        return { status, "text/plain", message + "\n" };
    }

    // The handler a request names, or the answer refusing it.
    const HandlerDefinition* admit(const std::string& service, const std::string& name,
        const std::string& contentType, Reply& refusal)
    {
        const HandlerDefinition* handler = find(service, name);
        if (!handler) {
            refusal = reject(404, "unknown handler " + service + "/" + name);
            return nullptr;
        }
        const int version = invocationVersion(contentType);
        if (version < kMinProtocol || version > kMaxProtocol) {
            refusal = reject(415,
                "unsupported service protocol \"" + contentType + "\": this endpoint speaks "
                    + kInvocationType + std::to_string(kMinProtocol) + " to v"
                    + std::to_string(kMaxProtocol));
            return nullptr;
        }
        return handler;
    }

    void count(const AttemptEnd& end, const std::string& invocation, const std::string& service,
        const std::string& name)
    {
        switch (end.kind) {
        case AttemptEnd::Kind::Output:
            ++counters.outputs;
            break;
        case AttemptEnd::Kind::TerminalFailure:
            ++counters.terminalFailures;
            break;
        case AttemptEnd::Kind::Suspended:
            ++counters.suspensions;
            break;
        case AttemptEnd::Kind::Error:
        case AttemptEnd::Kind::PeerGone:
            ++counters.errors;
            break;
        }
        if (end.kind == AttemptEnd::Kind::Error || end.kind == AttemptEnd::Kind::PeerGone)
            spdlog::warn("restate endpoint: {} {}/{}: {} {} {}", invocation, service, name,
                toString(end.kind), end.code, end.message);
        else
            spdlog::debug(
                "restate endpoint: {} {}/{}: {}", invocation, service, name, toString(end.kind));
    }

    std::string captureName(const std::string& invocation)
    {
        if (options.captureDir.empty())
            return {};
        const std::string safe
            = invocation.find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                == std::string::npos
            ? invocation
            : std::string("invocation");
        return options.captureDir + "/" + safe + "-" + std::to_string(++captures);
    }

    static void writeFile(const std::string& path, const std::string& bytes)
    {
        if (std::FILE* file = std::fopen(path.c_str(), "wb")) {
            std::fwrite(bytes.data(), 1, bytes.size(), file);
            std::fclose(file);
        } else {
            spdlog::warn("restate endpoint: cannot write the capture {}", path);
        }
    }

    Reply discover(const std::string& accept);
    void invoke(const httplib::Request& request, httplib::Response& response);
    void serveStream(net::H2Exchange& exchange);
    void invokeStream(net::H2Exchange& exchange, const HandlerDefinition& handler,
        const std::string& service, const std::string& name, const std::string& contentType);
};

Reply Endpoint::Impl::discover(const std::string& accept)
{
    int version = negotiateManifest(accept);
    if (version == 0 && (accept.empty() || accept.find("*/*") != std::string::npos))
        version = 1;
    if (version == 0)
        return reject(415,
            "unsupported endpoint manifest version(s) \"" + accept + "\": this endpoint writes "
                + manifestType(1) + " to v4");
    nlohmann::ordered_json manifest;
    manifest["protocolMode"]
        = options.transport == Transport::Http2 ? "BIDI_STREAM" : "REQUEST_RESPONSE";
    manifest["minProtocolVersion"] = kMinProtocol;
    manifest["maxProtocolVersion"] = kMaxProtocol;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ServiceDefinition& service : services) {
        nlohmann::ordered_json entry;
        entry["name"] = service.name;
        entry["ty"] = "SERVICE";
        if (!service.documentation.empty() && version >= 3)
            entry["documentation"] = service.documentation;
        if (version >= 4) {
            const RetryPolicy& retry = service.retry;
            if (retry.initialIntervalMs)
                entry["retryPolicyInitialInterval"] = *retry.initialIntervalMs;
            if (retry.maxIntervalMs)
                entry["retryPolicyMaxInterval"] = *retry.maxIntervalMs;
            if (retry.exponentiationFactor)
                entry["retryPolicyExponentiationFactor"] = *retry.exponentiationFactor;
            if (retry.maxAttempts)
                entry["retryPolicyMaxAttempts"] = *retry.maxAttempts;
            if (retry.pauseOnMaxAttempts)
                entry["retryPolicyOnMaxAttempts"] = *retry.pauseOnMaxAttempts ? "PAUSE" : "KILL";
        }
        nlohmann::ordered_json handlers = nlohmann::ordered_json::array();
        for (const HandlerDefinition& handler : service.handlers)
            handlers.push_back({ { "name", handler.name },
                { "input", { { "required", false }, { "contentType", handler.inputContentType } } },
                { "output", { { "contentType", handler.outputContentType } } } });
        entry["handlers"] = std::move(handlers);
        list.push_back(std::move(entry));
    }
    manifest["services"] = std::move(list);
    return { 200, manifestType(version), manifest.dump() };
}

void Endpoint::Impl::invoke(const httplib::Request& request, httplib::Response& response)
{
    const std::string service = request.matches[1];
    const std::string name = request.matches[2];
    const std::string contentType = request.get_header_value("content-type");
    Reply refusal;
    const HandlerDefinition* handler = admit(service, name, contentType, refusal);
    if (!handler) {
        response.status = refusal.status;
        response.set_content(refusal.body, refusal.contentType.c_str());
        return;
    }

    // The runtime has sent the whole journal (request-response mode); the answer streams back as
    // the handler produces it.
    auto journal = std::make_shared<Journal>();
    std::string problem;
    const bool parsed = parseJournal(request.body, *journal, problem, options.maxMessageBytes);
    response.set_header("x-restate-server", options.serverHeader);
    ++counters.attempts;
    if (!parsed) {
        ++counters.errors;
        spdlog::warn("restate endpoint: {}/{}: protocol violation: {}", service, name, problem);
        response.set_content(
            errorFrame(kProtocolViolation, "protocol violation: " + problem), contentType.c_str());
        return;
    }
    const std::string invocation = journal->start.debug_id();
    const Handler work = handler->handler;
    const std::string capture = captureName(invocation);
    if (!capture.empty())
        writeFile(capture + ".request.bin", request.body);
    response.set_chunked_content_provider(contentType,
        [this, journal, work, invocation, service, name, capture](size_t, httplib::DataSink& sink) {
            std::string answer;
            const AttemptEnd end = runAttempt(*journal, work, [&](std::string_view bytes) {
                if (!capture.empty())
                    answer.append(bytes);
                return sink.write(bytes.data(), bytes.size());
            });
            if (!capture.empty())
                writeFile(capture + ".response.bin", answer);
            count(end, invocation, service, name);
            if (end.kind != AttemptEnd::Kind::PeerGone)
                sink.done();
            return end.kind != AttemptEnd::Kind::PeerGone;
        });
}

// Runs on the stream's own thread: discovery, or one attempt on a bidirectional stream.
void Endpoint::Impl::serveStream(net::H2Exchange& exchange)
{
    auto send = [&exchange](const Reply& reply) {
        exchange.respond(reply.status,
            { { "content-type", reply.contentType },
                { "content-length", std::to_string(reply.body.size()) } });
        exchange.write(reply.body);
        exchange.end();
    };
    std::string service;
    std::string name;
    if (exchange.method() == "GET" && exchange.path() == "/discover") {
        Reply reply = discover(exchange.header("accept"));
        exchange.respond(reply.status,
            { { "content-type", reply.contentType }, { "x-restate-server", options.serverHeader },
                { "content-length", std::to_string(reply.body.size()) } });
        exchange.write(reply.body);
        exchange.end();
    } else if (exchange.method() == "POST" && invokePath(exchange.path(), service, name)) {
        const std::string contentType = exchange.header("content-type");
        Reply refusal;
        if (const HandlerDefinition* handler = admit(service, name, contentType, refusal))
            invokeStream(exchange, *handler, service, name, contentType);
        else
            send(refusal);
    } else {
        send(reject(404, "unknown route " + exchange.method() + " " + exchange.path()));
    }
}

void Endpoint::Impl::invokeStream(net::H2Exchange& exchange, const HandlerDefinition& handler,
    const std::string& service, const std::string& name, const std::string& contentType)
{
    // The headers go back at once: the runtime streams the journal, then each step's result,
    // while the answer streams the other way.
    exchange.respond(
        200, { { "content-type", contentType }, { "x-restate-server", options.serverHeader } });
    ++counters.attempts;
    const bool capturing = !options.captureDir.empty();
    std::string requestBytes;
    std::string answer;
    JournalReader reader(options.maxMessageBytes);
    auto readMore = [&]() {
        std::string chunk;
        if (!exchange.read(chunk))
            return false;
        if (capturing)
            requestBytes += chunk;
        reader.feed(chunk);
        return true;
    };
    while (reader.state() == JournalReader::State::NeedMore)
        if (!readMore())
            reader.finish();
    if (reader.state() == JournalReader::State::Failed) {
        ++counters.errors;
        spdlog::warn(
            "restate endpoint: {}/{}: protocol violation: {}", service, name, reader.error());
        exchange.write(errorFrame(kProtocolViolation, "protocol violation: " + reader.error()));
        exchange.end();
        return;
    }
    const Journal& journal = reader.journal();
    const std::string invocation = journal.start.debug_id();
    // Completions the runtime sends while the attempt runs; the step waiting for one blocks here.
    std::unordered_map<uint32_t, pb::NotificationTemplate> arrived;
    const CompletionSource completions
        = [&](uint32_t id) -> std::optional<pb::NotificationTemplate> {
        while (true) {
            const auto found = arrived.find(id);
            if (found != arrived.end())
                return found->second;
            std::optional<Frame> frame = reader.next();
            if (!frame) {
                if (reader.state() == JournalReader::State::Failed || !readMore())
                    return std::nullopt; // the runtime's side ended: suspend
                continue;
            }
            pb::NotificationTemplate notification;
            if (isNotification(frame->type) && notification.ParseFromString(frame->payload)
                && notification.id_case() == pb::NotificationTemplate::kCompletionId)
                arrived[notification.completion_id()] = std::move(notification);
            else
                spdlog::debug("restate endpoint: {}: {} ignored during the attempt", invocation,
                    typeName(frame->type));
        }
    };
    const AttemptEnd end = runAttempt(
        journal, handler.handler,
        [&](std::string_view bytes) {
            if (capturing)
                answer.append(bytes);
            return exchange.write(bytes);
        },
        completions);
    count(end, invocation, service, name);
    exchange.end();
    const std::string capture = captureName(invocation);
    if (!capture.empty()) {
        writeFile(capture + ".request.bin", requestBytes);
        writeFile(capture + ".response.bin", answer);
    }
}

Endpoint::Endpoint()
    : Endpoint(Options())
{ }

Endpoint::Endpoint(Options options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
}

Endpoint::~Endpoint()
{
    stop();
}

void Endpoint::addService(ServiceDefinition service)
{
    m_impl->services.push_back(std::move(service));
}

std::string Endpoint::manifest(int version) const
{
    return m_impl->discover(manifestType(version)).body;
}

bool Endpoint::start(std::string& error)
{
    Impl& impl = *m_impl;
    if (impl.options.transport == Transport::Http2) {
        net::H2Limits limits;
        limits.maxBodyBytes = impl.options.maxBodyBytes;
        limits.maxStreams = impl.options.threads;
        impl.h2 = std::make_unique<net::H2Server>(
            limits, [&impl](net::H2Exchange& exchange) { impl.serveStream(exchange); });
        if (!impl.h2->start(impl.options.port, error))
            return false;
        impl.port = impl.h2->port();
        return true;
    }
    auto& server = impl.server;
    const int threads = impl.options.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
    server.set_payload_max_length(impl.options.maxBodyBytes);
    server.set_tcp_nodelay(true);
    server.set_keep_alive_timeout(2); // an idle pooled connection gives its thread back soon
    // A step may run for minutes (an LLM call); the runtime waits, so must the socket.
    server.set_write_timeout(600);
    server.Get("/discover", [&impl](const httplib::Request& q, httplib::Response& r) {
        const Reply reply = impl.discover(q.get_header_value("accept"));
        r.status = reply.status;
        if (reply.status == 200)
            r.set_header("x-restate-server", impl.options.serverHeader);
        r.set_content(reply.body, reply.contentType.c_str());
    });
    server.Post(R"(/invoke/([^/]+)/([^/]+))",
        [&impl](const httplib::Request& q, httplib::Response& r) { impl.invoke(q, r); });
    server.set_error_handler([&impl](const httplib::Request& q, httplib::Response& r) {
        if (!r.body.empty())
            return;
        ++impl.counters.rejected;
        const std::string message = r.status == 404 ? "unknown route " + q.method + " " + q.path
            : r.status == 413
            ? "request body larger than " + std::to_string(impl.options.maxBodyBytes) + " bytes"
            : "HTTP " + std::to_string(r.status);
        spdlog::warn("restate endpoint: {} {}", r.status, message);
        r.set_content(message + "\n", "text/plain");
    });
    server.set_exception_handler(
        [](const httplib::Request& q, httplib::Response& r, std::exception_ptr failure) {
            std::string what = "unknown exception";
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) { }
            // The text goes to the log only: a client learns nothing of the internals.
            spdlog::error("restate endpoint: {} {}: internal error: {}", q.method, q.path, what);
            r.status = 500;
            r.set_content("internal error\n", "text/plain");
        });
    if (impl.options.port == 0)
        impl.port = server.bind_to_any_port("127.0.0.1");
    else
        impl.port = server.bind_to_port("127.0.0.1", impl.options.port) ? impl.options.port : -1;
    if (impl.port <= 0) {
        error
            = "cannot listen on 127.0.0.1:" + std::to_string(impl.options.port) + " (port taken?)";
        return false;
    }
    impl.thread = std::thread([&server] { server.listen_after_bind(); });
    return true;
}

int Endpoint::port() const
{
    return m_impl->port;
}

std::string Endpoint::url() const
{
    return "http://127.0.0.1:" + std::to_string(m_impl->port);
}

void Endpoint::stop()
{
    if (m_impl->h2)
        m_impl->h2->stop();
    m_impl->server.stop();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

const Endpoint::Counters& Endpoint::counters() const
{
    return m_impl->counters;
}

} // namespace tt::restate
