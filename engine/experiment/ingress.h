// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QPair>
#include <QString>

#include <atomic>

namespace tt::engine {

// How the client that hands a durable run to Restate's ingress copes with a server that does not
// answer (the catalog's "ingress_client").
struct IngressPatience
{
    int patienceMs = 30000; // from the first try; no try starts after it
    int retryInitialMs = 100; // the wait after the first failed try, doubling...
    int retryMaxMs = 1000; // ...up to this
};

// What the client saw: every try's answer, and the one that ended it.
struct IngressSubmission
{
    int status = 0; // the last answer's HTTP status (0: no answer at all)
    QByteArray body; // its body
    int attempts = 0;
    double acceptedAtMs = -1; // on the caller's clock; -1 when no try was accepted
    QString seen; // the answers in order, repeats counted: "connection refused x9, then HTTP 200"
};

// POSTs `body` to `url` until it is answered 2xx or 4xx (a 4xx will not change by trying again).
// No answer (connection refused, reset, timed out) and 5xx are tried again after a wait, within
// the patience counted on `clock`: safe because the request carries an idempotency key.
IngressSubmission submitPatiently(const QString& url, const QByteArray& body,
    const QList<QPair<QByteArray, QByteArray>>& headers, const QElapsedTimer& clock,
    const IngressPatience& patience, const std::atomic<bool>* cancel);

} // namespace tt::engine
