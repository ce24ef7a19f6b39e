// SPDX-License-Identifier: MIT
#include "commands.h"
#include "report.h"

#include "engine/experiment/divergence.h"
#include "engine/experiment/results.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tt::cli {

namespace {

const engine::RunRecord* findRun(const std::vector<engine::RunRecord>& runs,
    const QString& scenario, const QString& variant, int index)
{
    for (const engine::RunRecord& run : runs)
        if (run.scenario == scenario && run.variant == variant && run.runIndex == index)
            return &run;
    return nullptr;
}

nlohmann::json nullable(const QString& text)
{
    return text.isEmpty() ? nlohmann::json() : nlohmann::json(text.toStdString());
}

} // namespace

int explainCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Says where a scenario's baseline and durable runs part, and why."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The results folder."));
    parser.addOption(
        { QStringLiteral("scenario"), QStringLiteral("Scenario id."), QStringLiteral("ID") });
    parser.addOption({ QStringLiteral("run"), QStringLiteral("Run number (default 1)."),
        QStringLiteral("N"), QStringLiteral("1") });
    parser.addOption({ QStringLiteral("left"), QStringLiteral("Left variant (default baseline)."),
        QStringLiteral("VARIANT"), QStringLiteral("baseline") });
    parser.addOption({ QStringLiteral("right"), QStringLiteral("Right variant (default restate)."),
        QStringLiteral("VARIANT"), QStringLiteral("restate") });
    parser.addOption({ QStringLiteral("json"),
        QStringLiteral("Print {scenario, run, step, fault_kind, text}.") });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace explain")) + arguments)) {
        std::fprintf(stderr, "twintrace explain: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString scenario = parser.value(QStringLiteral("scenario"));
    bool numeric = false;
    const int index = parser.value(QStringLiteral("run")).toInt(&numeric);
    if (positional.size() != 1 || scenario.isEmpty() || !numeric) {
        std::fprintf(stderr, "twintrace explain: expected DIR --scenario ID [--run N]\n");
        return 2;
    }
    QString error;
    const auto results = engine::loadResults(positional.front(), error);
    if (!results) {
        std::fprintf(stderr, "twintrace explain: %s\n", qPrintable(error));
        return 2;
    }
    const QString leftVariant = parser.value(QStringLiteral("left"));
    const QString rightVariant = parser.value(QStringLiteral("right"));
    const engine::RunRecord* left = findRun(results->runs, scenario, leftVariant, index);
    const engine::RunRecord* right = findRun(results->runs, scenario, rightVariant, index);
    if (!left || !right) {
        std::fprintf(stderr, "twintrace explain: %s has no %s run %d of %s and %s\n",
            qPrintable(positional.front()), qPrintable(scenario), index, qPrintable(leftVariant),
            qPrintable(rightVariant));
        return 2;
    }
    const auto journals = engine::importExperimentJournals(results->dir);
    const auto divergence = engine::explainRuns(
        results->dir, *left, *right, journals, engine::readLlmLogs(results->dir));
    if (parser.isSet(QStringLiteral("json")))
        printJson({ { "scenario", scenario.toStdString() }, { "run", index },
            { "step", nullable(divergence.step) }, { "fault_kind", nullable(divergence.faultKind) },
            { "text", divergence.text.toStdString() } });
    else
        std::printf("%s\n", qPrintable(divergence.text));
    return 0;
}

} // namespace tt::cli
