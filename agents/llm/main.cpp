// SPDX-License-Identifier: MIT
// twintrace-llm --listen 127.0.0.1:PORT [--scenario FILE] [--seed N] [--upstream URL] [--log FILE]
#include "agents/llm/server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <csignal>
#include <cstdio>

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "twintrace-llm: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("twintrace-llm"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "An OpenAI-compatible LLM stand-in that plays the Writer's conversation and injects the "
        "faults of a scenario; with --upstream, a proxy that injects them in front of a real "
        "server."));
    parser.addOptions({
        { QStringLiteral("listen"),
            QStringLiteral("Address to listen on (127.0.0.1 only; port 0 = any free port)."),
            QStringLiteral("127.0.0.1:PORT"), QStringLiteral("127.0.0.1:0") },
        { QStringLiteral("scenario"), QStringLiteral("Fault plan (JSON, see resources/scenarios)."),
            QStringLiteral("FILE") },
        { QStringLiteral("seed"), QStringLiteral("Seed (overrides the scenario's)."),
            QStringLiteral("N") },
        { QStringLiteral("upstream"),
            QStringLiteral("Forward to this OpenAI-compatible server, e.g. http://127.0.0.1:8002."),
            QStringLiteral("URL") },
        { QStringLiteral("log"), QStringLiteral("Append one JSON line per request to FILE."),
            QStringLiteral("FILE") },
        { QStringLiteral("time-scale"),
            QStringLiteral("Multiply the modelled latency (0 = answer at once)."),
            QStringLiteral("F") },
        { QStringLiteral("model"), QStringLiteral("Model name to report."), QStringLiteral("NAME"),
            QStringLiteral("gpt-oss-20b") },
    });
    parser.addHelpOption();
    parser.process(app);

    tt::llm::ServerConfig config;
    const QString listen = parser.value(QStringLiteral("listen"));
    const int colon = int(listen.lastIndexOf(QLatin1Char(':')));
    bool portOk = false;
    config.host = listen.left(colon).toStdString();
    config.port = listen.mid(colon + 1).toInt(&portOk);
    if (colon < 0 || !portOk || config.port < 0 || config.port > 65535)
        return fail(QStringLiteral("--listen %1: expected 127.0.0.1:PORT").arg(listen));
    if (parser.isSet(QStringLiteral("scenario"))) {
        const QString path = parser.value(QStringLiteral("scenario"));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("%1: %2").arg(path, file.errorString()));
        std::string error;
        auto scenario
            = tt::llm::parseScenario(file.readAll().toStdString(), path.toStdString(), error);
        if (!scenario)
            return fail(QString::fromStdString(error));
        config.scenario = *scenario;
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        config.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--seed: expected a non-negative integer"));
    }
    if (parser.isSet(QStringLiteral("time-scale"))) {
        bool ok = false;
        config.scenario.latency.scale = parser.value(QStringLiteral("time-scale")).toDouble(&ok);
        if (!ok || config.scenario.latency.scale < 0)
            return fail(QStringLiteral("--time-scale: expected a number >= 0"));
    }
    config.upstream = parser.value(QStringLiteral("upstream")).toStdString();
    config.logPath = parser.value(QStringLiteral("log")).toStdString();
    config.model = parser.value(QStringLiteral("model")).toStdString();

    // Block the stop signals before the server's threads start, then wait for one here.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    tt::llm::LlmServer server(config);
    std::string error;
    if (!server.start(error))
        return fail(QString::fromStdString(error));
    std::printf("twintrace-llm listening on http://127.0.0.1:%d (scenario %s, seed %llu%s%s)\n",
        server.port(), config.scenario.name.c_str(),
        static_cast<unsigned long long>(config.seed.value_or(config.scenario.seed)),
        config.upstream.empty() ? "" : ", upstream ", config.upstream.c_str());
    std::fflush(stdout);
    int received = 0;
    sigwait(&stopSignals, &received);
    server.stop();
    return 0;
}
