// SPDX-License-Identifier: MIT
#include "cli.h"

#include "commands.h"

#include "engine/experiment/catalog.h"

#include <cstdio>

namespace tt::cli {

namespace {

const char* const kUsage = R"(usage: twintrace [FILE...]              open the window (on FILEs)
       twintrace import SRC... [--source auto|openai|langsmith|agentic-log|agentic-bench|restate] [--json]
       twintrace align A B [--json]
       twintrace explain DIR --scenario ID [--run N] [--json]
                                           where a scenario's two runs part, and why
       twintrace run [--scenarios LIST] [--variants baseline,baseline-restart,restate] [--runs N] [--seed N] [--out DIR] [--json]
       twintrace report DIR [--out FILE] [--json]
       twintrace screenshot [--left SRC] [--right SRC] [--results DIR] [--view pair|left|right|charts|window]
                            [--scale N] [--redact] --out FILE.png|.svg
       twintrace env [--restate-admin URL] [--llm URL] [--out DIR] [--json]
                                           is this machine ready for an experiment?
       twintrace capture [--listen 127.0.0.1:PORT] [--out DIR]
                                           receive OpenAI ingest and LangSmith runs live
       twintrace demo [--json]             the sample job, headless
)";

} // namespace

namespace {
engine::ImageRenderer g_imageRenderer;
}

void setImageRenderer(engine::ImageRenderer renderer)
{
    g_imageRenderer = std::move(renderer);
}

const engine::ImageRenderer& imageRenderer()
{
    return g_imageRenderer;
}

bool drawsImages(const QStringList& arguments)
{
    const QString name = arguments.value(1);
    return name == QLatin1String("run") || name == QLatin1String("report")
        || name == QLatin1String("screenshot");
}

bool isSubcommand(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString& name = arguments.at(1);
    return name == QLatin1String("import") || name == QLatin1String("align")
        || name == QLatin1String("explain") || name == QLatin1String("demo")
        || name == QLatin1String("run") || name == QLatin1String("report")
        || name == QLatin1String("screenshot") || name == QLatin1String("env")
        || name == QLatin1String("capture") || name == QLatin1String("help")
        || name == QLatin1String("--help") || name == QLatin1String("-h");
}

int run(const QStringList& arguments)
{
    const QString name = arguments.value(1);
    const QStringList rest = arguments.mid(2);
    if (name == QLatin1String("import"))
        return importCommand(rest);
    if (name == QLatin1String("align"))
        return alignCommand(rest);
    if (name == QLatin1String("explain"))
        return explainCommand(rest);
    if (name == QLatin1String("demo"))
        return demoCommand(rest);
    if (name == QLatin1String("run"))
        return runCommand(rest);
    if (name == QLatin1String("report"))
        return reportCommand(rest);
    if (name == QLatin1String("env"))
        return envCommand(rest);
    if (name == QLatin1String("capture"))
        return captureCommand(rest);
    if (name == QLatin1String("screenshot")) {
        std::fputs(
            "twintrace screenshot draws the window: this build has none (TT_BUILD_GUI=OFF)\n",
            stderr);
        return 2;
    }
    std::fputs(kUsage, stdout);
    return 0;
}

QString samplesDir()
{
    return engine::resourcePath(QStringLiteral("samples"));
}

} // namespace tt::cli
