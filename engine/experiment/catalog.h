// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace tt::engine {

// The variants, in the order tables and charts show them: the baseline Writer run once, the
// same relaunched from scratch on failure (a job queue's restart loop), and the durable Writer.
inline QStringList knownVariants()
{
    return { QStringLiteral("baseline"), QStringLiteral("baseline-restart"),
        QStringLiteral("restate") };
}

// One experiment scenario (resources/experiments/catalog.json): the stand-in's fault plan plus
// what the engine itself injects.
struct Scenario
{
    QString id; // transient-llm-k3
    QString group; // transient-llm: what --scenarios names
    QString description;
    QString llmScenario; // resources/scenarios/<name>.json
    QString crashAt; // STEP#N:phase, the Writer is SIGKILLed there once
    QString failOnce; // read_multiple_files#1 or save_report#1
    // restate-server is SIGKILLed once the durable run starts this step (llm_call#2), and
    // restarted on its data folder after the engine's restart delay; the baselines run as nominal.
    QString restateCrashAt;
    // restate-server is SIGKILLed just before the durable run is submitted and started again on
    // its data folder this long after (restate-down-at-start); 0: not this scenario.
    int restateDownAtStartMs = 0;
    // Either of Restate's own failures: the baselines run the scenario as nominal.
    bool breaksRestate() const { return !restateCrashAt.isEmpty() || restateDownAtStartMs > 0; }
    bool fault = false; // counted by the resilience criterion
    // The ground truth of the debugging exercises: what kind of fault (exercise.h lists them)
    // and the step it hits first (llm_call#2). Empty for a scenario without a fault.
    QString faultKind;
    QString faultStep;
    // What the plan expects of each variant (success or failure), by variant name; empty when
    // the catalog does not say.
    std::map<QString, QString> expect;
    QString expected(const QString& variant) const
    {
        const auto found = expect.find(variant);
        return found == expect.end() ? QString() : found->second;
    }
    // The client settings the baseline's expectation depends on (client_timeout_s, max_retries).
    QStringList dependsOn;
};

struct Catalog
{
    QString path;
    double clientTimeoutS = 5;
    int clientMaxRetries = 2;
    int restateInitialMs = 200;
    int restateMaxIntervalMs = 2000;
    int restateMaxAttempts = 8;
    QString restateOnMaxAttempts = QStringLiteral("pause");
    // The client that submits a durable run to Restate's ingress ("ingress_client"): on no answer
    // or a 5xx it tries again (the idempotency key makes that safe), waiting from the initial
    // delay doubling to the maximum, until its patience runs out.
    int ingressPatienceMs = 30000;
    int ingressRetryInitialMs = 100;
    int ingressRetryMaxMs = 1000;
    // What a report must hold for a run to count as a success ("report"."required_headings"):
    // the team's Writer's output contract, checked by the engine on disk after every run.
    QStringList reportHeadings = { QStringLiteral("## Executive Summary"),
        QStringLiteral("## Raw Notes"), QStringLiteral("## Detailed Agenda"),
        QStringLiteral("## Report"), QStringLiteral("## FINAL STEP") };
    std::vector<Scenario> scenarios;

    // Scenarios by id or group name ("transient-llm" gives k1..k5, "all" everything), in catalog
    // order; nothing with a reason naming the unknown entry.
    std::optional<std::vector<Scenario>> select(const QStringList& names, QString& error) const;
};

// Reads a catalog; nothing with "<file>: <what>" when it cannot.
std::optional<Catalog> loadCatalog(const QString& path, QString& error);
// A file under resources/: beside the binary once installed (share/twintrace/), else in the
// source tree.
QString resourcePath(const QString& relative);
// resources/experiments/catalog.json of this build (beside the binary, else the source tree).
QString defaultCatalogPath();
// The stand-in's scenario file for a name.
QString llmScenarioPath(const QString& name);

} // namespace tt::engine
