// SPDX-License-Identifier: MIT
#include "server_p.h"

#include "conversation.h"
#include "openaiformat.h"
#include "responsesformat.h"

#include <cmath>
#include <cstdio>

namespace tt::llm {

using nlohmann::json;

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kEventStream = "text/event-stream";

bool isLoopback(const std::string& host)
{
    return host == "127.0.0.1" || host == "localhost";
}

std::string hexHash(const std::string& bytes)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(stableHash(bytes)));
    return text;
}

} // namespace

bool LlmServer::Impl::pause(double ms, httplib::DataSink* sink) const
{
    return pauseUntil(Clock::now() + std::chrono::microseconds(int64_t(ms * 1000)), sink);
}

bool LlmServer::Impl::pauseUntil(Clock::time_point until, httplib::DataSink* sink) const
{
    while (Clock::now() < until) {
        if (stopping || (sink && !sink->is_writable()))
            return false;
        const auto left = until - Clock::now();
        std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(20)));
    }
    return !stopping;
}

bool LlmServer::Impl::answerWithFault(
    const Decision& decision, httplib::Response& response, LogEntry& entry)
{
    if (!decision.fault)
        return false;
    const Fault& fault = *decision.fault;
    switch (fault.kind) {
    case FaultKind::RateLimited:
        response.status = 429;
        response.set_header(
            "Retry-After", std::to_string(int64_t(std::ceil(fault.retryAfterSeconds))));
        response.set_content(openai::error("Rate limit reached for requests. Please try again "
                                           "later.",
                                 "requests", "rate_limit_exceeded"),
            kJson);
        break;
    case FaultKind::ServerError:
        response.status = 500;
        response.set_content(openai::error("The server had an error while processing your "
                                           "request. Sorry about that!",
                                 "server_error"),
            kJson);
        break;
    case FaultKind::Unavailable:
        response.status = 503;
        response.set_content(
            openai::error("The server is overloaded or not ready yet.", "unavailable_error"),
            kJson);
        break;
    case FaultKind::ConnectionReset:
        // Headers go out, then the connection closes with no body: what a crashed or reset
        // server looks like to the client (httplib gives a handler no socket to reset sooner).
        response.status = 200;
        response.set_content_provider(1024, entry.stream ? kEventStream : kJson,
            [](size_t, size_t, httplib::DataSink&) { return false; });
        entry.completed = false;
        break;
    default:
        return false;
    }
    entry.status = response.status;
    log.write(entry);
    return true;
}

void LlmServer::Impl::handleChat(
    const httplib::Request& request, httplib::Response& response, Api api)
{
    LogEntry entry;
    entry.method = request.method;
    entry.path = request.path;
    // The run: from the path prefix the engine gives each run's Writer (/run/<id>/v1/...), which
    // needs nothing from the Writer's code; else from the X-TwinTrace-Run header.
    if (request.matches.size() == 3) {
        entry.runId = request.matches[1];
        entry.path = request.matches[2];
    } else {
        entry.runId = request.has_header("X-TwinTrace-Run")
            ? request.get_header_value("X-TwinTrace-Run")
            : std::string("default");
    }
    entry.bodyHash = hexHash(request.body);
    entry.bodyBytes = request.body.size();
    json body = json::parse(request.body, nullptr, false);
    std::string problem;
    if (body.is_discarded())
        problem = "We could not parse the JSON body of your request. (HINT: This likely means you "
                  "aren't using your HTTP library correctly.)";
    else if (api == Api::Responses)
        body = responses::asChatRequest(body, problem);
    if (problem.empty())
        problem = validateRequest(body);
    if (!problem.empty()) {
        response.status = 400;
        response.set_content(openai::error(problem, "invalid_request_error"), kJson);
        entry.status = 400;
        log.write(entry);
        return;
    }
    entry.stream = body.value("stream", false);
    const Decision decision = plan.next(entry.runId, stepOf(body));
    entry.call = decision.call;
    entry.step = std::string(toString(decision.step));
    if (decision.fault)
        entry.fault = std::string(toString(decision.fault->kind));
    if (answerWithFault(decision, response, entry))
        return;
    if (decision.is(FaultKind::Stall)) {
        // Nothing at all, not even headers, for the stall's length.
        if (!pause(decision.fault->stallSeconds * 1000)) {
            response.status = 503;
            response.set_content(openai::error("server stopping", "unavailable_error"), kJson);
            return;
        }
    }
    if (!config.upstream.empty())
        answerFromUpstream(request, response, decision, std::move(entry));
    else
        answerLocally(response, body, decision, std::move(entry), api);
}

