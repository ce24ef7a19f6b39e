// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace tt::engine {

// A child process of the experiment: it dies with the engine (PR_SET_PDEATHSIG, even when the
// engine is killed with SIGKILL), is started until it prints its ready line, and is stopped
// politely (SIGTERM), then firmly (SIGKILL).
class Child
{
public:
    ~Child() { stop(); }

    // Starts `program` and waits until its stdout contains `readyText`. Its stdout and stderr
    // are appended to <logBase>.stdout.log and <logBase>.stderr.log. False with a reason (with
    // the end of what it printed).
    bool start(const QString& program, const QStringList& arguments, const QString& logBase,
        const QByteArray& readyText, QString& error, int timeoutMs = 15000);
    // Whether it still runs. Asks the process now: without an event loop, QProcess would not
    // notice a child that died (the durable endpoint at its crash point).
    bool running()
    {
        if (m_process && m_process->state() != QProcess::NotRunning)
            m_process->waitForFinished(0);
        return m_process && m_process->state() != QProcess::NotRunning;
    }
    QProcess* process() { return m_process.get(); }
    void stop();

    // For processes the engine starts without a Child (one baseline per run).
    static void dieWithParent(QProcess& process);

private:
    std::unique_ptr<QProcess> m_process;
};

} // namespace tt::engine
