// SPDX-License-Identifier: MIT
// twintrace env: is this machine ready for an experiment? (DESIGN.md section 6)
#include "commands.h"
#include "report.h"

#include "engine/env/envcheck.h"
#include "engine/env/externalcheck.h"

#include <QCommandLineParser>
#include <QJsonDocument>

#include <cstdio>

namespace tt::cli {

int envCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Checks the Restate server (version, health, admin API, ingress, UI), the LLM endpoint "
        "(/v1/models), the GPU, free disk space and the versions the report lists. Without "
        "URLs it starts the pinned restate-server and the stand-in for a moment."));
    parser.addOptions({
        { QStringLiteral("restate-admin"),
            QStringLiteral("A running Restate server's admin URL (default: start one)."),
            QStringLiteral("URL") },
        { QStringLiteral("llm"),
            QStringLiteral("An OpenAI-compatible server, e.g. http://dgx-spark:8002 (default: "
                           "the stand-in)."),
            QStringLiteral("URL") },
        { QStringLiteral("out"), QStringLiteral("Where results would go (default plannings)."),
            QStringLiteral("DIR"), QStringLiteral("plannings") },
        { QStringLiteral("config"),
            QStringLiteral("A DGX Spark configuration (twintrace run --config): check every part "
                           "it names instead (baseline command, proxy port, LLM upstream, Restate "
                           "admin API, durable service)."),
            QStringLiteral("FILE") },
        { QStringLiteral("json"), QStringLiteral("Print JSON.") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace env")) + arguments)) {
        std::fprintf(stderr, "twintrace env: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    engine::EnvOptions options;
    options.restateAdminUrl = parser.value(QStringLiteral("restate-admin"));
    options.llmUrl = parser.value(QStringLiteral("llm"));
    options.outDir = parser.value(QStringLiteral("out"));
    std::vector<engine::EnvItem> items;
    if (parser.isSet(QStringLiteral("config"))) {
        QString error;
        const auto config
            = engine::loadExternalConfig(parser.value(QStringLiteral("config")), error);
        if (!config) {
            std::fprintf(stderr, "twintrace env: %s\n", qPrintable(error));
            return 2;
        }
        items = engine::checkExternal(*config);
    } else {
        items = engine::checkEnvironment(options);
    }
    bool ok = true;
    for (const auto& item : items)
        ok = ok && item.ok;
    if (parser.isSet(QStringLiteral("json"))) {
        std::fputs(QJsonDocument(engine::envJson(items)).toJson().constData(), stdout);
    } else {
        for (const auto& item : items) {
            std::printf("%s %-15s %s\n", item.ok ? "[ok]  " : "[FAIL]", qPrintable(item.title),
                qPrintable(item.value.isEmpty() ? item.reason : item.value));
            if (!item.value.isEmpty() && !item.reason.isEmpty())
                std::printf("       %-15s %s\n", "", qPrintable(item.reason));
            if (!item.ok && !item.fix.isEmpty())
                std::printf("       %-15s fix: %s\n", "", qPrintable(item.fix));
        }
    }
    return ok ? 0 : 1;
}

} // namespace tt::cli
