// SPDX-License-Identifier: MIT
#include "commands.h"
#include "report.h"

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

    const timeline::ImportResult result = importSources(sources, *format);
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
