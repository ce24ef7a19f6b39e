// SPDX-License-Identifier: MIT
#include "cli/cli.h"

#ifdef TT_HAVE_GUI
#include "charts/resultcharts.h"
#include "gui/application.h"

#include <QApplication>
#endif

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (tt::cli::isSubcommand(arguments)) {
#ifdef TT_HAVE_GUI
        if (tt::cli::drawsCharts(arguments)) {
            // Charts are drawn offscreen: no window opens, no display is needed.
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            QApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("twintrace"));
            tt::cli::setChartRenderer(tt::charts::renderResultCharts);
            return tt::cli::run(arguments);
        }
#endif
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("twintrace"));
        return tt::cli::run(arguments);
    }
#ifdef TT_HAVE_GUI
    return tt::gui::runWindow(argc, argv);
#else
    std::fputs("twintrace was built without its window (TT_BUILD_GUI=OFF); try `twintrace help`\n",
        stderr);
    return 2;
#endif
}
