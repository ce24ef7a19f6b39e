// SPDX-License-Identifier: MIT
#include "cli/cli.h"

#ifdef TT_HAVE_GUI
#include "gui/application.h"
#include "gui/reportimages.h"
#include "gui/screenshot/screenshotcommand.h"

#include <QApplication>
#endif

#include <QCoreApplication>

#include <cerrno>
#include <cstdio>

#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (tt::cli::isSubcommand(arguments)) {
#ifdef TT_HAVE_GUI
        if (tt::cli::drawsImages(arguments)) {
            // Charts and screenshots are drawn offscreen: no window opens, no display is needed.
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            // Headless shells often have no runtime folder; Qt would warn on every run.
            if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
                const QByteArray runtime = "/tmp/twintrace-runtime-" + QByteArray::number(getuid());
                if (::mkdir(runtime.constData(), 0700) == 0 || errno == EEXIST)
                    qputenv("XDG_RUNTIME_DIR", runtime);
            }
            // The offscreen platform says it cannot propagate size hints each time a widget is
            // drawn for an image: true, and of no use in a report's log.
            qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& context,
                                       const QString& message) {
                if (message.contains(QLatin1String("propagateSizeHints")))
                    return;
                std::fputs(qPrintable(qFormatLogMessage(type, context, message) + '\n'), stderr);
            });
            QApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("twintrace"));
            if (arguments.value(1) == QLatin1String("screenshot"))
                return tt::gui::screenshotCommand(arguments.mid(2));
            tt::cli::setImageRenderer(
                [](const tt::engine::ExperimentResults& results, const QString& dir,
                    QString& error) { return tt::gui::renderReportImages(results, dir, error); });
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
