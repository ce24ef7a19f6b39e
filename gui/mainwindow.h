// SPDX-License-Identifier: MIT
#pragma once

#include "importjob.h"

#include <QFutureWatcher>
#include <QMainWindow>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTreeView;
class QTreeWidget;

namespace tt::gui {

class TimelineView;
class TraceListModel;

// Imported traces on the left, the selected one's timeline on the right with the selected span's
// record below it, and every import warning (file, line, message) at the bottom.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Imports in the background; importsFinished() fires once the window shows every result.
    void openPaths(const QStringList& paths);
    bool isImporting() const;

    TraceListModel* traceModel() const { return m_model; }
    TimelineView* timeline() const { return m_timeline; }

signals:
    void importsFinished();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void startNextImport();
    void showImported(const ImportedTraces& imported);
    void showTrace(int row);
    void showSpan(int index);

    TraceListModel* m_model = nullptr;
    QTreeView* m_traceList = nullptr;
    TimelineView* m_timeline = nullptr;
    QPlainTextEdit* m_details = nullptr;
    QTreeWidget* m_warnings = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_status = nullptr;
    QFutureWatcher<ImportedTraces> m_watcher;
    QStringList m_queue;
    bool m_importing = false; // until the last queued result is shown
};

} // namespace tt::gui
