// SPDX-License-Identifier: MIT
#include "commands.h"
#include "report.h"

#include "importers/common/timeparse.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tt::cli {

int importCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Imports traces and prints what was read."));
    parser.addPositionalArgument(QStringLiteral("SRC"),
        QStringLiteral("A file, a folder or an admin URL."), QStringLiteral("SRC..."));
    parser.addOption({ QStringLiteral("source"),
        QStringLiteral("auto, openai, langsmith, agentic-log, agentic-bench or restate."),
        QStringLiteral("FORMAT"), QStringLiteral("auto") });
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("Print JSON (DESIGN.md section 6).") });
    parser.addOptions({
        { QStringLiteral("service"), QStringLiteral("Admin URL: only this service."),
            QStringLiteral("NAME") },
        { QStringLiteral("handler"), QStringLiteral("Admin URL: only this handler."),
            QStringLiteral("NAME") },
        { QStringLiteral("status"),
            QStringLiteral("Admin URL: only these statuses (comma-separated: pending, scheduled, "
                           "running, backing-off, suspended, paused, completed)."),
            QStringLiteral("LIST") },
        { QStringLiteral("id"), QStringLiteral("Admin URL: this invocation (repeat)."),
            QStringLiteral("INV") },
        { QStringLiteral("since"), QStringLiteral("Admin URL: created at or after (ISO 8601)."),
            QStringLiteral("TIME") },
        { QStringLiteral("until"), QStringLiteral("Admin URL: created before (ISO 8601)."),
            QStringLiteral("TIME") },
        { QStringLiteral("save-snapshot"),
            QStringLiteral("Admin URL: keep the raw answers in this folder (re-import it later)."),
            QStringLiteral("DIR") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace import")) + arguments)) {
        std::fprintf(stderr, "twintrace import: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const auto format
        = importers::formatFromName(parser.value(QStringLiteral("source")).toStdString());
    if (!format) {
        std::fprintf(stderr,
            "twintrace import: unknown --source \"%s\" (expected auto, openai, "
            "langsmith, agentic-log, agentic-bench or restate)\n",
            qPrintable(parser.value(QStringLiteral("source"))));
        return 2;
    }
    std::vector<std::string> sources;
    for (const QString& source : parser.positionalArguments())
        sources.push_back(source.toStdString());
    if (sources.empty()) {
        std::fprintf(stderr, "twintrace import: name at least one file, folder or URL\n");
        return 2;
    }

    RestateImport restate;
    restate.filter.service = parser.value(QStringLiteral("service")).toStdString();
    restate.filter.handler = parser.value(QStringLiteral("handler")).toStdString();
    for (const QString& status :
        parser.value(QStringLiteral("status")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        restate.filter.statuses.push_back(status.trimmed().toStdString());
    for (const QString& id : parser.values(QStringLiteral("id")))
        restate.filter.ids.push_back(id.toStdString());
    for (const char* bound : { "since", "until" }) {
        const QString text = parser.value(QLatin1String(bound));
        if (text.isEmpty())
            continue;
        const auto ns = importers::parseTimestamp(text.toStdString());
        if (!ns) {
            std::fprintf(stderr, "twintrace import: --%s: expected an ISO 8601 time, got \"%s\"\n",
                bound, qPrintable(text));
            return 2;
        }
        (bound[0] == 's' ? restate.filter.createdFromMs : restate.filter.createdUntilMs)
            = *ns / 1000000;
    }
    restate.saveSnapshotTo = parser.value(QStringLiteral("save-snapshot")).toStdString();
    restate.progress = true;
    const timeline::ImportResult result = importSources(sources, *format, restate);
    if (parser.isSet(QStringLiteral("json")))
        printJson(importJson(result));
    else
        std::fputs(importText(result).c_str(), stdout);
    if (result.spanCount() == 0) {
        std::fprintf(stderr, "twintrace import: nothing could be read");
        if (!result.warnings.empty())
            std::fprintf(stderr, " (%s: %s)", result.warnings.front().source.c_str(),
                result.warnings.front().message.c_str());
        std::fputc('\n', stderr);
        return 2;
    }
    return 0;
}

} // namespace tt::cli
