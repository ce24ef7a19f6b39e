// SPDX-License-Identifier: MIT
#include "exercisescreen.h"

#include "gui/browser/loaders.h"
#include "gui/inspector/inspector.h"
#include "gui/qtext.h"
#include "gui/timeline/timelinepane.h"
#include "gui/timeline/viewcontroller.h"

#include "engine/experiment/runtraces.h"
#include "importers/timeline/timemap.h"

#include "gui/whenready.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QUuid>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <set>

namespace tt::gui {

namespace {

QString viewDescription(engine::DebugView view)
{
    return view == engine::DebugView::Today
        ? QObject::tr("today's view: the Writer's logs and its OpenAI and LangSmith traces")
        : QObject::tr("Restate's view: the journal, the lifecycle and retry events, and the "
                      "Writer's traces");
}

// The run of an item without anything that names its scenario.
struct LoadedItem
{
    std::shared_ptr<const PaneRun> run;
    std::shared_ptr<const engine::ExperimentJournals> journals;
};

} // namespace

ExerciseScreen::ExerciseScreen(QString experimentDir, QWidget* parent, bool readExperiment)
    : QDialog(parent)
    , m_dir(std::move(experimentDir))
    , m_pages(new QStackedWidget)
    , m_person(new QLineEdit)
    , m_notes(new QLineEdit)
    , m_scenarios(new QSpinBox)
    , m_seed(new QSpinBox)
    , m_firstView(new QComboBox)
    , m_practice(new QCheckBox(tr("Start with a practice round (not counted)")))
    , m_setupState(new QLabel)
    , m_start(new QPushButton(tr("&Start the series")))
    , m_heading(new QLabel)
    , m_clockLabel(new QLabel)
    , m_feedback(new QLabel)
    , m_controller(new ViewController(this))
    , m_pane(new TimelinePane(0, m_controller))
    , m_inspector(new Inspector)
    , m_stepLabel(new QLabel)
    , m_kind(new QComboBox)
    , m_submit(new QPushButton(tr("&Submit answer")))
    , m_summary(new QLabel)
    , m_close(new QPushButton(tr("Close")))
{
    setWindowTitle(tr("Debugging exercise"));
    resize(1400, 820);

    // Set-up page.
    auto* setup = new QWidget;
    auto* intro = new QLabel(
        tr("<h3>How fast can you find the fault?</h3><p>Each screen shows one recorded run "
           "that went wrong, in one view only: <b>today's</b> (the Writer's logs and its OpenAI "
           "and LangSmith traces) or <b>Restate's</b> (its journal, lifecycle and retry events, "
           "plus the traces). Which fault was injected is hidden. Click the step that failed on "
           "the timeline, pick the kind of fault, and submit: the clock runs from the moment "
           "the run appears.</p><p>The views alternate, and every scenario comes once in each "
           "view. Answers are stored in <code>%1</code>.</p>")
            .arg(m_dir.toHtmlEscaped()));
    intro->setWordWrap(true);
    m_person->setPlaceholderText(tr("optional, e.g. initials"));
    m_notes->setPlaceholderText(tr("optional"));
    m_scenarios->setRange(0, 50);
    m_scenarios->setSpecialValueText(tr("all recorded"));
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    m_firstView->addItem(tr("Today's view"), false);
    m_firstView->addItem(tr("Restate's view"), true);
    m_practice->setChecked(true);
    auto* form = new QFormLayout;
    form->addRow(tr("Person"), m_person);
    form->addRow(tr("Notes"), m_notes);
    form->addRow(tr("Fault scenarios"), m_scenarios);
    form->addRow(tr("Seed (order)"), m_seed);
    form->addRow(tr("First view"), m_firstView);
    form->addRow(QString(), m_practice);
    auto* setupLayout = new QVBoxLayout(setup);
    setupLayout->addWidget(intro);
    setupLayout->addLayout(form);
    setupLayout->addWidget(m_setupState);
    setupLayout->addWidget(m_start, 0, Qt::AlignLeft);
    setupLayout->addStretch(1);
    m_setupState->setWordWrap(true);
    connect(m_start, &QPushButton::clicked, this, &ExerciseScreen::start);

    // Exercise page.
    auto* exercise = new QWidget;
    QFont big = m_clockLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_clockLabel->setFont(big);
    m_clockLabel->setAccessibleName(tr("Clock"));
    m_heading->setWordWrap(true);
    m_feedback->setWordWrap(true);
    m_pane->setPlaceholder(tr("Loading the run..."));
    m_pane->setSideLabel(tr("RUN"));
    // Here the pane takes the screen: labels keep their height, the timeline gets the rest.
    m_pane->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_heading->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_feedback->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_kind->setAccessibleName(tr("Fault kind"));
    m_kind->addItem(tr("Choose the kind of fault..."), QString());
    for (const engine::FaultKind& kind : engine::faultKinds())
        m_kind->addItem(kind.label, kind.id);
    m_stepLabel->setAccessibleName(tr("Chosen step"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(m_clockLabel);
    auto* answer = new QHBoxLayout;
    answer->addWidget(m_stepLabel, 1);
    answer->addWidget(m_kind);
    answer->addWidget(m_submit);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_pane);
    split->addWidget(m_inspector);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({ 1000, 400 });
    auto* exerciseLayout = new QVBoxLayout(exercise);
    exerciseLayout->addLayout(top);
    exerciseLayout->addWidget(m_feedback);
    exerciseLayout->addWidget(split, 1);
    exerciseLayout->addLayout(answer);
    connect(m_controller, &ViewController::selectionChanged, this, &ExerciseScreen::onSpanSelected);
    connect(m_pane, &TimelinePane::fitRequested, this, [this]() {
        if (m_run)
            m_controller->fit(0, m_run->run.endNs() - m_run->run.startNs(),
                m_pane->width() - TimelinePane::kLabelWidth - 8);
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ExerciseScreen::updateSubmit);
    connect(m_submit, &QPushButton::clicked, this, &ExerciseScreen::submit);
    connect(&m_tick, &QTimer::timeout, this, &ExerciseScreen::updateClock);

    // End page.
    auto* end = new QWidget;
    auto* endLayout = new QVBoxLayout(end);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    endLayout->addWidget(m_summary);
    endLayout->addWidget(m_close, 0, Qt::AlignLeft);
    endLayout->addStretch(1);

    m_pages->addWidget(setup);
    m_pages->addWidget(exercise);
    m_pages->addWidget(end);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    m_start->setEnabled(false);
    showPage(0);
    if (!readExperiment)
        return;
    m_setupState->setText(tr("Reading the experiment..."));
    whenReady(this, loadExperiment(m_dir), [this](const LoadedExperiment& loaded) {
        if (!loaded.results) {
            m_setupState->setText(loaded.error);
            emit failed(loaded.error);
            return;
        }
        m_results = loaded.results;
        QString error;
        const auto all = engine::buildSeries(*m_results, {}, error);
        if (all.empty()) {
            m_setupState->setText(error);
            emit failed(error);
            return;
        }
        std::set<QString> scenarios;
        for (const engine::ExerciseItem& item : all)
            scenarios.insert(item.scenario);
        m_setupState->setText(
            counted(qint64(scenarios.size()), tr("fault scenario"), tr("fault scenarios"))
            + tr(" recorded with both Writers."));
        // No more than were recorded (0 stays "all recorded").
        m_scenarios->setMaximum(int(scenarios.size()));
        m_start->setEnabled(true);
    });
}

void ExerciseScreen::setPerson(const QString& person)
{
    m_person->setText(person);
}

void ExerciseScreen::setSeriesOptions(const engine::SeriesOptions& options)
{
    m_seed->setValue(int(options.seed));
    m_practice->setChecked(options.practice);
    m_firstView->setCurrentIndex(options.restateFirst ? 1 : 0);
    m_scenarios->setValue(options.scenarios);
}

bool ExerciseScreen::start()
{
    if (!m_results) {
        m_setupState->setText(tr("The experiment is still being read, or could not be."));
        return false;
    }
    engine::SeriesOptions options;
    options.seed = uint64_t(m_seed->value());
    options.practice = m_practice->isChecked();
    options.restateFirst = m_firstView->currentData().toBool();
    options.scenarios = m_scenarios->value();
    QString error;
    m_series = engine::buildSeries(*m_results, options, error);
    if (m_series.empty()) {
        m_setupState->setText(error);
        return false;
    }
    m_seriesId = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    m_answers.clear();
    m_done = false;
    showPage(1);
    showItem(0);
    return true;
}

void ExerciseScreen::showPage(int page)
{
    m_pages->setCurrentIndex(page);
    // Enter presses the page's main button: Start, Submit, Close.
    for (QPushButton* button : { m_start, m_submit, m_close })
        button->setDefault(false);
    (page == 0 ? m_start : page == 1 ? m_submit : m_close)->setDefault(true);
}

void ExerciseScreen::done(int result)
{
    // Whoever reads the store when the screen closes finds every answer given.
    for (QFuture<QString>& write : m_writes)
        write.waitForFinished();
    m_writes.clear();
    QDialog::done(result);
}

void ExerciseScreen::reject()
{
    if (m_pages->currentIndex() != 1 || m_current < 0 || m_done) {
        QDialog::reject();
        return;
    }
    // Escape in the middle of a series asks first; the clock stops while it asks.
    QElapsedTimer asking;
    asking.start();
    m_tick.stop();
    QMessageBox ask(QMessageBox::Question, tr("Leave the series?"),
        tr("Leave this exercise series? The answers given so far are stored; this screen's "
           "is not."),
        QMessageBox::NoButton, this);
    QPushButton* leave = ask.addButton(tr("&Leave"), QMessageBox::DestructiveRole);
    QPushButton* resume = ask.addButton(tr("&Resume"), QMessageBox::RejectRole);
    ask.setDefaultButton(resume);
    ask.exec();
    if (ask.clickedButton() == leave) {
        QDialog::reject();
        return;
    }
    m_pausedMs += asking.elapsed();
    if (m_run)
        m_tick.start(100);
}

qint64 ExerciseScreen::elapsedMs() const
{
    return m_clock.elapsed() - m_pausedMs;
}

void ExerciseScreen::showPreview(const std::vector<engine::ExerciseItem>& series, int position,
    std::shared_ptr<const PaneRun> run)
{
    m_series = series;
    showPage(1);
    prepareItem(position);
    presentRun(std::move(run), m_series[size_t(position)]);
    m_tick.stop();
}

std::shared_ptr<const PaneRun> ExerciseScreen::runToDiagnose(
    const QString& dir, const engine::RunRecord& run, const engine::ExperimentJournals& journals)
{
    return makePaneRun(
        engine::runViewOfRun(dir, run, journals), QObject::tr("the run to diagnose"));
}

bool ExerciseScreen::selectStep(const QString& label)
{
    if (!m_run)
        return false;
    SpanRef best;
    double widest = -1;
    const auto& tracks = m_run->run.tracks();
    for (size_t t = 0; t < tracks.size(); ++t)
        for (size_t s = 0; s < tracks[t].trace->spans.size(); ++s) {
            const auto& span = tracks[t].trace->spans[s];
            if (!timeline::isStepKind(tracks[t].trace->spanKind(span))
                || QString::fromStdString(m_run->run.stepLabelOf(int(t), int32_t(s))) != label)
                continue;
            const double width = m_pane->spanRect(int(t), int(s)).width();
            if (width > widest) {
                widest = width;
                best = { 0, int(t), int(s) };
            }
        }
    m_controller->selectSpan(best);
    return best.isValid();
}

void ExerciseScreen::prepareItem(int position)
{
    m_current = position;
    const engine::ExerciseItem& item = m_series[size_t(position)];
    m_heading->setText(tr("<b>Screen %1 of %2</b>%3 — %4")
                           .arg(position + 1)
                           .arg(m_series.size())
                           .arg(item.practice ? tr(" (practice, not counted)") : QString(),
                               viewDescription(item.view)));
    m_chosenStep.clear();
    m_stepLabel->setText(tr("Click the step that failed on the timeline."));
    m_kind->setCurrentIndex(0);
    m_controller->clearSelection();
    m_inspector->clear();
    m_run.reset();
    m_pane->setRun(nullptr);
    m_tick.stop();
    m_clockLabel->setText(QStringLiteral("0:00.0"));
    updateSubmit();
}

void ExerciseScreen::presentRun(
    std::shared_ptr<const PaneRun> run, const engine::ExerciseItem& item)
{
    m_run = std::move(run);
    // Nothing on screen may name the scenario: not the inspector's values either.
    m_inspector->setHiddenWords(
        { item.scenario, QString(item.scenario).replace(QLatin1Char('#'), QLatin1Char('_')) });
    m_pane->setTimeMap(timeline::TimeMap::shifted(m_run->run.startNs()));
    m_pane->setRun(m_run);
    m_controller->fit(0, m_run->run.endNs() - m_run->run.startNs(),
        std::max(100, m_pane->width() - TimelinePane::kLabelWidth - 8));
    m_clock.start();
    m_pausedMs = 0;
    m_tick.start(100);
}

void ExerciseScreen::showItem(int position)
{
    prepareItem(position);
    const engine::ExerciseItem& item = m_series[size_t(position)];
    const engine::RunRecord* record = nullptr;
    for (const engine::RunRecord& run : m_results->runs)
        if (run.scenario == item.scenario && run.variant == item.variant()
            && run.runIndex == item.runIndex)
            record = &run;
    if (!record) {
        emit failed(tr("the run to show is missing from %1").arg(m_dir));
        return;
    }
    const int generation = ++m_loadGeneration;
    const QString dir = m_dir;
    const engine::RunRecord run = *record;
    using Loaded = std::pair<std::shared_ptr<const PaneRun>,
        std::shared_ptr<const engine::ExperimentJournals>>;
    whenReady(this, QtConcurrent::run([dir, run, cached = m_journals]() {
        const auto journals = cached ? cached
                                     : std::make_shared<const engine::ExperimentJournals>(
                                         engine::importExperimentJournals(dir));
        return Loaded { runToDiagnose(dir, run, *journals), journals };
    }),
        [this, generation, item](const Loaded& loaded) {
            m_journals = loaded.second;
            if (generation != m_loadGeneration)
                return;
            std::shared_ptr<const PaneRun> run = loaded.first;
            presentRun(std::move(run), item);
            emit itemShown(m_current);
        });
}

void ExerciseScreen::onSpanSelected()
{
    const SpanRef span = m_controller->selectedSpan();
    if (!m_run || !span.isValid()) {
        m_inspector->clear();
        return;
    }
    m_inspector->showSpan(m_run.get(), span);
    const std::string label = m_run->run.stepLabelOf(span.track, span.span);
    if (label.empty()) {
        m_stepLabel->setText(tr("That entry belongs to no step: click the failing step itself."));
        m_chosenStep.clear();
    } else {
        m_chosenStep = QString::fromStdString(label);
        m_stepLabel->setText(tr("Failing step: <b>%1</b>").arg(m_chosenStep.toHtmlEscaped()));
    }
    updateSubmit();
}

void ExerciseScreen::updateSubmit()
{
    m_submit->setEnabled(m_run && !m_chosenStep.isEmpty() && m_kind->currentIndex() > 0);
}

void ExerciseScreen::updateClock()
{
    const qint64 ms = elapsedMs();
    m_clockLabel->setText(QStringLiteral("%1:%2.%3")
                              .arg(ms / 60000)
                              .arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'))
                              .arg((ms / 100) % 10));
}

void ExerciseScreen::submit()
{
    if (!m_submit->isEnabled() || m_current < 0)
        return;
    const double seconds = double(elapsedMs()) / 1000.0;
    m_tick.stop();
    const engine::ExerciseItem& item = m_series[size_t(m_current)];
    engine::ExerciseRecord record;
    record.series = m_seriesId;
    record.person = m_person->text().trimmed();
    record.position = item.position;
    record.practice = item.practice;
    record.scenario = item.scenario;
    record.view = engine::toString(item.view);
    record.variant = item.variant();
    record.runIndex = item.runIndex;
    record.seconds = seconds;
    record.answerStep = m_chosenStep;
    record.answerKind = m_kind->currentData().toString();
    record.truthStep = item.truthStep;
    record.truthKind = item.truthKind;
    record.correct = record.answerStep == record.truthStep && record.answerKind == record.truthKind;
    record.notes = m_notes->text().trimmed();
    record.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    m_answers.push_back(record);
    ++m_pendingWrites;
    // Stored off the GUI thread, in the experiment's own results store.
    const QFuture<QString> write = QtConcurrent::run([dir = m_dir, record]() {
        engine::ResultStore store;
        QString error;
        if (store.open(dir, error))
            store.addExercise(record, error);
        return error;
    });
    m_writes.push_back(write);
    whenReady(this, write, [this, record](const QString& error) {
        --m_pendingWrites;
        if (error.isEmpty())
            emit answerStored(record);
        else
            emit failed(error);
        if (m_done && m_pendingWrites == 0)
            emit seriesFinished();
    });
    m_feedback->setText(!item.practice ? QString()
            : record.correct           ? tr("Practice answer: right.")
                                       : tr("Practice answer: the fault was \"%1\" in %2.")
                                   .arg(engine::faultKindLabel(item.truthKind), item.truthStep));
    if (m_current + 1 < int(m_series.size()))
        showItem(m_current + 1);
    else
        finish();
}

QString ExerciseScreen::setupMessage() const
{
    return m_setupState->text();
}

QString ExerciseScreen::summaryText() const
{
    return m_summary->text();
}

void ExerciseScreen::finish()
{
    m_current = -1;
    const engine::ExerciseSummary s = engine::summarizeExercises(m_answers);
    QString text = tr("<h3>Series done</h3><p>%1 recorded in the results store.</p>"
                      "<table cellpadding='4'><tr><th align='left'>View</th><th>Right</th>"
                      "<th>Median time</th></tr>")
                       .arg(counted(qint64(m_answers.size()), tr("answer"), tr("answers")));
    for (engine::DebugView view : { engine::DebugView::Today, engine::DebugView::Restate }) {
        const engine::ViewStats& v = view == engine::DebugView::Today ? s.today : s.restate;
        text += QStringLiteral("<tr><td>%1</td><td align='center'>%2 of %3</td><td "
                               "align='center'>%4</td></tr>")
                    .arg(view == engine::DebugView::Today ? tr("Today's view")
                                                          : tr("Restate's view"))
                    .arg(v.correct)
                    .arg(v.answered)
                    .arg(v.medianSeconds ? tr("%1 s").arg(v.medianSeconds->value, 0, 'f', 1)
                                         : QStringLiteral("-"));
    }
    text += QStringLiteral("</table>");
    if (s.speedup)
        text += tr("<p>Today's median over Restate's: <b>%1x</b>. The report's \"Debugging "
                   "exercises\" section pools every series of this experiment.</p>")
                    .arg(*s.speedup, 0, 'f', 2);
    m_summary->setText(text);
    showPage(2);
    m_done = true;
    if (m_pendingWrites == 0)
        emit seriesFinished();
}

} // namespace tt::gui
