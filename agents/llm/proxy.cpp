// SPDX-License-Identifier: MIT
// Proxy mode: forward to a real OpenAI-compatible server (llama.cpp on the DGX Spark) and apply
// the same fault plan in front of it.
#include "server_p.h"

#include "conversation.h"
#include "openaiformat.h"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace tt::llm {

using nlohmann::json;

namespace {

constexpr const char* kJson = "application/json";

httplib::Headers forwardedHeaders(const httplib::Request& request)
{
    httplib::Headers headers;
    for (const auto& [name, value] : request.headers) {
        // Hop-by-hop and framing headers are the client library's business, not ours.
        std::string lower = name;
        for (char& c : lower)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "host" || lower == "content-length" || lower == "connection"
            || lower == "transfer-encoding" || lower == "accept-encoding"
            || lower == "content-type")
            continue;
        headers.emplace(name, value);
    }
    return headers;
}

void countTokens(const json& body, LogEntry& entry)
{
    if (!body.is_object() || !body.contains("usage") || !body.at("usage").is_object())
        return;
    const json& usage = body.at("usage");
    entry.promptTokens = usage.value("prompt_tokens", entry.promptTokens);
    entry.completionTokens = usage.value("completion_tokens", entry.completionTokens);
}

// Rewrites a report's required headings away, line by line, as content deltas stream through.
class HeadingFilter
{
public:
    // Returns the events to send for one upstream event.
    std::vector<std::string> feed(const std::string& event)
    {
        std::vector<std::string> out;
        const std::string prefix = "data: ";
        if (event.rfind(prefix, 0) != 0) {
            out.push_back(event);
            return out;
        }
        json body = json::parse(event.substr(prefix.size()), nullptr, false);
        const json* delta = nullptr;
        if (body.is_object() && body.contains("choices") && body.at("choices").is_array()
            && !body.at("choices").empty() && body.at("choices")[0].contains("delta"))
            delta = &body.at("choices")[0].at("delta");
        const bool hasContent
            = delta && delta->contains("content") && delta->at("content").is_string();
        const bool finishing = body.is_discarded() || !delta
            || (body.at("choices")[0].contains("finish_reason")
                && !body.at("choices")[0].at("finish_reason").is_null());
        if (hasContent) {
            m_template = body;
            m_pending += delta->at("content").get<std::string>();
            const size_t lastNewline = m_pending.rfind('\n');
            if (lastNewline != std::string::npos) {
                emit(m_pending.substr(0, lastNewline + 1), out);
                m_pending.erase(0, lastNewline + 1);
            }
            return out;
        }
        if (finishing)
            flush(out);
        out.push_back(event);
        return out;
    }

private:
    void flush(std::vector<std::string>& out)
    {
        if (!m_pending.empty())
            emit(m_pending, out);
        m_pending.clear();
    }

    void emit(const std::string& text, std::vector<std::string>& out)
    {
        const std::string kept = withoutRequiredHeadings(text);
        if (kept.empty() || m_template.is_null())
            return;
        json body = m_template;
        body["choices"][0]["delta"]["content"] = kept;
        out.push_back(
            "data: " + body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n");
    }

    json m_template;
    std::string m_pending;
};

// The upstream's streamed answer, read on a worker thread and handed to the serving thread.
struct UpstreamStream
{
    std::mutex mutex;
    std::condition_variable changed;
    bool gotHeaders = false;
    bool finished = false;
    bool cancelled = false;
    int status = 0;
    std::string contentType;
    std::string retryAfter;
    std::string failure;
    std::deque<std::string> chunks;
};

} // namespace

