// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "qtext.h"

#include "timelineview.h"
#include "tracelistmodel.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeView>
#include <QTreeWidget>

namespace tt::gui {

namespace {

// The inspector shows at most this much of a record; a 50 MB payload must not freeze the window.
constexpr qsizetype kMaxShownBytes = 256 * 1024;

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_model(new TraceListModel(this))
{
    setWindowTitle(tr("TwinTrace"));
    setAcceptDrops(true);
    resize(1280, 800);

    m_traceList = new QTreeView;
    m_traceList->setModel(m_model);
    m_traceList->setRootIsDecorated(false);
    m_traceList->setAlternatingRowColors(true);
    m_traceList->setAccessibleName(tr("Imported traces"));
    m_traceList->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_timeline = new TimelineView;
    m_details = new QPlainTextEdit;
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Click a span to see its record"));
    m_details->setAccessibleName(tr("Span record"));
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_warnings = new QTreeWidget;
    m_warnings->setHeaderLabels({ tr("File"), tr("Line"), tr("Problem") });
    m_warnings->setRootIsDecorated(false);
    m_warnings->setAccessibleName(tr("Import warnings"));

    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(m_timeline);
    right->addWidget(m_details);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);

    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_traceList);
    top->addWidget(right);
    top->setStretchFactor(1, 3);
    top->setSizes({ 420, 860 });

    auto* main = new QSplitter(Qt::Vertical);
    main->addWidget(top);
    main->addWidget(m_warnings);
    main->setStretchFactor(0, 4);
    main->setStretchFactor(1, 1);
    setCentralWidget(main);

    m_status = new QLabel(tr("Ready"));
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_busy);

    createMenus();
    connect(m_traceList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showTrace(current.row()); });
    connect(m_timeline, &TimelineView::spanSelected, this, &MainWindow::showSpan);
    connect(&m_watcher, &QFutureWatcher<ImportedTraces>::finished, this, [this]() {
        showImported(m_watcher.result());
        startNextImport();
    });
}

MainWindow::~MainWindow()
{
    m_watcher.waitForFinished();
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open traces..."), this, [this]() {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Open traces"), {}, tr("Traces (*.jsonl *.json *.log);;All files (*)"));
        if (!paths.isEmpty())
            openPaths(paths);
    });
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Restate admin API..."), this, [this]() {
        bool ok = false;
        const QString url = QInputDialog::getText(this, tr("Open Restate admin API"),
            tr("Admin URL (its invocations, journals and retry events are imported):"),
            QLineEdit::Normal, QStringLiteral("http://127.0.0.1:9070"), &ok);
        if (ok && !url.trimmed().isEmpty())
            openPaths({ url.trimmed() });
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* fit = view->addAction(tr("&Fit timeline"), m_timeline, &TimelineView::fit);
    fit->setShortcut(Qt::Key_F);
}

void MainWindow::openPaths(const QStringList& paths)
{
    m_queue += paths;
    if (!m_importing) {
        m_importing = true;
        startNextImport();
    }
}

bool MainWindow::isImporting() const
{
    return m_importing;
}

void MainWindow::startNextImport()
{
    if (m_queue.isEmpty()) {
        m_importing = false;
        m_busy->hide();
        emit importsFinished();
        return;
    }
    const QStringList batch = m_queue;
    m_queue.clear();
    m_busy->show();
    m_status->setText(tr("Importing %n file(s)...", nullptr, int(batch.size())));
    m_watcher.setFuture(importInBackground(batch));
}

void MainWindow::showImported(const ImportedTraces& imported)
{
    const bool first = m_model->rowCount() == 0;
    m_model->addTraces(imported.traces);
    for (const auto& warning : imported.warnings) {
        auto* item = new QTreeWidgetItem(m_warnings);
        const QString source = QString::fromStdString(warning.source);
        item->setText(0, QFileInfo(source).fileName());
        item->setToolTip(0, source);
        item->setText(1, warning.line > 0 ? QString::number(warning.line) : QString());
        item->setText(2, QString::fromStdString(warning.message));
        item->setToolTip(2, item->text(2));
    }
    size_t spans = 0;
    for (const auto& trace : imported.traces)
        spans += trace->spans.size();
    m_status->setText(tr("Imported %1 traces, %2 spans, %3 warnings")
                          .arg(imported.traces.size())
                          .arg(spans)
                          .arg(imported.warnings.size()));
    if (first && m_model->rowCount() > 0)
        m_traceList->setCurrentIndex(m_model->index(0, 0));
}

void MainWindow::showTrace(int row)
{
    m_timeline->setTrace(m_model->traceAt(row));
    m_details->clear();
}

void MainWindow::showSpan(int index)
{
    const auto trace = m_timeline->trace();
    if (!trace || index < 0 || index >= int(trace->spans.size())) {
        m_details->clear();
        return;
    }
    const auto& span = trace->spans[size_t(index)];
    const std::string_view payload = trace->str(span.payload);
    QByteArray bytes(payload.data(), qsizetype(std::min<size_t>(payload.size(), kMaxShownBytes)));
    QString text;
    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    text = document.isNull() ? QString::fromUtf8(bytes) : QString::fromUtf8(document.toJson());
    if (payload.size() > size_t(kMaxShownBytes))
        text += tr("\n... %1 more bytes not shown").arg(payload.size() - size_t(kMaxShownBytes));
    if (span.hasError())
        text.prepend(tr("Error: %1\n\n").arg(toQString(trace->str(span.error))));
    m_details->setPlainText(text);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    openPaths(paths);
}

} // namespace tt::gui
