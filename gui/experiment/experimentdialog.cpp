// SPDX-License-Identifier: MIT
#include "experimentdialog.h"

#include "gui/reportimages.h"

#include "engine/experiment/catalog.h"
#include "engine/report/resultsreport.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <map>
#include <set>

namespace tt::gui {

QString ExperimentDialog::newExperimentDir()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (base.isEmpty())
        base = QDir::homePath();
    return QDir(base).filePath(QStringLiteral("TwinTrace/experiment-")
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HHmm")));
}

ExperimentDialog::ExperimentDialog(QWidget* parent, const QString& experimentDir)
    : QDialog(parent)
    , m_scenarios(new QListWidget)
    , m_runs(new QSpinBox)
    , m_seed(new QSpinBox)
    , m_timeScale(new QDoubleSpinBox)
    , m_parallel(new QSpinBox)
    , m_outDir(new QLineEdit)
    , m_follow(new QCheckBox(tr("Show each run in the timelines as it ends")))
    , m_progress(new QProgressBar)
    , m_state(new QLabel)
    , m_log(new QPlainTextEdit)
    , m_start(new QPushButton(tr("&Start")))
    , m_cancel(new QPushButton(tr("&Cancel run")))
    , m_close(new QPushButton(tr("Close")))
{
    setWindowTitle(tr("Run experiment"));
    resize(640, 620);
    m_scenarios->setAccessibleName(tr("Scenarios"));
    QString catalogError;
    const auto catalog = engine::loadCatalog(engine::defaultCatalogPath(), catalogError);
    if (catalog) {
        // Groups first (transient-llm means k1..k5), as `twintrace run --scenarios` takes them.
        std::set<QString> seen;
        for (const auto& scenario : catalog->scenarios) {
            if (!seen.insert(scenario.group).second)
                continue;
            auto* item = new QListWidgetItem(scenario.group, m_scenarios);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setToolTip(scenario.description);
            item->setCheckState(Qt::Unchecked);
        }
    } else {
        m_state->setText(catalogError);
    }
    // One box per variant, in the order tables show them; all three by default, as the command
    // line runs them.
    const std::map<QString, std::pair<QString, QString>> described {
        { QStringLiteral("baseline"),
            { tr("baseline"), tr("The Writer run once, without durability") } },
        { QStringLiteral("baseline-restart"),
            { tr("baseline-restart (restart loop)"),
                tr("The same Writer relaunched from scratch when it fails or dies, as a job "
                   "queue would, with Restate's retry policy") } },
        { QStringLiteral("restate"),
            { tr("restate (durable)"), tr("The durable Writer on restate-server") } },
    };
    for (const QString& variant : engine::knownVariants()) {
        const auto found = described.find(variant);
        auto* box = new QCheckBox(found == described.end() ? variant : found->second.first);
        if (found != described.end())
            box->setToolTip(found->second.second);
        box->setObjectName(variant);
        box->setChecked(true);
        m_variants.emplace_back(variant, box);
    }
    m_runs->setRange(1, 1000);
    m_seed->setRange(0, 1 << 30);
    m_timeScale->setRange(0, 10);
    m_timeScale->setDecimals(2);
    m_timeScale->setSingleStep(0.1);
    m_timeScale->setToolTip(tr("The LLM stand-in's latency model: 1 = gpt-oss-20b on a DGX "
                               "Spark, 0.1 = ten times faster, 0 = no latency"));
    m_parallel->setRange(1, 32);
    m_parallel->setAccessibleName(tr("Runs at once"));
    m_parallel->setToolTip(tr("Runs at once, each lane with its own stand-in, restate-server and "
                              "durable endpoint; the stand-in's runs mostly wait on its "
                              "simulated latency"));
    m_follow->setChecked(true);
    engine::ExperimentOptions defaults;
    defaults.outDir = experimentDir.isEmpty() ? newExperimentDir()
                                              : QFileInfo(experimentDir).absoluteFilePath();
    setOptions(defaults);
    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Experiment log"));
    m_log->setMaximumBlockCount(5000);
    m_progress->setAccessibleName(tr("Experiment progress"));

    auto* browse = new QPushButton(tr("Browse..."));
    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString dir
            = QFileDialog::getExistingDirectory(this, tr("Results folder"), m_outDir->text());
        if (!dir.isEmpty())
            m_outDir->setText(dir);
    });
    auto* folder = new QHBoxLayout;
    folder->addWidget(m_outDir, 1);
    folder->addWidget(browse);
    auto* variants = new QHBoxLayout;
    for (const auto& [variant, box] : m_variants)
        variants->addWidget(box);
    variants->addStretch(1);

    auto* form = new QFormLayout;
    form->addRow(tr("Scenarios"), m_scenarios);
    form->addRow(tr("Variants"), variants);
    form->addRow(tr("Runs per cell"), m_runs);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("LLM latency scale"), m_timeScale);
    form->addRow(tr("Runs at once"), m_parallel);
    form->addRow(tr("Results folder"), folder);
    form->addRow(QString(), m_follow);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_state, 1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_log, 1);
    layout->addLayout(buttons);

    m_start->setDefault(true);
    connect(m_start, &QPushButton::clicked, this, &ExperimentDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &ExperimentDialog::cancel);
    connect(m_close, &QPushButton::clicked, this, &ExperimentDialog::reject);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this,
        [this]() { onFinished(m_watcher.result()); });
    setRunning(false);
}

