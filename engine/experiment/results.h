// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"
#include "engine/exercise/exercisestats.h"
#include "resultstore.h"
#include "stats.h"

#include <QString>

#include <map>
#include <optional>

namespace tt::engine {

// An experiment folder read back: its runs, the scenarios they came from, and their summary.
struct ExperimentResults
{
    QString dir;
    std::vector<RunRecord> runs;
    std::vector<Scenario> scenarios;
    int ingressPatienceMs = 0; // the catalog's ingress client's patience (0: no catalog)
    Summary summary;
    std::vector<ExerciseRecord> exercises;
    ExerciseSummary exerciseSummary;
    QString restateVersion;
    QString method;
    SetupParts setup;
    QString refactorSpec; // what the refactor size was measured on, if anything
    std::map<QString, QString> meta; // experiment-wide facts (what ran: the team's parts...)
};

// Reads DIR/results.sqlite and summarizes it (catalog: the one the experiment used unless one is
// named; refactor: the --refactor SPEC the experiment was given unless one is named). Nothing,
// with a reason, when the folder has no results store.
std::optional<ExperimentResults> loadResults(const QString& dir, QString& error,
    const QString& catalogPath = {}, const QString& refactorSpec = {});
bool isResultsFolder(const QString& dir);

} // namespace tt::engine
