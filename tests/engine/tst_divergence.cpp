// SPDX-License-Identifier: MIT
// The divergence paragraph against the catalog's ground truth: every fault scenario of a real
// recorded experiment (tests/fixtures/experiment-all) must name the catalog's fault step and kind.
#include "engine/experiment/catalog.h"
#include "engine/experiment/divergence.h"
#include "engine/experiment/results.h"
#include "recordedexperiment.h"

#include <QCoreApplication>

#include <gtest/gtest.h>

namespace {

using namespace tt::engine;

class Divergences : public tt::engine::testing::RecordedExperiment
{
protected:
    Divergence explain(const QString& scenario) const
    {
        const RunRecord* left = run(scenario, QStringLiteral("baseline"));
        const RunRecord* right = run(scenario, QStringLiteral("restate"));
        if (!left || !right)
            return {};
        return explainRuns(m_dir.path(), *left, *right, m_journals, m_logs);
    }
};

TEST_F(Divergences, EveryCatalogFaultScenarioNamesItsStepAndKind)
{
    QString error;
    const auto catalog = loadCatalog(QStringLiteral(TT_CATALOG), error);
    ASSERT_TRUE(catalog) << error.toStdString();
    int faults = 0;
    int right = 0;
    for (const Scenario& scenario : catalog->scenarios) {
        if (scenario.faultKind.isEmpty())
            continue;
        ++faults;
        // A scenario added to the catalog needs the fixture re-recorded (see its README).
        ASSERT_TRUE(run(scenario.id, QStringLiteral("baseline"))) << scenario.id.toStdString();
        const Divergence divergence = explain(scenario.id);
        EXPECT_EQ(divergence.step, scenario.faultStep)
            << scenario.id.toStdString() << ": " << divergence.text.toStdString();
        EXPECT_EQ(divergence.faultKind, scenario.faultKind)
            << scenario.id.toStdString() << ": " << divergence.text.toStdString();
        EXPECT_TRUE(divergence.text.contains(scenario.faultStep)) << scenario.id.toStdString();
        right
            += divergence.step == scenario.faultStep && divergence.faultKind == scenario.faultKind;
    }
    EXPECT_GE(faults, 14);
    EXPECT_EQ(right, faults) << right << " of " << faults << " right";
}

TEST_F(Divergences, NominalRunsDoNotDiffer)
{
    const Divergence divergence = explain(QStringLiteral("nominal"));
    EXPECT_TRUE(divergence.step.isEmpty()) << divergence.text.toStdString();
    EXPECT_TRUE(divergence.faultKind.isEmpty());
    EXPECT_TRUE(divergence.text.contains(QLatin1String("do not differ")));
}

TEST_F(Divergences, TransientK3SaysRetriesOutcomesAndCost)
{
    const QString text = explain(QStringLiteral("transient-llm-k3")).text;
    EXPECT_TRUE(text.contains(QLatin1String("Both runs match until llm_call#2")))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QString::fromUtf8("3 × HTTP 429"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QLatin1String("its client retried 2 times"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QLatin1String("llm_unavailable"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QLatin1String("Restate retried the step once")))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QLatin1String("later than baseline failed"))) << text.toStdString();
}

// Two traces with no experiment behind them: only what the traces say.
TEST_F(Divergences, ImportedTracesWithoutRecordsNameTheFailedTool)
{
    const RunRecord* left = run(QStringLiteral("tool-fails-once-read"), QStringLiteral("baseline"));
    const RunRecord* right = run(QStringLiteral("tool-fails-once-read"), QStringLiteral("restate"));
    ASSERT_TRUE(left && right);
    const auto leftView = runViewOfRun(m_dir.path(), *left, m_journals);
    const auto rightView = runViewOfRun(m_dir.path(), *right, m_journals);
    const Divergence divergence
        = explainDivergence({ QStringLiteral("a.log"), &leftView, nullptr, {} },
            { QStringLiteral("b.log"), &rightView, nullptr, {} });
    EXPECT_EQ(divergence.step, QStringLiteral("read_multiple_files#1"))
        << divergence.text.toStdString();
    EXPECT_EQ(divergence.faultKind, QStringLiteral("tool-failure"));
    EXPECT_FALSE(divergence.text.contains(QLatin1String("Restate retried")));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // resources are found beside the binary
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
