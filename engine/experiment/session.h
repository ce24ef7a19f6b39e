// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "child.h"
#include "resultstore.h"
#include "runner.h"

#include "engine/restate/restateserver.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>

#include <atomic>
#include <memory>

namespace tt::engine {

// One experiment session's processes and its two kinds of run. The runner decides what runs;
// this knows how: the stand-in per scenario, the durable endpoint, a baseline process, and what
// each run measured.
struct RunSession
{
    ExperimentOptions options;
    Catalog catalog;
    ResultStore store;
    std::unique_ptr<RestateServer> restate;
    Child llm;
    Child endpoint;
    int llmPort = 0;
    int endpointPort = 0;
    QString llmLog;
    QString session; // tells this process's run ids from an interrupted one's
    QString logDir;
    QElapsedTimer sinceLaunch;
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(); }
    // The Restate server the durable runs go to: ours, or the team's (DGX Spark mode).
    bool hasRestate() const { return restate || options.external; }
    QString adminUrl() const;
    QString ingressUrl() const;
    QByteArray queryAdmin(const QString& sql, int& status, int timeoutMs);
    QString bin(const QString& name) const;
    bool startLlm(const Scenario& scenario, QString& error);
    bool startEndpoint(const QString& crashAt, QString& error);
    void saveJournals(QString& warning);
    QString prepareRun(const Scenario& scenario, const QString& variant, int index, QString& error);
    RunRecord runBaseline(const Scenario& scenario, const QString& dir, const QString& runId);
    // The team's baseline command line (externalruns.cpp).
    RunRecord runExternalBaseline(
        const Scenario& scenario, const QString& dir, const QString& runId);
    RunRecord runDurable(
        const Scenario& scenario, const QString& dir, const QString& runId, QString& error);

private:
    QStringList clientOptions() const;
    QJsonObject writerInput(
        const QString& dir, const QString& runId, const Scenario& scenario) const;
    void fillLlm(RunRecord& record, const QString& runId);
    // Waits for a Writer process; kills it on cancel or past limitMs (then false).
    bool waitForWriter(QProcess& process, const QElapsedTimer& clock, qint64 limitMs) const;
    Placeholders placeholders(
        const QString& dir, const QString& runId, const Scenario& scenario) const;
};

int reportFiles(const QString& outputDir);

} // namespace tt::engine
