// SPDX-License-Identifier: MIT
#pragma once

#include "engine/exercise/evidence.h"
#include "engine/experiment/stats.h"

#include <QString>
#include <QStringList>

#include <map>

namespace tt::engine {

// An image of the report: a chart, or a screenshot with a caption that says what to look at.
struct ReportImage
{
    QString path; // relative to the report's folder
    QString caption; // empty for charts (their file name names them)
    QString explanation; // a pair's divergence in words (engine::explainDivergence), or empty
};

struct ReportInputs
{
    QString outDir; // where RESTATE_POC_RESULTS.md goes
    QString adrDir; // where the ADR draft goes (usually defaultAdrDir: DIR/adr); empty: none
    Summary summary;
    std::vector<RunRecord> runs;
    std::vector<Scenario> scenarios;
    std::map<QString, QString> environment; // name -> version or description
    std::map<QString, QString> meta; // the store's experiment-wide facts (what ran, how)
    QString method; // how the experiment ran (command line, seed, scale)
    std::vector<ReportImage> images; // charts, then screenshots
    std::vector<ExerciseRecord> exercises; // the timed debugging exercises
    ExerciseSummary exerciseSummary;
    std::vector<EvidenceDepth> evidence; // entries to read before the evidence, per view
    int ingressPatienceMs = 0; // the catalog's ingress client's patience
};

// Writes RESTATE_POC_RESULTS.md (environment, method, a table per scenario, the Go/NoGo table,
// charts, limits) and an ADR draft from the data. Returns the report's path, or "" and a reason.
QString writeReport(const ReportInputs& inputs, QString& error);

// The "Debugging exercises" section: per view, answers, accuracy and median time; every answer;
// the entries one reads before the evidence in each view.
QString exerciseSection(const ReportInputs& inputs);

// "What Restate saves over a restart loop": durable vs baseline-restart on each fault scenario
// (savingssection.cpp); and one scenario's saving as one sentence, for the ADR draft.
QString savingsSection(const Summary& summary);
QString savingsSentence(const RestartSaving& saving);

// "When Restate itself fails": each durable run of restate-crash and restate-down-at-start, its
// outage, what the ingress client saw and its recovery (restatefailuresection.cpp); empty when
// none ran.
QString restateFailureSection(const ReportInputs& inputs);

// What the environment section lists: machine, OS, CPU, memory, Qt, GPU, and the parts the
// experiment ran as its store recorded them (restate-server, the LLM, the Writers).
std::map<QString, QString> describeEnvironment(const std::map<QString, QString>& meta);

} // namespace tt::engine
