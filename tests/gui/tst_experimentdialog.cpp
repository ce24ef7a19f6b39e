// SPDX-License-Identifier: MIT
// The experiment dialog on real parts (restate-server, the LLM stand-in, both Writers): the
// progress bar, the runs appearing live in the browser and the timelines, Cancel, the report.
#include "guifixture.h"

#include "gui/browser/browsermodel.h"
#include "gui/experiment/experimentdialog.h"
#include "gui/results/resultspage.h"
#include "gui/timeline/pairview.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

using namespace tt::gui;
using tt::gui::testing::waitIdle;

class TestExperimentDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void refusesAnEmptyChoice()
    {
        ExperimentDialog dialog;
        tt::engine::ExperimentOptions options;
        options.scenarios.clear();
        dialog.setOptions(options);
        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        QVERIFY(!dialog.isRunning());
        QVERIFY(dialog.findChild<QLabel*>() != nullptr);
    }

    // Runs at once: the command line's default, and what the spin box says is what runs.
    void parallelismDefaultsAsTheCommandLine()
    {
        ExperimentDialog dialog;
        QCOMPARE(dialog.options().parallel, tt::engine::kDefaultParallel);
        QSpinBox* parallel = nullptr;
        for (QSpinBox* box : dialog.findChildren<QSpinBox*>())
            if (box->accessibleName() == QLatin1String("Runs at once"))
                parallel = box;
        QVERIFY(parallel);
        QCOMPARE(parallel->value(), tt::engine::kDefaultParallel);
        parallel->setValue(2);
        QCOMPARE(dialog.options().parallel, 2);
        tt::engine::ExperimentOptions options;
        options.parallel = 3;
        dialog.setOptions(options);
        QCOMPARE(parallel->value(), 3);
    }

    void runsLiveIntoTheWindowAndWritesTheReport()
    {
        QTemporaryDir temp;
        MainWindow window;
        window.resize(1440, 860);
        window.show();
        ExperimentDialog* dialog = window.openExperimentDialog();
        tt::engine::ExperimentOptions options;
        options.scenarios = { QStringLiteral("nominal") };
        options.runs = 1;
        // Slow enough (about 1.5 s a run) that the durable run is still going when the
        // baseline's appears.
        options.timeScale = 0.3;
        options.outDir = temp.filePath(QStringLiteral("experiment"));
        dialog->setOptions(options);
        QSignalSpy runs(dialog, &ExperimentDialog::runFinished);
        QSignalSpy finished(dialog, &ExperimentDialog::experimentFinished);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QVERIFY(dialog->isRunning());
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->cancelButton()->isEnabled());
        // Live: the first finished run is in the browser while the experiment still runs.
        QVERIFY(runs.wait(120000));
        BrowserModel* browser = window.browser();
        QTRY_VERIFY_WITH_TIMEOUT(
            browser
                ->findRun(options.outDir, QStringLiteral("nominal"), QStringLiteral("baseline"), 1)
                .isValid(),
            1000);
        QVERIFY(finished.isEmpty());
        QVERIFY(dialog->isRunning());
        // The variants run at once in lanes: the baselines may both be done, the durable not.
        const int shown = dialog->progressBar()->value();
        QVERIFY2(shown >= 1 && shown < 3, qPrintable(QString::number(shown)));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(0).at(1).toBool(), true); // completed
        QCOMPARE(runs.count(), 3); // baseline, baseline-restart and restate: the default
        QCOMPARE(dialog->progressBar()->value(), 3);
        QCOMPARE(dialog->progressBar()->maximum(), 3);
        QVERIFY(waitIdle(window));
        QVERIFY(
            browser->findRun(
                       options.outDir, QStringLiteral("nominal"), QStringLiteral("restate"), 1)
                .isValid());
        QVERIFY(window.pairView()->run(0));
        QVERIFY(window.pairView()->run(1));
        QCOMPARE(window.resultsPage()->chartCount(), 3);
        // The report, with its charts and the nominal pair's screenshot.
        QFile report(options.outDir + QStringLiteral("/RESTATE_POC_RESULTS.md"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QByteArray text = report.readAll();
        QVERIFY(text.contains("images/success-rate.png"));
        QVERIFY(text.contains("images/pair-nominal.png"));
        QVERIFY(QImage(options.outDir + QStringLiteral("/images/pair-nominal.png")).width() > 1000);
        // The ADR draft is the experiment's own: in its folder, nowhere else.
        QVERIFY(
            QFile::exists(options.outDir + QStringLiteral("/adr/0001-restate-for-the-writer.md")));
        QVERIFY(!QFileInfo::exists(temp.filePath(QStringLiteral("docs"))));
        QVERIFY(!QFileInfo::exists(QDir::current().filePath(QStringLiteral("docs/adr"))));
    }

    // The results folder starts as the open experiment's, else a new dated one that is not under
    // the working directory; a relative folder is not taken there either.
    void theFolderIsTheOpenExperimentsOrANewDatedOne()
    {
        {
            ExperimentDialog dialog;
            const QString dir = dialog.options().outDir;
            QVERIFY2(QDir::isAbsolutePath(dir), qPrintable(dir));
            QVERIFY2(QFileInfo(dir).fileName().startsWith(QStringLiteral("experiment-")
                         + QDate::currentDate().toString(Qt::ISODate)),
                qPrintable(dir));
            QVERIFY2(!dir.startsWith(QDir::currentPath() + QLatin1Char('/')), qPrintable(dir));
            tt::engine::ExperimentOptions relative = dialog.options();
            relative.outDir = QStringLiteral("plannings");
            dialog.setOptions(relative);
            QVERIFY(!dialog.options().outDir.startsWith(QDir::currentPath() + QLatin1Char('/')));
        }
        tt::gui::testing::ExperimentCopy experiment;
        MainWindow window;
        window.openResults(experiment.dir);
        QVERIFY(tt::gui::testing::waitIdle(window));
        ExperimentDialog* dialog = window.openExperimentDialog();
        QCOMPARE(dialog->options().outDir, QFileInfo(experiment.dir).absoluteFilePath());
        dialog->close();
    }

    void cancelKeepsFinishedRunsAndStops()
    {
        QTemporaryDir temp;
        ExperimentDialog dialog;
        dialog.show();
        tt::engine::ExperimentOptions options;
        options.scenarios = { QStringLiteral("nominal") };
        options.runs = 4;
        options.timeScale = 0.2;
        // Two lanes: with as many lanes as runs, every run could end before Cancel is seen.
        options.parallel = 2;
        options.outDir = temp.filePath(QStringLiteral("experiment"));
        dialog.setOptions(options);
        const int total = options.runs * int(options.variants.size());
        QSignalSpy runs(&dialog, &ExperimentDialog::runFinished);
        QSignalSpy finished(&dialog, &ExperimentDialog::experimentFinished);
        dialog.start();
        QVERIFY(runs.wait(60000));
        // TT_GUI_SHOTS=DIR keeps a picture of the dialog mid-run, to look at.
        if (const QString shots = qEnvironmentVariable("TT_GUI_SHOTS"); !shots.isEmpty())
            dialog.grab().save(shots + QStringLiteral("/experiment-dialog.png"));
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(1).toBool(), false);
        QVERIFY(runs.count() >= 1);
        QVERIFY2(runs.count() < total, qPrintable(QString::number(runs.count())));
        QVERIFY(dialog.startButton()->isEnabled()); // Start resumes
        QVERIFY(QFile::exists(options.outDir + QStringLiteral("/results.sqlite")));
    }
};

QTEST_MAIN(TestExperimentDialog)
#include "tst_experimentdialog.moc"
