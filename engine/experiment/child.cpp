// SPDX-License-Identifier: MIT
#include "child.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <sys/prctl.h>

#include <csignal>

namespace tt::engine {

void Child::dieWithParent(QProcess& process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

bool Child::start(const QString& program, const QStringList& arguments, const QString& logBase,
    const QByteArray& readyText, QString& error, int timeoutMs)
{
    stop();
    m_process = std::make_unique<QProcess>();
    dieWithParent(*m_process);
    // Both streams go to files: nobody reads a pipe during the runs, and a full pipe would block
    // the child on its next progress line.
    const QString out = logBase + QStringLiteral(".stdout.log");
    QFile stdoutFile(out);
    const qint64 from = stdoutFile.exists() ? stdoutFile.size() : 0;
    m_process->setStandardOutputFile(out, QIODevice::Append);
    m_process->setStandardErrorFile(logBase + QStringLiteral(".stderr.log"), QIODevice::Append);
    m_process->start(program, arguments);
    if (!m_process->waitForStarted(10000)) {
        error = QStringLiteral("cannot start %1: %2").arg(program, m_process->errorString());
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    QByteArray seen;
    while (clock.elapsed() < timeoutMs) {
        if (stdoutFile.open(QIODevice::ReadOnly)) {
            stdoutFile.seek(from);
            seen = stdoutFile.readAll();
            stdoutFile.close();
            if (seen.contains(readyText))
                return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
        m_process->waitForFinished(20); // returns at once if it exits
    }
    error = QStringLiteral("%1 did not start (%2): %3")
                .arg(QFileInfo(program).fileName(),
                    m_process->state() == QProcess::NotRunning ? QStringLiteral("it exited")
                                                               : QStringLiteral("timeout"),
                    QString::fromUtf8(seen.right(300)));
    stop();
    return false;
}

void Child::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
    m_process.reset();
}

} // namespace tt::engine
