// SPDX-License-Identifier: MIT
// A durable run: the Writer's invocation sent through Restate's ingress and awaited there, its
// outcome read from the admin API, its journal counted, and the session's journals saved.
#include "session.h"

#include "engine/restate/restateserver.h"
#include "importers/restate/adminclient.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <limits>
#include <memory>

namespace tt::engine {

namespace {

QJsonObject firstRow(const QByteArray& answer)
{
    return QJsonDocument::fromJson(answer)
        .object()
        .value(QLatin1String("rows"))
        .toArray()
        .at(0)
        .toObject();
}

} // namespace

// The invocations of this session's durable runs, saved as one snapshot folder
// (importable with `twintrace import`): three queries per thousand runs.
void RunSession::saveJournals(QString& warning)
{
    importers::restate::AdminClient admin(adminUrl().toStdString());
    importers::restate::AdminFilter filter;
    filter.service = options.external ? options.external->durable.service.toStdString()
                                      : std::string("WriterAgentRestate");
    // Only this session's runs: the team's server holds other invocations too.
    for (const QString& id : invocations)
        filter.ids.push_back(id.toStdString());
    if (filter.ids.empty())
        return;
    const auto fetched = admin.fetch(filter);
    std::string error = fetched.error;
    if (fetched.complete)
        importers::restate::saveSnapshot(fetched.snapshot,
            QDir(options.outDir).filePath(QStringLiteral("restate/") + session).toStdString(),
            error);
    warning = QString::fromStdString(error);
}

QString RunSession::adminUrl() const
{
    return options.external ? options.external->durable.admin : restate->adminUrl();
}

QString RunSession::ingressUrl() const
{
    return options.external ? options.external->durable.ingress : restate->ingressUrl();
}

QByteArray RunSession::queryAdmin(const QString& sql, int& status, int timeoutMs) const
{
    const QByteArray body = QJsonDocument(
        QJsonObject { { QStringLiteral("query"),
            sql } }).toJson(QJsonDocument::Compact);
    return postJson(adminUrl() + QStringLiteral("/query"), body, status, timeoutMs);
}

QJsonObject RunSession::awaitInvocation(const RunPlan& plan, const QString& id,
    const QElapsedTimer& clock, qint64 limitMs, RunRecord& record, QString& error)
{
    const bool ours = !options.external;
    const auto stateRow = [&] {
        int status = 0;
        return firstRow(
            queryAdmin(QStringLiteral("SELECT status, completion_result, completion_failure, "
                                      "journal_size, last_failure FROM sys_invocation WHERE "
                                      "id = '%1'")
                           .arg(id),
                status, 5000));
    };
    // The ingress answers the attached request when the result is known: that moment stops the
    // clock, as the baseline's exit does. A paused invocation never answers, so its state is
    // looked at now and then; and a server that cannot attach falls back to reading the state.
    QNetworkAccessManager network;
    QNetworkRequest request(
        QUrl(ingressUrl() + QStringLiteral("/restate/invocation/%1/attach").arg(id)));
    request.setTransferTimeout(int(std::min<qint64>(limitMs, std::numeric_limits<int>::max())));
    QNetworkReply* attached = network.get(request);
    double knownAtMs = -1;
    bool attachFailed = false;
    QJsonObject answered; // the result as the attached request got it
    QEventLoop loop;
    QObject::connect(attached, &QNetworkReply::finished, &loop, [&] {
        const int status = attached->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // 200: the output; 4xx/5xx from the invocation: its terminal failure (the Writer's
        // terminal errors carry 400 or 422). No answer, 404/405 (a server without attach) or a
        // gateway's 502-504 say nothing about the run.
        if (status == 200
            || (status >= 400 && status != 404 && status != 405
                && (status < 502 || status > 504))) {
            knownAtMs = double(clock.nsecsElapsed()) / 1e6;
            // The same row sys_invocation would give once it catches up, without asking it
            // (a query, and a wait while it lags, on every run).
            const QString message = QJsonDocument::fromJson(attached->readAll())
                                        .object()
                                        .value(QLatin1String("message"))
                                        .toString();
            answered = { { QStringLiteral("status"), QStringLiteral("completed") },
                { QStringLiteral("completion_result"),
                    status == 200 ? QStringLiteral("success") : QStringLiteral("failure") },
                { QStringLiteral("completion_failure"),
                    status == 200 ? QString()
                                  : QStringLiteral("[%1] %2").arg(status).arg(message) } };
        } else
            attachFailed = true;
        loop.quit();
    });
    qint64 crashedAt = -1;
    RestateOutage outage(*this, plan, id);
    QElapsedTimer sinceLook;
    sinceLook.start();
    QJsonObject row;
    QTimer tick;
    tick.setInterval(20);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (cancelled() || clock.elapsed() > limitMs || !error.isEmpty())
            return loop.quit();
        if (ours && !plan.scenario.crashAt.isEmpty() && crashedAt < 0 && !endpoint.running()) {
            crashedAt = clock.elapsed();
            record.crashed = true;
            QThread::msleep(ulong(options.restartDelayMs));
            if (!startEndpoint({}, error, false))
                return loop.quit();
        }
        if (!outage.watch(clock, record, error))
            return loop.quit();
        if (sinceLook.elapsed() >= (attachFailed ? 5 : 250)) {
            sinceLook.restart();
            row = stateRow();
            const QString state = row.value(QLatin1String("status")).toString();
            if (state == QLatin1String("paused")
                || (attachFailed && state == QLatin1String("completed"))) {
                knownAtMs = double(clock.nsecsElapsed()) / 1e6;
                loop.quit();
            }
        }
    });
    tick.start();
    while (knownAtMs < 0 && !cancelled() && clock.elapsed() <= limitMs && error.isEmpty()) {
        loop.exec();
        if (attachFailed && attached) {
            attached->deleteLater();
            attached = nullptr;
        }
    }
    tick.stop();
    if (attached && !attached->isFinished()) {
        // Given up (cancelled, timed out): its answer is not read. abort() finishes the reply at
        // once, closed: the handler above would read a closed device.
        QObject::disconnect(attached, nullptr, &loop, nullptr);
        attached->abort();
    }
    record.wallMs = knownAtMs >= 0 ? knownAtMs : double(clock.nsecsElapsed()) / 1e6;
    if (record.crashed && knownAtMs >= 0)
        record.recoverMs = knownAtMs - double(crashedAt);
    if (outage.killedAtMs() >= 0 && knownAtMs >= 0)
        record.recoverMs = knownAtMs - outage.killedAtMs();
    if (!answered.isEmpty())
        return answered;
    // Known from the state (paused, or a server without attach): Restate's own view of it, read
    // once more (it may lag by a few ms).
    for (int look = 0; look < 50 && knownAtMs >= 0; ++look) {
        row = stateRow();
        const QString state = row.value(QLatin1String("status")).toString();
        if (state == QLatin1String("completed") || state == QLatin1String("paused"))
            break;
        QThread::msleep(20);
    }
    if (knownAtMs < 0)
        row = stateRow();
    return row;
}

