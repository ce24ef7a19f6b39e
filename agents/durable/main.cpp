// SPDX-License-Identifier: MIT
// twintrace-writer-restate: the team's Writer as a Restate service (WriterAgentRestate/run),
// served on 127.0.0.1 over HTTP/2 with a bidirectional stream per attempt (the default, as
// Restate's SDKs), or over HTTP/1.1 in request-response mode with --transport h1. Prints one JSON
// line when it listens, then progress lines; stops on SIGTERM or SIGINT.
#include "agents/durable/durablewriter.h"
#include "agents/writer/commandline.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <mutex>
#include <pthread.h>

using namespace tt;

namespace {

QElapsedTimer g_clock;
std::mutex g_outputLock;

void emitLine(nlohmann::json line)
{
    line["t_ms"] = double(g_clock.nsecsElapsed()) / 1e6;
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard<std::mutex> guard(g_outputLock);
    std::fprintf(stdout, "%s\n", text.c_str());
    std::fflush(stdout);
}

int fail(const QString& message)
{
    std::fprintf(stderr, "twintrace-writer-restate: %s\n", qPrintable(message));
    return 2;
}

// POST {admin}/deployments {"uri", "use_http_11"}: without the flag the runtime speaks h2c with
// prior knowledge, with it HTTP/1.1; "" or the reason it failed.
QString registerWith(const QString& adminUrl, const QString& uri, bool http11)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(adminUrl + QStringLiteral("/deployments")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(30000);
    const nlohmann::json body
        = { { "uri", uri.toStdString() }, { "use_http_11", http11 }, { "force", true } };
    QNetworkReply* reply = manager.post(request, QByteArray::fromStdString(body.dump()));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    reply->deleteLater();
    if (status / 100 == 2)
        return {};
    return QStringLiteral("registering %1 at %2 failed: HTTP %3 %4")
        .arg(uri, adminUrl)
        .arg(status)
        .arg(QString::fromUtf8(answer.left(500)));
}

bool readMs(const QCommandLineParser& parser, const QString& name, std::optional<int64_t>& out,
    QString& error)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < 0) {
        error = QStringLiteral("--%1: expected milliseconds >= 0").arg(name);
        return false;
    }
    out = value;
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    g_clock.start();
    // SIGTERM and SIGINT are taken by sigwait below; every thread started later inherits the mask.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("twintrace-writer-restate"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The team's Writer as the Restate service WriterAgentRestate (handler run), each LLM "
        "call, read_multiple_files and save_report a durable step. Input: {query, temp_dir, "
        "files[], output_dir, run_id?, traces?: {openai, langsmith, trace_log}}."));
    parser.addOptions({
        { QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (0: a free one)."),
            QStringLiteral("PORT"), QStringLiteral("9080") },
        { QStringLiteral("register"),
            QStringLiteral("Register this endpoint with Restate's admin API at URL."),
            QStringLiteral("URL") },
        { QStringLiteral("retry-initial-ms"),
            QStringLiteral("Restate's first retry delay for a failed step."),
            QStringLiteral("MS") },
        { QStringLiteral("retry-max-interval-ms"), QStringLiteral("Restate's longest retry delay."),
            QStringLiteral("MS") },
        { QStringLiteral("retry-factor"), QStringLiteral("Growth of the delay per retry."),
            QStringLiteral("X") },
        { QStringLiteral("retry-max-attempts"),
            QStringLiteral("Attempts before Restate gives up (see --on-max-attempts)."),
            QStringLiteral("N") },
        { QStringLiteral("on-max-attempts"), QStringLiteral("pause (Restate's default) or kill."),
            QStringLiteral("WHAT") },
        { QStringLiteral("transport"),
            QStringLiteral("h2: HTTP/2, one bidirectional stream per attempt (default); h1: "
                           "HTTP/1.1 in request-response mode, one request per step."),
            QStringLiteral("h2|h1"), QStringLiteral("h2") },
        { QStringLiteral("verbose"), QStringLiteral("Log every attempt.") },
        { QStringLiteral("capture-dir"),
            QStringLiteral("Write every request and answer of the protocol there (binary)."),
            QStringLiteral("DIR") },
    });
    writer::addWriterOptions(parser);
    parser.addHelpOption();
    parser.process(app);

    durable::DurableWriterOptions options;
    QString error;
    if (!writer::readWriterOptions(parser, options.writer, error))
        return fail(error);
    restate::RetryPolicy& retry = options.retry;
    if (!readMs(parser, QStringLiteral("retry-initial-ms"), retry.initialIntervalMs, error)
        || !readMs(parser, QStringLiteral("retry-max-interval-ms"), retry.maxIntervalMs, error))
        return fail(error);
    bool ok = true;
    if (parser.isSet(QStringLiteral("retry-factor"))) {
        retry.exponentiationFactor = parser.value(QStringLiteral("retry-factor")).toDouble(&ok);
        if (!ok || *retry.exponentiationFactor < 1)
            return fail(QStringLiteral("--retry-factor: expected a number >= 1"));
    }
    if (parser.isSet(QStringLiteral("retry-max-attempts"))) {
        retry.maxAttempts = parser.value(QStringLiteral("retry-max-attempts")).toInt(&ok);
        if (!ok || *retry.maxAttempts < 1)
            return fail(QStringLiteral("--retry-max-attempts: expected a number >= 1"));
    }
    if (parser.isSet(QStringLiteral("on-max-attempts"))) {
        const QString what = parser.value(QStringLiteral("on-max-attempts"));
        if (what != QLatin1String("pause") && what != QLatin1String("kill"))
            return fail(QStringLiteral("--on-max-attempts: expected pause or kill"));
        retry.pauseOnMaxAttempts = what == QLatin1String("pause");
    }
    const int port = parser.value(QStringLiteral("port")).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return fail(QStringLiteral("--port: expected a port number"));
    spdlog::set_level(
        parser.isSet(QStringLiteral("verbose")) ? spdlog::level::debug : spdlog::level::info);
    options.progress = emitLine;

    const std::optional<restate::Transport> transport
        = restate::transportFromString(parser.value(QStringLiteral("transport")).toStdString());
    if (!transport)
        return fail(QStringLiteral("--transport: expected h2 or h1"));
    restate::Endpoint::Options endpointOptions;
    endpointOptions.port = port;
    endpointOptions.transport = *transport;
    endpointOptions.captureDir = parser.value(QStringLiteral("capture-dir")).toStdString();
    restate::Endpoint endpoint(endpointOptions);
    endpoint.addService(durable::writerService(options));
    std::string bindError;
    if (!endpoint.start(bindError))
        return fail(QString::fromStdString(bindError));
    const QString url = QString::fromStdString(endpoint.url());
    if (parser.isSet(QStringLiteral("register"))) {
        const QString problem = registerWith(
            parser.value(QStringLiteral("register")), url, *transport == restate::Transport::Http1);
        if (!problem.isEmpty())
            return fail(problem);
    }
    emitLine({ { "event", "listening" }, { "url", url.toStdString() }, { "port", endpoint.port() },
        { "service", "WriterAgentRestate" }, { "handler", "run" },
        { "transport", std::string(restate::toString(*transport)) } });

    int signal = 0;
    sigwait(&stopSignals, &signal);
    endpoint.stop();
    // What the runtime asked of it: over HTTP/2 one attempt runs a whole invocation, over HTTP/1.1
    // each step costs one more.
    const restate::Endpoint::Counters& counters = endpoint.counters();
    emitLine({ { "event", "stopped" }, { "signal", signal },
        { "attempts", counters.attempts.load() }, { "outputs", counters.outputs.load() },
        { "suspensions", counters.suspensions.load() }, { "errors", counters.errors.load() } });
    return 0;
}
