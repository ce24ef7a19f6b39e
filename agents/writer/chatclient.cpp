// SPDX-License-Identifier: MIT
#include "chatclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <map>

namespace tt::writer {

using nlohmann::json;

namespace {

// Joins streamed chunks into the message a non-streamed answer would have carried.
class StreamAssembler
{
public:
    // Returns false when an event is not valid JSON (a cut stream).
    bool feed(const QByteArray& data)
    {
        if (data == "[DONE]") {
            m_done = true;
            return true;
        }
        const json chunk
            = json::parse(data.constData(), data.constData() + data.size(), nullptr, false);
        if (chunk.is_discarded() || !chunk.is_object())
            return false;
        if (chunk.contains("usage") && chunk.at("usage").is_object()) {
            m_promptTokens = chunk.at("usage").value("prompt_tokens", 0);
            m_completionTokens = chunk.at("usage").value("completion_tokens", 0);
        }
        if (!chunk.contains("choices") || !chunk.at("choices").is_array()
            || chunk.at("choices").empty())
            return true;
        const json& choice = chunk.at("choices").at(0);
        if (choice.contains("finish_reason") && choice.at("finish_reason").is_string())
            m_finishReason = choice.at("finish_reason").get<std::string>();
        if (!choice.contains("delta") || !choice.at("delta").is_object())
            return true;
        const json& delta = choice.at("delta");
        if (delta.contains("content") && delta.at("content").is_string()) {
            m_content += delta.at("content").get<std::string>();
            m_hasContent = true;
        }
        if (delta.contains("tool_calls") && delta.at("tool_calls").is_array())
            for (const json& call : delta.at("tool_calls")) {
                ToolCall& target = m_calls[call.value("index", 0)];
                if (call.contains("id") && call.at("id").is_string())
                    target.id = call.at("id").get<std::string>();
                if (call.contains("function") && call.at("function").is_object()) {
                    const json& function = call.at("function");
                    if (function.contains("name") && function.at("name").is_string())
                        target.name += function.at("name").get<std::string>();
                    if (function.contains("arguments") && function.at("arguments").is_string())
                        target.arguments += function.at("arguments").get<std::string>();
                }
            }
        return true;
    }

    bool done() const { return m_done; }