RunRecord RunSession::runDurable(const RunPlan& plan, QString& error)
{
    RunRecord record;
    const ExternalConfig* external = options.external.get();
    // Ours: the endpoint (re)started as the scenario needs. The team's runs as it is.
    if (!external && (!plan.scenario.crashAt.isEmpty() || !endpoint.running())) {
        if (!startEndpoint(plan.scenario.crashAt, error))
            return record;
    }
    const QString target = external
        ? QStringLiteral("/%1/%2/send").arg(external->durable.service, external->durable.handler)
        : QStringLiteral("/WriterAgentRestate/run/send");
    const QJsonObject body = external
        ? substituteBody(external->durable.body, placeholders(plan), noteFiles())
        : writerInput(plan);
    // The engine's clock starts as the work is handed over: the ingress request sent. The
    // idempotency key keeps the result attachable by id, and makes trying again safe.
    // restate-down-at-start: the server goes down just before (restartloop.cpp).
    const int downMs = external ? 0 : plan.scenario.restateDownAtStartMs;
    QElapsedTimer down;
    if (downMs > 0) {
        restate->killHard();
        down.start();
        record.restateDownAtMs = double(QDateTime::currentMSecsSinceEpoch());
    }
    QElapsedTimer clock;
    clock.start();
    const QString url = ingressUrl() + target;
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const QList<QPair<QByteArray, QByteArray>> headers { { "idempotency-key",
        plan.runId.toUtf8() } };
    const IngressSubmission submitted = downMs > 0
        ? submitWhileRestateDown(url, json, headers, clock, down, downMs, record, error)
        : submitPatiently(url, json, headers, clock, ingressPatience(), cancel);
    if (!error.isEmpty())
        return record;
    record.ingressAttempts = submitted.attempts;
    record.ingressWaitMs = submitted.acceptedAtMs;
    record.ingressSeen = submitted.seen;
    const QString id = QJsonDocument::fromJson(submitted.body)
                           .object()
                           .value(QLatin1String("invocationId"))
                           .toString();
    if (submitted.status / 100 != 2 && downMs > 0) {
        // The server did not come back within the client's patience: the run never started.
        record.outcome = QStringLiteral("not_submitted");
        record.wallMs = double(clock.nsecsElapsed()) / 1e6;
        record.message = QStringLiteral("the ingress client gave up after %1 s: %2")
                             .arg(record.wallMs / 1000, 0, 'f', 1)
                             .arg(submitted.seen);
        return record;
    }
    if (submitted.status / 100 != 2 || id.isEmpty()) {
        error = QStringLiteral("the ingress refused the run: HTTP %1 %2 (%3)")
                    .arg(submitted.status)
                    .arg(QString::fromUtf8(submitted.body.left(300)), submitted.seen);
        return record;
    }
    if (!importers::restate::isInvocationId(id.toStdString())) {
        error = QStringLiteral("the ingress answered an unexpected invocation id \"%1\"").arg(id);
        return record;
    }
    record.invocationId = id;
    invocations << id;
    const qint64 limit = external
        ? std::min<qint64>(qint64(external->durable.timeoutS) * 1000, options.runTimeoutMs)
        : options.runTimeoutMs;
    const QJsonObject row = awaitInvocation(plan, id, clock, limit, record, error);
    if (!error.isEmpty())
        return record;
    const QString state = row.value(QLatin1String("status")).toString();
    if (state == QLatin1String("completed")) {
        record.success
            = row.value(QLatin1String("completion_result")).toString() == QLatin1String("success");
        record.outcome = record.success ? QStringLiteral("success") : QStringLiteral("failed");
        record.message = row.value(QLatin1String("completion_failure")).toString();
    } else if (state == QLatin1String("paused")) {
        record.outcome = QStringLiteral("paused");
        record.message
            = row.value(QLatin1String("last_failure")).toString().section(QLatin1Char('\n'), 0, 0);
    } else {
        record.outcome = cancelled() ? QStringLiteral("cancelled") : QStringLiteral("timeout");
        record.message
            = QStringLiteral("not finished after %1 s (status %2)").arg(limit / 1000).arg(state);
    }
    if (state != QLatin1String("completed")) { // leave nothing running behind
        int killStatus = 0;
        sendJson("PATCH",
            adminUrl() + QStringLiteral("/invocations/") + id + QStringLiteral("/kill"), {},
            killStatus, 10000);
    }
    if (downMs > 0 && record.success) {
        // Restate's failure began just before the run was handed over: recovery counts from it.
        const double killedBeforeMs = double(down.nsecsElapsed() - clock.nsecsElapsed()) / 1e6;
        record.recoverMs = record.wallMs + killedBeforeMs;
    }
    if ((!record.crashed && record.restateOutageMs < 0) || !record.success)
        record.recoverMs = -1;
    if (record.restateOutageMs >= 0 && record.message.isEmpty())
        record.message = downMs > 0
            ? QStringLiteral("restate-server down %1 ms from the submission (SIGKILL, restarted "
                             "on its data folder): the ingress client saw %2, accepted after %3 s")
                  .arg(record.restateOutageMs, 0, 'f', 0)
                  .arg(record.ingressSeen)
                  .arg(record.ingressWaitMs / 1000, 0, 'f', 1)
            : QStringLiteral("restate-server down %1 ms (SIGKILL at %2, restarted on "
                             "its data folder)")
                  .arg(record.restateOutageMs, 0, 'f', 0)
                  .arg(plan.scenario.restateCrashAt);
    fillLlm(record, plan.runId);
    return record;
}