void LlmServer::Impl::answerLocally(httplib::Response& response, const json& body,
    const Decision& decision, LogEntry entry, Api api)
{
    const auto started = Clock::now();
    const uint64_t seed = plan.seed();
    Reply reply = scriptedReply(body, seed, decision.call);
    if (decision.is(FaultKind::MissingHeadings) && !reply.isToolCall)
        reply.content = withoutRequiredHeadings(reply.content);
    entry.promptTokens = reply.promptTokens;
    entry.completionTokens = reply.completionTokens;

    // Same scenario, seed, run and call: the same id and time, so answers are byte-identical.
    const uint64_t key = stableHash(entry.runId, seed) ^ uint64_t(decision.call);
    openai::Envelope envelope;
    envelope.id
        = (api == Api::Responses ? "resp_" : "chatcmpl-") + std::to_string(key % 1000000000000ull);
    envelope.model = body.contains("model") && body.at("model").is_string()
        ? body.at("model").get<std::string>()
        : config.model;
    envelope.created = 1770000000 + decision.call;

    const LatencyModel& latency = config.scenario.latency;
    const double tokensPerSecond
        = decision.is(FaultKind::SlowTokens) ? decision.fault->tokensPerSecond : 0;
    const double firstTokenMs = latency.timeToFirstTokenMs(reply.promptTokens);
    const double perTokenMs = decision.is(FaultKind::SlowTokens)
        ? 1000.0 / tokensPerSecond // a slow-token fault ignores the latency scale
        : latency.perTokenMs();
    response.status = 200;
    entry.status = 200;

    if (!entry.stream) {
        std::string text = api == Api::Responses ? responses::response(reply, envelope)
                                                 : openai::completion(reply, envelope);
        if (decision.is(FaultKind::TruncatedJson))
            text.resize(text.size() / 2);
        // A non-streamed answer comes whole, once generated.
        entry.simulatedMs = firstTokenMs + perTokenMs * reply.completionTokens;
        pauseUntil(started + std::chrono::microseconds(int64_t(entry.simulatedMs * 1000)));
        entry.firstByteMs = millisecondsSince(started);
        entry.durationMs = entry.firstByteMs;
        response.set_content(text, kJson);
        log.write(entry);
        return;
    }

    const bool includeUsage = body.contains("stream_options")
        && body.at("stream_options").is_object()
        && body.at("stream_options").value("include_usage", false);
    auto events = std::make_shared<std::vector<std::string>>(api == Api::Responses
            ? responses::streamEvents(reply, envelope)
            : openai::streamEvents(reply, envelope, includeUsage));
    if (decision.is(FaultKind::TruncatedJson)) {
        // Half the events, then half of the next one, and no end ([DONE] or response.completed).
        const size_t keep = events->size() / 2;
        std::string cut = (*events)[keep].substr(0, (*events)[keep].size() / 2);
        events->resize(keep);
        events->push_back(std::move(cut));
    }
    entry.simulatedMs = firstTokenMs + perTokenMs * double(events->size() - 1);
    struct StreamState
    {
        LogEntry entry;
        size_t next = 0; // the next event to send
    };
    auto state = std::make_shared<StreamState>(StreamState { std::move(entry), 0 });
    // Event k is due at a fixed time from the request, as a model generates at its own pace: a
    // wake-up that comes late (a loaded machine, other runs in parallel) delays that one event,
    // and the lag does not add up over hundreds of tokens.
    const auto dueAt = [started, firstTokenMs, perTokenMs](size_t index) {
        const double ms = firstTokenMs + perTokenMs * double(index);
        return started + std::chrono::microseconds(int64_t(ms * 1000));
    };
    response.set_chunked_content_provider(
        kEventStream,
        [this, events, state, started, dueAt](size_t, httplib::DataSink& sink) {
            // One event per call, each at its due time; after a late wake-up the events already
            // due go out back to back.
            const size_t index = state->next;
            if (index >= events->size()) {
                sink.done();
                return true;
            }
            if (!pauseUntil(dueAt(index), &sink))
                return false;
            if (index == 0)
                state->entry.firstByteMs = millisecondsSince(started);
            const std::string& text = (*events)[index];
            if (!sink.write(text.data(), text.size()))
                return false;
            state->next = index + 1;
            return true;
        },
        [this, state, started, events](bool success) {
            state->entry.completed = success && state->next >= events->size();
            state->entry.durationMs = millisecondsSince(started);
            log.write(state->entry);
        });
}

