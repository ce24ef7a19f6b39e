// SPDX-License-Identifier: MIT
#include "application.h"

#include "mainwindow.h"
#include "settings/appsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

namespace tt::gui {

int runWindow(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("TwinTrace"));
    QApplication::setOrganizationName(QStringLiteral("TwinTrace"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Compare durable and plain runs of an LLM agent."));
    parser.addPositionalArgument(
        QStringLiteral("FILE"), QStringLiteral("Trace files or folders to open."));
    parser.addOption({ QStringLiteral("screenshot"),
        QStringLiteral("Save the window to FILE once imported, then quit."),
        QStringLiteral("FILE") });
    parser.addHelpOption();
    parser.process(app);

    settings::applyTheme(settings::theme());
    MainWindow window;
    window.show();
    const QString screenshot = parser.value(QStringLiteral("screenshot"));
    if (!screenshot.isEmpty()) {
        QObject::connect(&window, &MainWindow::idle, &window, [&]() {
            // Let the layout settle once before grabbing.
            QTimer::singleShot(100, &window, [&]() {
                const bool saved = window.grab().save(screenshot);
                std::fprintf(saved ? stdout : stderr, "%s %s\n",
                    saved ? "screenshot saved to" : "could not save screenshot to",
                    qPrintable(screenshot));
                app.exit(saved ? 0 : 1);
            });
        });
    }
    window.openPaths(parser.positionalArguments());
    return app.exec();
}

} // namespace tt::gui
