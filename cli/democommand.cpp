// SPDX-License-Identifier: MIT
#include "cli.h"
#include "commands.h"
#include "report.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tt::cli {

// The main job until the experiment engine exists: import the bundled sample runs of the
// Writer (a clean run and one that met a rate limit) and line them up, as the window shows.
int demoCommand(const QStringList& arguments)
{
    const std::string dir = samplesDir().toStdString();
    const std::string left = dir + "/writer-clean";
    const std::string right = dir + "/writer-rate-limited";
    const auto leftImport = importSources({ left }, importers::Format::Auto);
    const auto rightImport = importSources({ right }, importers::Format::Auto);
    if (leftImport.traces.empty() || rightImport.traces.empty()) {
        std::fprintf(stderr, "twintrace demo: the sample runs are missing from %s\n", dir.c_str());
        return 2;
    }
    const auto leftSteps = runViewOf(leftImport, left).steps();
    const auto rightSteps = runViewOf(rightImport, right).steps();
    const auto rows = timeline::alignSteps(leftSteps, rightSteps);
    if (arguments.contains(QStringLiteral("--json"))) {
        printJson({ { "left", importJson(leftImport) }, { "right", importJson(rightImport) },
            { "alignment", alignJson(leftSteps, rightSteps, rows) } });
        return 0;
    }
    std::printf("Sample run A (%s):\n%s\n", left.c_str(), importText(leftImport).c_str());
    std::printf("Sample run B (%s):\n%s\n", right.c_str(), importText(rightImport).c_str());
    std::printf("Step by step:\n%s", alignText(leftSteps, rightSteps, rows).c_str());
    return 0;
}

} // namespace tt::cli