    void finish(ChatResult& result) const
    {
        json message = { { "role", "assistant" } };
        message["content"] = m_hasContent ? json(m_content) : json(nullptr);
        if (!m_calls.empty()) {
            json calls = json::array();
            for (const auto& [index, call] : m_calls)
                calls.push_back({ { "id", call.id }, { "type", "function" },
                    { "function", { { "name", call.name }, { "arguments", call.arguments } } } });
            message["tool_calls"] = calls;
        }
        result.assistant = message;
        result.finishReason = QString::fromStdString(m_finishReason);
        result.promptTokens = m_promptTokens;
        result.completionTokens = m_completionTokens;
    }

private:
    struct ToolCall
    {
        std::string id, name, arguments;
    };
    std::map<int, ToolCall> m_calls;
    std::string m_content;
    std::string m_finishReason;
    bool m_hasContent = false;
    bool m_done = false;
    int m_promptTokens = 0;
    int m_completionTokens = 0;
};

bool retryableStatus(int status)
{
    return status == 408 || status == 409 || status == 429 || status >= 500;
}

} // namespace

ChatClient::ChatClient(QString baseUrl, RetryPolicy policy)
    : m_baseUrl(std::move(baseUrl))
    , m_policy(policy)
    , m_nam(std::make_unique<QNetworkAccessManager>())
    , m_jitterState(policy.jitterSeed * 0x9e3779b97f4a7c15ull + 1)
{
    // Headers set here may carry a key: no redirect takes them to another host.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    while (m_baseUrl.endsWith(QLatin1Char('/')))
        m_baseUrl.chop(1);
}

ChatClient::~ChatClient() = default;

void ChatClient::setHeader(const QByteArray& name, const QByteArray& value)
{
    m_headers.append({ name, value });
}

double ChatClient::retryDelayMs(int retriesTaken, const QByteArray& retryAfter)
{
    // retry-after in seconds or as an HTTP date, obeyed between 0 and 60 s.
    if (!retryAfter.isEmpty()) {
        bool isNumber = false;
        double seconds = retryAfter.trimmed().toDouble(&isNumber);
        if (!isNumber) {
            const QDateTime when
                = QDateTime::fromString(QString::fromLatin1(retryAfter.trimmed()), Qt::RFC2822Date);
            seconds = when.isValid() ? double(QDateTime::currentDateTimeUtc().msecsTo(when)) / 1000
                                     : -1;
        }
        if (seconds > 0 && seconds <= 60)
            return seconds * 1000;
    }
    const double sleep = std::min(
        m_policy.initialDelaySeconds * std::pow(2.0, retriesTaken), m_policy.maxDelaySeconds);
    m_jitterState ^= m_jitterState << 13;
    m_jitterState ^= m_jitterState >> 7;
    m_jitterState ^= m_jitterState << 17;
    const double random = double(m_jitterState >> 11) / double(1ull << 53);
    return std::max(0.0, sleep * (1 - 0.25 * random) * 1000);
}

ChatResult ChatClient::attempt(const QByteArray& body, bool stream, QByteArray& retryAfter)
{
    QNetworkRequest request(QUrl(m_baseUrl + QStringLiteral("/v1/chat/completions")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto& [name, value] : m_headers)
        request.setRawHeader(name, value);
    // No byte for this long is a timeout, as httpx's read timeout (per read, not per request).
    request.setTransferTimeout(int(m_policy.timeoutSeconds * 1000));
    QNetworkReply* reply = m_nam->post(request, body);

    ChatResult result;
    StreamAssembler assembler;
    QByteArray pending;
    bool malformedEvent = false;
    auto consumeEvents = [&]() {
        if (reply->isOpen())
            pending += reply->readAll();
        qsizetype end;
        while ((end = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.left(end).trimmed();
            pending.remove(0, end + 1);
            if (line.startsWith("data:") && !assembler.feed(line.mid(5).trimmed()))
                malformedEvent = true;
        }
    };
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (stream)
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&]() {
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                consumeEvents();
        });
    if (!reply->isFinished())
        loop.exec();

    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    retryAfter = reply->rawHeader("retry-after-ms").isEmpty()
        ? reply->rawHeader("Retry-After")
        : QByteArray::number(reply->rawHeader("retry-after-ms").toDouble() / 1000);
    const QNetworkReply::NetworkError error = reply->error();
    const QByteArray shouldRetry = reply->rawHeader("x-should-retry");
    const QString errorText = reply->errorString();
    QByteArray rest
        = (stream && result.status == 200) || !reply->isOpen() ? QByteArray() : reply->readAll();
    if (stream && result.status == 200)
        consumeEvents();
    reply->deleteLater();

    if (error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError) {
        result.failure = ChatResult::Failure::Timeout;
        result.error = QStringLiteral("timed out: no data for %1 s").arg(m_policy.timeoutSeconds);
    } else if (result.status >= 400) {
        result.failure = ChatResult::Failure::Http;
        const json parsed
            = json::parse(rest.constData(), rest.constData() + rest.size(), nullptr, false);
        QString detail = QString::fromUtf8(rest.left(300));
        if (parsed.is_object() && parsed.contains("error") && parsed.at("error").is_object())
            detail = QString::fromStdString(parsed.at("error").value("message", std::string()));
        result.error = QStringLiteral("HTTP %1: %2").arg(result.status).arg(detail);
    } else if (error != QNetworkReply::NoError) {
        result.failure = ChatResult::Failure::Connection;
        result.error = QStringLiteral("connection error: %1").arg(errorText);
    } else if (stream) {
        if (malformedEvent || !assembler.done()) {
            result.failure = ChatResult::Failure::Malformed;
            result.error = malformedEvent ? QStringLiteral("a streamed event is not valid JSON")
                                          : QStringLiteral("the stream ended without [DONE]");
        }
        assembler.finish(result);
    } else {
        const json parsed
            = json::parse(rest.constData(), rest.constData() + rest.size(), nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object()) {
            result.failure = ChatResult::Failure::Malformed;
            result.error = QStringLiteral("the answer is not JSON");
        } else if (!parsed.contains("choices") || !parsed.at("choices").is_array()
            || parsed.at("choices").empty() || !parsed.at("choices").at(0).contains("message")) {
            result.failure = ChatResult::Failure::Malformed;
            result.error = QStringLiteral("the answer has no choices");
        } else {
            const json& choice = parsed.at("choices").at(0);
            result.assistant = choice.at("message");
            result.finishReason
                = QString::fromStdString(choice.value("finish_reason", std::string()));
            if (parsed.contains("usage") && parsed.at("usage").is_object()) {
                result.promptTokens = parsed.at("usage").value("prompt_tokens", 0);
                result.completionTokens = parsed.at("usage").value("completion_tokens", 0);
            }
        }
    }
    if (shouldRetry == "true" || shouldRetry == "false")
        result.serverSaysRetry = shouldRetry == "true";
    return result;
}

ChatResult ChatClient::complete(
    const json& request, const std::function<void(const RetryNotice&)>& onRetry)
{
    const QByteArray body
        = QByteArray::fromStdString(request.dump(-1, ' ', false, json::error_handler_t::replace));
    const bool stream = request.value("stream", false);
    QElapsedTimer timer;
    timer.start();
    for (int retriesTaken = 0;; ++retriesTaken) {
        QByteArray retryAfter;
        ChatResult result = attempt(body, stream, retryAfter);
        result.attempts = retriesTaken + 1;
        result.elapsedMs = double(timer.nsecsElapsed()) / 1e6;
        const bool retryable = result.failure != ChatResult::Failure::Malformed
            && result.serverSaysRetry.value_or(
                (result.failure == ChatResult::Failure::Http && retryableStatus(result.status))
                || result.failure == ChatResult::Failure::Connection
                || result.failure == ChatResult::Failure::Timeout);
        if (result.ok() || !retryable || retriesTaken >= m_policy.maxRetries)
            return result;
        const double delay = retryDelayMs(retriesTaken, retryAfter);
        if (onRetry)
            onRetry({ retriesTaken + 1, result.error, delay });
        QThread::usleep(static_cast<unsigned long>(delay * 1000));
    }
}

} // namespace tt::writer