void LlmServer::Impl::answerFromUpstream(const httplib::Request& request,
    httplib::Response& response, const Decision& decision, LogEntry entry)
{
    entry.upstream = true;
    const auto started = Clock::now();
    const double perTokenMs
        = decision.is(FaultKind::SlowTokens) ? 1000.0 / decision.fault->tokensPerSecond : 0;

    if (!entry.stream) {
        httplib::Client client(config.upstream);
        client.set_connection_timeout(10);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(3600);
        auto result = client.Post(entry.path, forwardedHeaders(request), request.body, kJson);
        if (!result) {
            response.status = 502;
            response.set_content(openai::error("upstream " + config.upstream
                                         + " unreachable: " + httplib::to_string(result.error()),
                                     "upstream_error"),
                kJson);
            entry.status = 502;
            log.write(entry);
            return;
        }
        std::string body = result->body;
        json parsed = json::parse(body, nullptr, false);
        countTokens(parsed, entry);
        if (result->status == 200 && decision.is(FaultKind::MissingHeadings) && parsed.is_object()
            && parsed.contains("choices")) {
            json& message = parsed["choices"][0]["message"];
            if (message.contains("content") && message["content"].is_string())
                message["content"] = withoutRequiredHeadings(message["content"].get<std::string>());
            body = parsed.dump(-1, ' ', false, json::error_handler_t::replace);
        }
        if (decision.is(FaultKind::TruncatedJson))
            body.resize(body.size() / 2);
        if (perTokenMs > 0)
            pause(perTokenMs * entry.completionTokens);
        response.status = result->status;
        if (result->has_header("Retry-After"))
            response.set_header("Retry-After", result->get_header_value("Retry-After"));
        response.set_content(body,
            result->get_header_value("Content-Type", 0).empty()
                ? std::string(kJson)
                : result->get_header_value("Content-Type"));
        entry.status = response.status;
        entry.firstByteMs = entry.durationMs = millisecondsSince(started);
        log.write(entry);
        return;
    }

    auto stream = std::make_shared<UpstreamStream>();
    std::thread([stream, upstream = config.upstream, path = entry.path,
                    headers = forwardedHeaders(request), body = request.body]() {
        httplib::Client client(upstream);
        client.set_connection_timeout(10);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(3600);
        httplib::Request forward;
        forward.method = "POST";
        forward.path = path;
        forward.headers = headers;
        forward.set_header("Content-Type", kJson);
        forward.body = body;
        forward.response_handler = [stream](const httplib::Response& r) {
            std::lock_guard lock(stream->mutex);
            stream->status = r.status;
            stream->contentType = r.get_header_value("Content-Type");
            stream->retryAfter = r.get_header_value("Retry-After");
            stream->gotHeaders = true;
            stream->changed.notify_all();
            return true;
        };
        forward.content_receiver = [stream](const char* data, size_t size, uint64_t, uint64_t) {
            std::lock_guard lock(stream->mutex);
            if (stream->cancelled)
                return false;
            stream->chunks.emplace_back(data, size);
            stream->changed.notify_all();
            return true;
        };
        httplib::Response answer;
        httplib::Error error = httplib::Error::Success;
        const bool ok = client.send(forward, answer, error);
        std::lock_guard lock(stream->mutex);
        if (!ok && !stream->cancelled)
            stream->failure = httplib::to_string(error);
        stream->finished = true;
        stream->changed.notify_all();
    }).detach();

    // Wait for the upstream's status before committing ours.
    {
        std::unique_lock lock(stream->mutex);
        while (!stream->gotHeaders && !stream->finished && !stopping)
            stream->changed.wait_for(lock, std::chrono::milliseconds(50));
        if (!stream->gotHeaders || stream->status != 200) {
            // An error status: relay it whole once the upstream is done.
            while (!stream->finished && !stopping)
                stream->changed.wait_for(lock, std::chrono::milliseconds(50));
            std::string body;
            for (const auto& chunk : stream->chunks)
                body += chunk;
            response.status = stream->gotHeaders ? stream->status : 502;
            if (!stream->gotHeaders)
                body = openai::error(
                    "upstream " + config.upstream + " unreachable: " + stream->failure,
                    "upstream_error");
            if (!stream->retryAfter.empty())
                response.set_header("Retry-After", stream->retryAfter);
            response.set_content(body, kJson);
            stream->cancelled = true;
            entry.status = response.status;
            log.write(entry);
            return;
        }
    }

    response.status = 200;
    entry.status = 200;
    struct Relay
    {
        LogEntry entry;
        std::string buffer; // bytes not yet split into events (only when a fault needs events)
        std::string tail; // the last few KB, for the usage event
        std::deque<std::string> ready;
        HeadingFilter headings;
        size_t events = 0;
        bool cut = false;
        bool done = false;
    };
    auto relay = std::make_shared<Relay>();
    relay->entry = std::move(entry);
    const bool perEvent = decision.is(FaultKind::SlowTokens)
        || decision.is(FaultKind::TruncatedJson) || decision.is(FaultKind::MissingHeadings);
    response.set_chunked_content_provider(
        stream->contentType.empty() ? std::string("text/event-stream") : stream->contentType,
        [this, stream, relay, perEvent, decision, perTokenMs, started](
            size_t, httplib::DataSink& sink) {
            // Take what the upstream sent so far (or learn that it finished).
            std::string incoming;
            bool finished = false;
            {
                std::unique_lock lock(stream->mutex);
                while (stream->chunks.empty() && !stream->finished && relay->ready.empty()) {
                    if (stopping || !sink.is_writable()) {
                        stream->cancelled = true;
                        return false;
                    }
                    stream->changed.wait_for(lock, std::chrono::milliseconds(20));
                }
                while (!stream->chunks.empty()) {
                    incoming += stream->chunks.front();
                    stream->chunks.pop_front();
                }
                finished = stream->finished;
            }
            if (relay->entry.firstByteMs == 0 && !incoming.empty())
                relay->entry.firstByteMs = millisecondsSince(started);
            // Usage comes in the last events: keep the stream's tail for the log.
            relay->tail += incoming;
            if (relay->tail.size() > 8192)
                relay->tail.erase(0, relay->tail.size() - 4096);
            if (!perEvent) {
                if (!incoming.empty() && !sink.write(incoming.data(), incoming.size())) {
                    std::lock_guard lock(stream->mutex);
                    stream->cancelled = true;
                    return false;
                }
            } else if (!relay->cut) {
                relay->buffer += incoming;
                size_t end;
                while ((end = relay->buffer.find("\n\n")) != std::string::npos) {
                    std::string event = relay->buffer.substr(0, end + 2);
                    relay->buffer.erase(0, end + 2);
                    if (decision.is(FaultKind::MissingHeadings))
                        for (auto& out : relay->headings.feed(event))
                            relay->ready.push_back(std::move(out));
                    else
                        relay->ready.push_back(std::move(event));
                }
                while (!relay->ready.empty() && !relay->cut) {
                    std::string event = std::move(relay->ready.front());
                    relay->ready.pop_front();
                    if (decision.is(FaultKind::TruncatedJson) && ++relay->events == 3) {
                        event.resize(event.size() / 2); // a third of the way in, cut mid-event
                        relay->cut = true;
                    }
                    if (decision.is(FaultKind::SlowTokens) && !pause(perTokenMs, &sink))
                        return false;
                    if (!sink.write(event.data(), event.size()))
                        return false;
                }
            }
            if (relay->cut || (finished && relay->ready.empty())) {
                std::lock_guard lock(stream->mutex);
                stream->cancelled = relay->cut;
                relay->done = true;
                sink.done();
            }
            return true;
        },
        [this, relay, started](bool success) {
            // Tokens from the upstream's usage event when it sent one.
            const std::string& tail = relay->tail;
            const size_t at = tail.rfind("\"usage\"");
            const size_t begin = at == std::string::npos ? at : tail.rfind("data: ", at);
            if (begin != std::string::npos) {
                const size_t end = tail.find("\n\n", at);
                const size_t length = end == std::string::npos ? end : end - begin - 6;
                countTokens(
                    json::parse(tail.substr(begin + 6, length), nullptr, false), relay->entry);
            }
            relay->entry.completed = success && relay->done && !relay->cut;
            relay->entry.durationMs = millisecondsSince(started);
            log.write(relay->entry);
        });
}

} // namespace tt::llm
