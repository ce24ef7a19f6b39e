// SPDX-License-Identifier: MIT
#include "application.h"

#include "browser/browsermodel.h"
#include "mainwindow.h"
#include "settings/appsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTreeView>

#include <memory>

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
    parser.addOption({ QStringLiteral("scenario"),
        QStringLiteral("With a results folder: show this scenario's first pair."),
        QStringLiteral("ID") });
    parser.addHelpOption();
    parser.process(app);

    settings::applyTheme(settings::theme());
    MainWindow window;
    window.show();
    const QString scenario = parser.value(QStringLiteral("scenario"));
    if (!scenario.isEmpty()) {
        // Once the results are read: that scenario's first pair (baseline left, Restate right).
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(
            &window, &MainWindow::idle, &window, [&window, scenario, connection]() {
                BrowserModel* browser = window.browser();
                const QModelIndex experiment = browser->index(0, 0, browser->experimentsRoot());
                if (!experiment.isValid())
                    return;
                QObject::disconnect(*connection);
                const QString dir = experiment.data(BrowserModel::PathRole).toString();
                const QModelIndex run
                    = browser->findRun(dir, scenario, QStringLiteral("baseline"), 1);
                if (run.isValid())
                    window.browserView()->setCurrentIndex(run);
            });
    }
    window.openPaths(parser.positionalArguments());
    return app.exec();
}

} // namespace tt::gui
