// SPDX-License-Identifier: MIT
#pragma once

#include "gui/mainwindow.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace tt::gui::testing {

inline QString fixture(const char* relative)
{
    return QStringLiteral(TT_FIXTURES "/") + QLatin1String(relative);
}

// Waits until the window has shown everything it was asked to load.
inline bool waitIdle(MainWindow& window, int timeoutMs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    QSignalSpy idle(&window, &MainWindow::idle);
    while (window.isBusy()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        idle.wait(200);
    }
    return true;
}

// A copy of a fixture folder (a results store may be migrated when opened).
inline bool copyTree(const QString& from, const QString& to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

// A recorded experiment: experiment-small (nominal, transient-llm-k3, crash-at-llm_call#2; one
// run each) unless another is named (experiment-faults: every scenario of the catalog).
struct ExperimentCopy
{
    QTemporaryDir temp;
    QString dir;
    explicit ExperimentCopy(const char* name = "experiment-small")
    {
        dir = temp.path() + QStringLiteral("/experiment");
        copyTree(fixture(name), dir);
    }
};

} // namespace tt::gui::testing