ExperimentDialog::~ExperimentDialog()
{
    *m_abandonFlag = true;
    if (m_cancelFlag)
        *m_cancelFlag = true;
    m_watcher.waitForFinished(); // the runner stops its children within a second or two
}

engine::ExperimentOptions ExperimentDialog::options() const
{
    engine::ExperimentOptions options;
    options.scenarios.clear();
    for (int i = 0; i < m_scenarios->count(); ++i)
        if (m_scenarios->item(i)->checkState() == Qt::Checked)
            options.scenarios << m_scenarios->item(i)->text();
    options.variants.clear();
    for (const auto& [variant, box] : m_variants)
        if (box->isChecked())
            options.variants << variant;
    options.runs = m_runs->value();
    options.seed = m_seed->value();
    options.timeScale = m_timeScale->value();
    options.parallel = m_parallel->value();
    // A relative folder is taken under Documents/TwinTrace, not the working directory.
    options.outDir = QDir::cleanPath(
        QDir(QFileInfo(newExperimentDir()).path()).absoluteFilePath(m_outDir->text().trimmed()));
    options.catalogPath = engine::defaultCatalogPath();
    return options;
}

void ExperimentDialog::setOptions(const engine::ExperimentOptions& options)
{
    for (int i = 0; i < m_scenarios->count(); ++i)
        m_scenarios->item(i)->setCheckState(
            options.scenarios.contains(m_scenarios->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
    for (const auto& [variant, box] : m_variants)
        box->setChecked(options.variants.contains(variant));
    m_runs->setValue(options.runs);
    m_seed->setValue(int(options.seed));
    m_timeScale->setValue(options.timeScale);
    m_parallel->setValue(engine::parallelism(options));
    m_outDir->setText(options.outDir);
}

bool ExperimentDialog::followsLive() const
{
    return m_follow->isChecked();
}

bool ExperimentDialog::isRunning() const
{
    return m_watcher.isRunning();
}

QCheckBox* ExperimentDialog::variantBox(const QString& variant) const
{
    for (const auto& [name, box] : m_variants)
        if (name == variant)
            return box;
    return nullptr;
}

void ExperimentDialog::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_cancel->setEnabled(running);
    for (QWidget* w : std::initializer_list<QWidget*> {
             m_scenarios, m_runs, m_seed, m_timeScale, m_parallel, m_outDir })
        w->setEnabled(!running);
    for (const auto& [variant, box] : m_variants)
        box->setEnabled(!running);
}

void ExperimentDialog::start()
{
    const engine::ExperimentOptions chosen = options();
    if (chosen.scenarios.isEmpty() || chosen.variants.isEmpty()) {
        m_state->setText(tr("Pick at least one scenario and one variant."));
        return;
    }
    QString error;
    const auto catalog = engine::loadCatalog(chosen.catalogPath, error);
    if (!catalog) {
        m_state->setText(error);
        return;
    }
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_runningDir = chosen.outDir;
    m_progress->setRange(0, 0);
    m_log->appendPlainText(tr("Starting in %1...").arg(chosen.outDir));
    m_state->setText(tr("Starting Restate and the LLM stand-in..."));
    setRunning(true);
    QPointer<ExperimentDialog> self(this);
    const auto cancelFlag = m_cancelFlag;
    const auto abandonFlag = m_abandonFlag;
    m_watcher.setFuture(
        QtConcurrent::run([self, chosen, catalog = *catalog, cancelFlag, abandonFlag]() {
            Outcome outcome;
            engine::ExperimentRunner runner(chosen, catalog);
            runner.setCancel(cancelFlag.get());
            runner.setProgress([self](const engine::ExperimentProgress& progress) {
                // Copies cross to the GUI thread; the runner's record pointer does not.
                std::shared_ptr<const engine::RunRecord> finished;
                if (progress.finished)
                    finished = std::make_shared<const engine::RunRecord>(*progress.finished);
                QMetaObject::invokeMethod(
                    self,
                    [self, done = progress.done, total = progress.total, message = progress.message,
                        finished]() {
                        if (self)
                            self->onProgress(done, total, message, finished);
                    },
                    Qt::QueuedConnection);
            });
            outcome.completed = runner.run(outcome.error);
            outcome.started = runner.started();
            if (outcome.started) {
                engine::ResultsReportRequest request;
                request.dir = chosen.outDir;
                request.adrDir = engine::defaultAdrDir(chosen.outDir);
                // Images are painted on the GUI thread while this one waits (unless abandoned).
                request.images = [abandonFlag](const engine::ExperimentResults& results,
                                     const QString& dir, QString& error) {
                    return renderReportImages(results, dir, error, abandonFlag.get());
                };
                QString reportError;
                const auto written = engine::writeResultsReport(request, reportError);
                outcome.report = written ? written->path : QString();
                if (!written)
                    outcome.error += (outcome.error.isEmpty() ? QString() : QStringLiteral("; "))
                        + reportError;
            }
            return outcome;
        }));
}

void ExperimentDialog::cancel()
{
    if (!m_cancelFlag || !isRunning())
        return;
    *m_cancelFlag = true;
    m_state->setText(tr("Cancelling: stopping the Writers, the stand-in and Restate..."));
    m_cancel->setEnabled(false);
}

void ExperimentDialog::onProgress(
    int done, int total, const QString& message, std::shared_ptr<const engine::RunRecord> finished)
{
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(done);
    m_progress->setFormat(tr("%v of %m runs"));
    m_state->setText(message);
    m_log->appendPlainText(QStringLiteral("[%1/%2] %3").arg(done).arg(total).arg(message));
    if (finished)
        emit runFinished(m_runningDir, *finished);
}

void ExperimentDialog::onFinished(const Outcome& outcome)
{
    setRunning(false);
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    QString message;
    if (outcome.completed)
        message = tr("Done. Report: %1").arg(outcome.report);
    else if (m_cancelFlag && *m_cancelFlag)
        message
            = tr("Cancelled; the finished runs are kept and Start resumes the rest. %1")
                  .arg(outcome.report.isEmpty() ? QString() : tr("Report: %1").arg(outcome.report));
    else
        message = tr("Stopped: %1").arg(outcome.error);
    m_state->setText(message);
    m_log->appendPlainText(message);
    emit experimentFinished(m_runningDir, outcome.completed, message);
    if (m_closeWhenDone)
        QDialog::reject();
}

void ExperimentDialog::reject()
{
    if (isRunning()) {
        const auto answer = QMessageBox::question(this, tr("Experiment running"),
            tr("Cancel the experiment? Finished runs are kept; the same folder resumes later."));
        if (answer != QMessageBox::Yes)
            return;
        // The runner stops its children and the report is written; the dialog closes then,
        // without the GUI thread waiting for it.
        cancel();
        m_closeWhenDone = true;
        hide();
        return;
    }
    QDialog::reject();
}

void ExperimentDialog::closeEvent(QCloseEvent* event)
{
    if (isRunning()) {
        event->ignore();
        reject();
        return;
    }
    QDialog::closeEvent(event);
}

} // namespace tt::gui
