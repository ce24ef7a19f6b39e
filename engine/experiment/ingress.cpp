// SPDX-License-Identifier: MIT
#include "ingress.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStringList>
#include <QThread>

#include <algorithm>

namespace tt::engine {

namespace {

// One try's answer in the words an operator would use.
QString describe(QNetworkReply& reply, int status)
{
    if (status > 0)
        return QStringLiteral("HTTP %1").arg(status);
    switch (reply.error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("no answer");
    default:
        return reply.errorString();
    }
}

// "connection refused x9, HTTP 503 x2, then HTTP 200"
QString summarize(const QStringList& answers)
{
    QStringList runs;
    for (int i = 0; i < answers.size();) {
        int j = i;
        while (j < answers.size() && answers.at(j) == answers.at(i))
            ++j;
        runs << (j - i > 1 ? QStringLiteral("%1 x%2").arg(answers.at(i)).arg(j - i)
                           : answers.at(i));
        i = j;
    }
    if (runs.size() > 1)
        runs.last().prepend(QStringLiteral("then "));
    return runs.join(QStringLiteral(", "));
}

} // namespace

IngressSubmission submitPatiently(const QString& url, const QByteArray& body,
    const QList<QPair<QByteArray, QByteArray>>& headers, const QElapsedTimer& clock,
    const IngressPatience& patience, const std::atomic<bool>* cancel)
{
    IngressSubmission result;
    QStringList answers;
    QNetworkAccessManager network;
    int waitMs = patience.retryInitialMs;
    for (;;) {
        QNetworkRequest request { QUrl(url) };
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Accept", QByteArrayLiteral("application/json"));
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        request.setTransferTimeout(10000);
        QNetworkReply* reply = network.post(request, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        ++result.attempts;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->isOpen() ? reply->readAll() : QByteArray(); // not open: no answer
        answers << describe(*reply, result.status);
        reply->deleteLater();
        if (result.status / 100 == 2) {
            result.acceptedAtMs = double(clock.nsecsElapsed()) / 1e6;
            break;
        }
        const bool worthAnotherTry = result.status == 0 || result.status >= 500;
        if (!worthAnotherTry || clock.elapsed() + waitMs > patience.patienceMs
            || (cancel && cancel->load()))
            break;
        QThread::msleep(ulong(waitMs));
        waitMs = std::min(waitMs * 2, patience.retryMaxMs);
    }
    result.seen = summarize(answers);
    return result;
}

} // namespace tt::engine
