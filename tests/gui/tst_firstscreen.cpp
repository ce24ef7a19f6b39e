// SPDX-License-Identifier: MIT
// The window's first screen: shown while nothing is open, each way in one click, gone once
// something opens.
#include "guifixture.h"

#include "gui/browser/browsermodel.h"
#include "gui/experiment/experimentdialog.h"
#include "gui/settings/appsettings.h"
#include "gui/timeline/pairview.h"
#include "gui/welcome/firstscreen.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>

using namespace tt::gui;
using namespace tt::gui::testing;

class TestFirstScreen : public QObject
{
    Q_OBJECT
private:
    static void click(MainWindow& window, FirstScreen::Action action)
    {
        QPushButton* button = window.firstScreen()->button(action);
        QVERIFY(button && button->isVisible());
        QTest::mouseClick(button, Qt::LeftButton);
    }

    // Clicks a button that opens a modal dialog and tells what kind of dialog came up (closed).
    static QString modalOpenedBy(MainWindow& window, FirstScreen::Action action)
    {
        QString opened;
        QTimer::singleShot(100, [&opened]() {
            if (QWidget* modal = QApplication::activeModalWidget()) {
                opened = QString::fromLatin1(modal->metaObject()->className());
                modal->close();
            }
        });
        click(window, action);
        QTest::qWait(150);
        return opened;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("recent"));
    }

    void anEmptyWindowLeadsWithTheFirstScreen()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.firstScreen()->isVisible());
        QVERIFY(!window.pairView()->isVisible());
        QVERIFY(!window.firstScreen()->recentList()->isVisible()); // nothing recent yet
    }

    void theSampleRunsOpenInOneClick()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        click(window, FirstScreen::Action::OpenSample);
        QVERIFY(waitIdle(window));
        QCOMPARE(window.browser()->rowCount(window.browser()->importsRoot()), 2);
        QVERIFY(!window.firstScreen()->isVisible());
        QVERIFY(window.pairView()->isVisible());
    }

    void runTheExperimentOpensItsDialog()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        click(window, FirstScreen::Action::RunExperiment);
        auto* dialog = window.findChild<ExperimentDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->close();
    }

    void foldersTracesAndAdminUrlsAskWhereFrom()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(
            modalOpenedBy(window, FirstScreen::Action::OpenResults), QStringLiteral("QFileDialog"));
        QCOMPARE(modalOpenedBy(window, FirstScreen::Action::ImportTraces),
            QStringLiteral("QFileDialog"));
        QCOMPARE(modalOpenedBy(window, FirstScreen::Action::OpenAdminUrl),
            QStringLiteral("QInputDialog"));
        QVERIFY(window.firstScreen()->isVisible()); // nothing was opened
    }

    void aRecentSourceOpensInOneClick()
    {
        ExperimentCopy experiment;
        settings::addRecentSource(experiment.dir);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QListWidget* recent = window.firstScreen()->recentList();
        QVERIFY(recent->isVisible());
        QCOMPARE(recent->item(0)->text(), experiment.dir);
        QTest::mouseClick(recent->viewport(), Qt::LeftButton, {},
            recent->visualItemRect(recent->item(0)).center());
        QVERIFY(waitIdle(window));
        QVERIFY(
            window.browser()
                ->findRun(experiment.dir, QStringLiteral("nominal"), QStringLiteral("baseline"), 1)
                .isValid());
        QVERIFY(!window.firstScreen()->isVisible());
        QSettings().remove(QStringLiteral("recent"));
    }
};

QTEST_MAIN(TestFirstScreen)
#include "tst_firstscreen.moc"
