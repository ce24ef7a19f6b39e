// SPDX-License-Identifier: MIT
// An outlier's reason, from its traces and the stand-in's log, against the catalog's ground
// truth: every fault run of a real recorded experiment (tests/fixtures/experiment-all), put in a
// cell beside three copies of its variant's nominal run, must be flagged, and its reason must
// name the catalog's fault step and say what happened there.
#include "engine/experiment/catalog.h"
#include "engine/experiment/celltraces.h"
#include "engine/experiment/results.h"
#include "recordedexperiment.h"

#include <QCoreApplication>

#include <gtest/gtest.h>

namespace {

using namespace tt::engine;

class CellReasons : public tt::engine::testing::RecordedExperiment
{
protected:
    // The cell {nominal, nominal, nominal, `scenario`} of one variant, explained; the fault run
    // is the last.
    CellSpread cellWith(const QString& scenario, const QString& variant)
    {
        const RunRecord* nominal = run(QStringLiteral("nominal"), variant);
        const RunRecord* fault = run(scenario, variant);
        if (!nominal || !fault)
            return {};
        const std::vector<const RunRecord*> originals { nominal, nominal, nominal, fault };
        std::vector<RunRecord> records;
        for (size_t i = 0; i < originals.size(); ++i) {
            RunRecord record = *originals[i];
            record.scenario = QStringLiteral("cell");
            record.runIndex = int(i) + 1;
            records.push_back(record);
        }
        CellSpread spread = cellSpread(records, QStringLiteral("cell"));
        std::vector<tt::timeline::RunView> views;
        views.reserve(originals.size());
        std::vector<ExplainedRun> runs;
        for (const RunRecord* original : originals)
            views.push_back(runViewOfRun(m_dir.path(), *original, m_journals));
        for (size_t i = 0; i < originals.size(); ++i) {
            const auto log = m_logs.find(llmLogKey(*originals[i]));
            runs.push_back({ variant, &views[i], &spread.runs[i].run,
                log == m_logs.end() ? std::vector<LlmRequest>() : log->second });
        }
        explainCell(spread, runs);
        return spread;
    }
};

// Words that show the reason says what happened, by the catalog's fault kind.
QStringList causeWords(const QString& kind, const QString& variant)
{
    if (kind == QLatin1String("llm-transient") || kind == QLatin1String("llm-outage"))
        return { QStringLiteral("HTTP") };
    if (kind == QLatin1String("llm-timeout"))
        return { QStringLiteral("stalled") };
    if (kind == QLatin1String("malformed-output"))
        return { QStringLiteral("headings") };
    if (kind == QLatin1String("tool-failure"))
        return { QStringLiteral("failed") };
    if (variant == QLatin1String("restate"))
        return { QStringLiteral("replayed its journal") };
    return { QStringLiteral("killed inside"), QStringLiteral("stopped before") };
}

TEST_F(CellReasons, EveryCatalogFaultRunIsFlaggedWithItsStepAndCause)
{
    QString error;
    const auto catalog = loadCatalog(QStringLiteral(TT_CATALOG), error);
    ASSERT_TRUE(catalog) << error.toStdString();
    int cells = 0;
    int right = 0;
    for (const Scenario& scenario : catalog->scenarios) {
        if (scenario.faultKind.isEmpty())
            continue;
        for (const QString& variant : { QStringLiteral("baseline"), QStringLiteral("restate") }) {
            ++cells;
            const CellSpread spread = cellWith(scenario.id, variant);
            ASSERT_EQ(spread.runs.size(), 4u) << scenario.id.toStdString();
            const CellRun& fault = spread.runs[3];
            const std::string what = scenario.id.toStdString() + " " + variant.toStdString() + ": "
                + fault.reason.toStdString();
            EXPECT_TRUE(fault.outlier) << what;
            EXPECT_FALSE(spread.runs[0].outlier) << what;
            EXPECT_EQ(fault.reasonStep, scenario.faultStep) << what;
            EXPECT_TRUE(fault.reason.contains(scenario.faultStep)) << what;
            bool cause = false;
            for (const QString& word : causeWords(scenario.faultKind, variant))
                cause = cause || fault.reason.contains(word);
            EXPECT_TRUE(cause) << what;
            right += fault.reasonStep == scenario.faultStep && cause;
        }
    }
    EXPECT_GE(cells, 28);
    EXPECT_EQ(right, cells) << right << " of " << cells << " right";
}

TEST_F(CellReasons, TheClientsRetriesComeWithTheirDelays)
{
    const CellSpread spread
        = cellWith(QStringLiteral("transient-llm-k3"), QStringLiteral("baseline"));
    ASSERT_EQ(spread.runs.size(), 4u);
    const QString reason = spread.runs[3].reason;
    EXPECT_TRUE(reason.startsWith(QLatin1String("llm_call#2 took"))) << reason.toStdString();
    EXPECT_TRUE(reason.contains(QString::fromUtf8("3 × HTTP 429"))) << reason.toStdString();
    EXPECT_TRUE(reason.contains(QLatin1String("its client retried 2 times (after ")))
        << reason.toStdString();
}

TEST_F(CellReasons, EveryRunOfTheCellIsLaidOutInSharedColumns)
{
    const CellSpread spread
        = cellWith(QStringLiteral("crash-at-llm_call#2"), QStringLiteral("baseline"));
    ASSERT_EQ(spread.columns.columnOfStep.size(), 4u);
    // The nominal copies have every step at the same place; the crashed run's steps that it
    // reached start where theirs do.
    for (size_t s = 0; s < spread.runs[3].steps.size(); ++s) {
        const int32_t column = spread.columns.columnOfStep[3][s];
        const int32_t nominal = spread.columns.stepInColumn[0][size_t(column)];
        ASSERT_GE(nominal, 0) << s;
        EXPECT_EQ(spread.columns.stepStart(3, s), spread.columns.stepStart(0, size_t(nominal)));
    }
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
