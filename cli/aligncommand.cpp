// SPDX-License-Identifier: MIT
#include "commands.h"
#include "report.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tt::cli {

int alignCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lines two runs up step by step: same, slower, faster, only on one side."));
    parser.addPositionalArgument(
        QStringLiteral("A"), QStringLiteral("The left run (file or folder)."));
    parser.addPositionalArgument(
        QStringLiteral("B"), QStringLiteral("The right run (file or folder)."));
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print JSON.") });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace align")) + arguments)) {
        std::fprintf(stderr, "twintrace align: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QStringList runs = parser.positionalArguments();
    if (runs.size() != 2) {
        std::fprintf(stderr, "twintrace align: expected two runs, A and B\n");
        return 2;
    }
    const auto left = importSources({ runs[0].toStdString() }, importers::Format::Auto);
    const auto right = importSources({ runs[1].toStdString() }, importers::Format::Auto);
    for (const auto* side : { &left, &right }) {
        if (side->traces.empty()) {
            const auto& name = side == &left ? runs[0] : runs[1];
            std::fprintf(stderr, "twintrace align: nothing could be read from %s%s%s\n",
                qPrintable(name), side->warnings.empty() ? "" : ": ",
                side->warnings.empty() ? "" : side->warnings.front().message.c_str());
            return 2;
        }
    }
    const auto leftSteps = runViewOf(left, runs[0].toStdString()).steps();
    const auto rightSteps = runViewOf(right, runs[1].toStdString()).steps();
    const auto rows = timeline::alignSteps(leftSteps, rightSteps);
    if (parser.isSet(QStringLiteral("json")))
        printJson(alignJson(leftSteps, rightSteps, rows));
    else
        std::fputs(alignText(leftSteps, rightSteps, rows).c_str(), stdout);
    return 0;
}

} // namespace tt::cli
