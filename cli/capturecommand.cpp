// SPDX-License-Identifier: MIT
// twintrace capture: the OpenAI ingest and LangSmith run endpoints on 127.0.0.1, written to files
// the importers (and the window) read, until Ctrl-C.
#include "commands.h"

#include "importers/capture/captureserver.h"

#include <QCommandLineParser>
#include <QThread>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace tt::cli {

namespace {
std::atomic<bool> g_stop { false };
void onStop(int)
{
    g_stop = true;
}
} // namespace

int captureCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Receives the traces the team's Writers send while an experiment runs: point the "
        "OpenAI Agents SDK's exporter at http://127.0.0.1:PORT/v1/traces/ingest and LangSmith's "
        "LANGSMITH_ENDPOINT at http://127.0.0.1:PORT. Each item is appended to DIR/openai.jsonl "
        "or DIR/langsmith.jsonl as it arrives; headers (and keys) are never written."));
    parser.addOptions({
        { QStringLiteral("listen"), QStringLiteral("127.0.0.1:PORT (default 127.0.0.1:4318)."),
            QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1:4318") },
        { QStringLiteral("out"), QStringLiteral("Where the files go (default captured)."),
            QStringLiteral("DIR"), QStringLiteral("captured") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace capture")) + arguments)) {
        std::fprintf(stderr, "twintrace capture: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QString listen = parser.value(QStringLiteral("listen"));
    const int colon = int(listen.lastIndexOf(QLatin1Char(':')));
    bool ok = false;
    const int port = listen.mid(colon + 1).toInt(&ok);
    if (colon < 0 || !ok || port < 0 || port > 65535
        || listen.left(colon) != QLatin1String("127.0.0.1")) {
        std::fprintf(stderr,
            "twintrace capture: --listen: expected 127.0.0.1:PORT (traces carry prompts and "
            "outputs: loopback only)\n");
        return 2;
    }
    importers::capture::CaptureServer server;
    std::string error;
    if (!server.start(port, parser.value(QStringLiteral("out")).toStdString(), error)) {
        std::fprintf(stderr, "twintrace capture: %s\n", error.c_str());
        return 2;
    }
    std::signal(SIGINT, onStop);
    std::signal(SIGTERM, onStop);
    std::printf("capturing on %s -> %s (Ctrl-C stops)\n", server.url().c_str(),
        qPrintable(parser.value(QStringLiteral("out"))));
    std::printf("  OpenAI Agents SDK: %s/v1/traces/ingest\n  LangSmith: %s (/runs/batch, "
                "/runs/multipart)\n",
        server.url().c_str(), server.url().c_str());
    std::fflush(stdout);
    importers::capture::CaptureServer::Counts last;
    while (!g_stop) {
        QThread::msleep(200);
        const auto now = server.counts();
        if (now.openAiItems != last.openAiItems || now.langSmithRuns != last.langSmithRuns
            || now.rejected != last.rejected) {
            std::printf("  %d OpenAI items, %d LangSmith runs, %d bodies refused\n",
                now.openAiItems, now.langSmithRuns, now.rejected);
            std::fflush(stdout);
            last = now;
        }
    }
    server.stop();
    const auto final = server.counts();
    std::printf("stopped: %d OpenAI items, %d LangSmith runs, %d bodies refused\n",
        final.openAiItems, final.langSmithRuns, final.rejected);
    return 0;
}

} // namespace tt::cli