void RunSession::countJournal(RunRecord& record) const
{
    int status = 0;
    const QString& id = record.invocationId;
    // Its journal's entries and Run commands (the durable steps); its failed attempts
    // (TransientError events) are the Restate retries, and those of the LLM step also cost LLM
    // requests (the endpoint down during a restart, or a tool failing once, cost none). One
    // query per run; the journals themselves are saved once for the whole experiment
    // (saveJournals), off the runs' path.
    const QJsonObject counts = firstRow(queryAdmin(
        QStringLiteral(
            "SELECT (SELECT count(*) FROM sys_journal WHERE id = '%1') AS entries, "
            "(SELECT count(*) FROM sys_journal WHERE id = '%1' AND entry_type = 'Command: Run') "
            "AS steps, (SELECT count(*) FROM sys_journal_events WHERE id = '%1' AND event_type = "
            "'TransientError') AS retries, (SELECT count(*) FROM sys_journal_events WHERE id = "
            "'%1' AND event_type = 'TransientError' AND event_json LIKE "
            "'%\"related_command_name\":\"call LLM\"%') AS llm")
            .arg(id),
        status, 5000));
    record.journalEntries = counts.value(QLatin1String("entries")).toInt();
    record.durableSteps = counts.value(QLatin1String("steps")).toInt();
    record.restateRetries = counts.value(QLatin1String("retries")).toInt();
    const int llmRetries = counts.value(QLatin1String("llm")).toInt();
    record.clientRetries = std::max(0, record.llmRequests - record.llmAnswered - llmRetries);
}

} // namespace tt::engine