LlmServer::LlmServer(ServerConfig config)
    : m_impl(std::make_unique<Impl>(std::move(config)))
{ }

LlmServer::~LlmServer()
{
    stop();
}

bool LlmServer::start(std::string& error)
{
    Impl& impl = *m_impl;
    if (!isLoopback(impl.config.host)) {
        error = "refusing to listen on " + impl.config.host
            + ": TwinTrace's servers bind 127.0.0.1 only";
        return false;
    }
    if (!impl.config.logPath.empty() && !impl.log.open(impl.config.logPath, error))
        return false;
    auto& server = impl.server;
    const int threads = impl.config.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
    server.set_payload_max_length(impl.config.maxBodyBytes);
    // Headers and body leave in separate writes: without TCP_NODELAY, Nagle and delayed ACKs
    // add ~40-90 ms to every answer on loopback.
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(1000);
    // As llama.cpp's server (cpp-httplib's default): idle connections stay open 5 s, longer than
    // any Retry-After of the scenarios, so a client retrying on its kept-alive connection never
    // meets a socket the server is closing (and a request lost before any handler saw it).
    server.set_keep_alive_timeout(5);
    const auto chat = [&impl](const httplib::Request& q, httplib::Response& r) {
        impl.handleChat(q, r, Api::ChatCompletions);
    };
    const auto responsesRoute = [&impl](const httplib::Request& q, httplib::Response& r) {
        impl.handleChat(q, r, Api::Responses);
    };
    const auto models = [&impl](const httplib::Request&, httplib::Response& r) {
        r.set_content(openai::models(impl.config.model), kJson);
    };
    server.Post("/v1/chat/completions", chat);
    server.Post(R"(/run/([A-Za-z0-9._~:@!$&'()*+,;=/-]+?)(/v1/chat/completions))", chat);
    server.Post("/v1/responses", responsesRoute);
    server.Post(R"(/run/([A-Za-z0-9._~:@!$&'()*+,;=/-]+?)(/v1/responses))", responsesRoute);
    server.Get("/v1/models", models);
    server.Get(R"(/run/[A-Za-z0-9._~:@!$&'()*+,;=/-]+?/v1/models)", models);
    server.Get("/health", [](const httplib::Request&, httplib::Response& r) {
        r.set_content(R"({"status":"ok"})", kJson);
    });
    server.set_error_handler([](const httplib::Request& q, httplib::Response& r) {
        if (!r.body.empty())
            return;
        const std::string message = r.status == 404 ? "Unknown route " + q.method + " " + q.path
            : r.status == 413                       ? std::string("Request body too large")
                                                    : "HTTP " + std::to_string(r.status);
        r.set_content(openai::error(message, "invalid_request_error"), kJson);
    });
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& r, std::exception_ptr failure) {
            std::string what = "unknown exception";
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) { }
            // The text goes to stderr only: a client learns nothing of the internals.
            std::fprintf(stderr, "twintrace-llm: internal error: %s\n", what.c_str());
            r.status = 500;
            r.set_content(openai::error("internal error in the stand-in", "server_error"), kJson);
        });
    const std::string host = impl.config.host == "localhost" ? "127.0.0.1" : impl.config.host;
    if (impl.config.port == 0) {
        impl.port = server.bind_to_any_port(host);
    } else {
        impl.port = server.bind_to_port(host, impl.config.port) ? impl.config.port : -1;
    }
    if (impl.port <= 0) {
        error = "cannot listen on " + host + ":" + std::to_string(impl.config.port)
            + " (port taken?)";
        return false;
    }
    impl.thread = std::thread([&server] { server.listen_after_bind(); });
    // Until the loop runs, stop() would find nothing to stop and the thread would never end.
    for (int waited = 0; !server.is_running() && waited < 2000; ++waited)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
}

int LlmServer::port() const
{
    return m_impl->port;
}

void LlmServer::stop()
{
    m_impl->stopping = true;
    m_impl->server.stop();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

} // namespace tt::llm
