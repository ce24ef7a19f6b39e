// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace tt::writer {

// The retry behaviour of the official OpenAI Python client's defaults, checked in
// openai-python src/openai/_constants.py and src/openai/_base_client.py (commit 0444895):
// DEFAULT_MAX_RETRIES = 2; DEFAULT_TIMEOUT = httpx.Timeout(600, connect=5.0);
// _should_retry(): an "x-should-retry: true/false" header decides, else 408, 409, 429 and >= 500
// are retried, as are connection errors and timeouts; _calculate_retry_timeout(): a
// "retry-after-ms" or "retry-after" header (seconds or an HTTP date) between 0 and 60 s is obeyed,
// else min(INITIAL_RETRY_DELAY 0.5 * 2^retries, MAX_RETRY_DELAY 8.0) * (1 - 0.25 * random()).
struct RetryPolicy
{
    int maxRetries = 2;
    double timeoutSeconds = 600; // per read: no byte for this long is a timeout
    double connectTimeoutSeconds = 5;
    double initialDelaySeconds = 0.5;
    double maxDelaySeconds = 8.0;
    uint64_t jitterSeed = 0; // the jitter is seeded so a run is repeatable
};

// The outcome of one chat completion after its retries.
struct ChatResult
{
    enum class Failure
    {
        None,
        Http,
        Connection,
        Timeout,
        Malformed
    };
    Failure failure = Failure::None;
    int status = 0;
    QString error; // why it failed, for people
    nlohmann::json assistant; // choices[0].message, rebuilt from the events when streamed
    QString finishReason;
    int promptTokens = 0;
    int completionTokens = 0;
    int attempts = 0; // 1 + retries
    // The server's "x-should-retry" header, which overrides the status-based decision.
    std::optional<bool> serverSaysRetry;
    double elapsedMs = 0;

    bool ok() const { return failure == Failure::None; }
};

// A retry about to happen: the engine and the progress lines count them.
struct RetryNotice
{
    int attempt = 0; // the attempt that failed, 1-based
    QString reason;
    double delayMs = 0;
};

// An OpenAI-compatible chat-completions client over Qt Network, blocking the calling thread on a
// local event loop (the Writer is a command-line agent, not a window).
class ChatClient
{
public:
    ChatClient(QString baseUrl, RetryPolicy policy);
    ~ChatClient();

    void setHeader(const QByteArray& name, const QByteArray& value);
    // POST {baseUrl}/v1/chat/completions; with "stream": true the server-sent events are joined
    // back into one message (content and tool calls) as the Python SDK's stream helpers do.
    ChatResult complete(
        const nlohmann::json& request, const std::function<void(const RetryNotice&)>& onRetry = {});

private:
    ChatResult attempt(const QByteArray& body, bool stream, QByteArray& retryAfter);
    double retryDelayMs(int retriesTaken, const QByteArray& retryAfter);

    QString m_baseUrl;
    RetryPolicy m_policy;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    uint64_t m_jitterState;
};

} // namespace tt::writer
