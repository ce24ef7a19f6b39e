// SPDX-License-Identifier: MIT
#include "results.h"

#include <QDir>
#include <QFileInfo>

namespace tt::engine {

bool isResultsFolder(const QString& dir)
{
    return QFileInfo(QDir(dir).filePath(QStringLiteral("results.sqlite"))).isFile();
}

std::optional<ExperimentResults> loadResults(
    const QString& dir, QString& error, const QString& catalogPath, const QString& refactorSpec)
{
    if (!isResultsFolder(dir)) {
        error = QStringLiteral("%1 has no results.sqlite: run `twintrace run --out %1` first")
                    .arg(dir);
        return std::nullopt;
    }
    ResultStore store; // read only: looking at results changes nothing in their folder
    if (!store.openToRead(dir, error))
        return std::nullopt;
    ExperimentResults results;
    results.dir = dir;
    QString catalogError;
    // The catalog the experiment used, unless one is named; a folder moved to another machine
    // (or a checkout elsewhere) falls back to this build's.
    QString catalogFile
        = catalogPath.isEmpty() ? store.meta(QStringLiteral("catalog")) : catalogPath;
    if (catalogPath.isEmpty() && !QFileInfo::exists(catalogFile))
        catalogFile = defaultCatalogPath();
    const auto catalog = loadCatalog(catalogFile, catalogError);
    SummaryInputs inputs;
    inputs.runs = store.runs();
    if (catalog)
        inputs.scenarios = catalog->scenarios;
    // The team's Writer, as named now or when the experiment ran; never TwinTrace's own.
    inputs.refactorSpec
        = refactorSpec.isEmpty() ? store.meta(QStringLiteral("refactor")) : refactorSpec;
    inputs.seed = store.meta(QStringLiteral("seed")).toULongLong();
    inputs.setup = loadSetupParts(store);
    inputs.settingsNotPassed = store.meta(QStringLiteral("settings_not_passed"))
                                   .split(QLatin1Char(','), Qt::SkipEmptyParts);
    results.exercises = store.exercises();
    results.exerciseSummary = summarizeExercises(results.exercises, inputs.seed);
    const ExerciseSummary& ex = results.exerciseSummary;
    // A verdict needs a few right answers in each view; fewer say so instead.
    constexpr int kMinRight = 3;
    if (ex.today.answered + ex.restate.answered > 0) {
        if (ex.speedup && ex.today.correct >= kMinRight && ex.restate.correct >= kMinRight) {
            inputs.debuggingSpeedup = ex.speedup;
            inputs.debuggingAccuracyGain = ex.restate.accuracy.value - ex.today.accuracy.value;
        }
        inputs.debuggingDetail
            = QStringLiteral("median time to the right step and fault: %1 with Restate's view, "
                             "%2 with today's logs and traces; accuracy %3 % vs %4 %; %5 "
                             "answers from %6 person(s)%7")
                  .arg(ex.restate.medianSeconds
                          ? QStringLiteral("%1 s").arg(ex.restate.medianSeconds->value, 0, 'f', 1)
                          : QStringLiteral("-"),
                      ex.today.medianSeconds
                          ? QStringLiteral("%1 s").arg(ex.today.medianSeconds->value, 0, 'f', 1)
                          : QStringLiteral("-"))
                  .arg(ex.restate.accuracy.value * 100, 0, 'f', 0)
                  .arg(ex.today.accuracy.value * 100, 0, 'f', 0)
                  .arg(ex.restate.answered + ex.today.answered)
                  .arg(ex.people)
                  .arg(inputs.debuggingSpeedup
                          ? QString()
                          : QStringLiteral(" (a verdict needs %1 right answers in each view)")
                                .arg(kMinRight));
    }
    results.summary = summarize(inputs);
    results.runs = std::move(inputs.runs);
    results.scenarios = std::move(inputs.scenarios);
    results.ingressPatienceMs = catalog ? catalog->ingressPatienceMs : 0;
    results.restateVersion = store.meta(QStringLiteral("restate_version"));
    results.method = store.meta(QStringLiteral("method"));
    results.setup = inputs.setup;
    results.refactorSpec = inputs.refactorSpec;
    results.meta = store.allMeta();
    return results;
}

} // namespace tt::engine
