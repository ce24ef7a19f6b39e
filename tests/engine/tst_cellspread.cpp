// SPDX-License-Identifier: MIT
// The spread of a cell: its median run, and the runs beyond Tukey's fences with their reason.
#include "engine/experiment/cellspread.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace tt::engine;

RunRecord record(const char* variant, int index, double wallMs)
{
    RunRecord run;
    run.scenario = QStringLiteral("transient-llm-k3");
    run.variant = QLatin1String(variant);
    run.runIndex = index;
    run.wallMs = wallMs;
    run.success = true;
    run.outcome = QStringLiteral("success");
    run.restateRetries = 1;
    run.llmRequests = 5;
    return run;
}

TEST(CellSpread, MarksTheMedianRunAndFlagsAnOutlierWithItsReason)
{
    std::vector<RunRecord> runs;
    const double walls[] = { 2600, 2640, 2590, 2700, 2610, 2620, 6900 };
    for (int i = 0; i < 7; ++i)
        runs.push_back(record("restate", i + 1, walls[i]));
    runs[6].restateRetries = 3;
    runs[6].llmRequests = 7;
    runs.push_back(record("baseline", 1, 2100)); // another variant: not in the cell asked for
    const CellSpread spread
        = cellSpread(runs, QStringLiteral("transient-llm-k3"), { QStringLiteral("restate") });
    ASSERT_EQ(spread.runs.size(), 7u);
    EXPECT_DOUBLE_EQ(spread.medianMs, 2620);
    int medians = 0;
    for (const CellRun& cell : spread.runs) {
        medians += cell.median;
        EXPECT_EQ(cell.median, cell.run.runIndex == 6) << cell.run.runIndex;
        EXPECT_EQ(cell.outlier, cell.run.runIndex == 7) << cell.run.runIndex;
    }
    EXPECT_EQ(medians, 1);
    EXPECT_EQ(spread.runs[6].reason,
        QStringLiteral("3 Restate retries (median 1), 7 LLM requests (median 5)"));
}

TEST(CellSpread, BothVariantsTogetherEachWithItsMedian)
{
    // Fast crashed baselines beside slow durable runs: neither side is the other's outlier.
    std::vector<RunRecord> runs = { record("baseline", 1, 100), record("baseline", 2, 104),
        record("baseline", 3, 90), record("restate", 1, 900), record("restate", 2, 950) };
    const CellSpread spread = cellSpread(runs, QStringLiteral("transient-llm-k3"));
    ASSERT_EQ(spread.runs.size(), 5u);
    EXPECT_EQ(spread.runs[0].run.variant, QStringLiteral("baseline"));
    EXPECT_TRUE(spread.runs[0].median); // baseline #1, 100 ms
    EXPECT_TRUE(spread.runs[3].median); // restate #1, 900 ms (the lower middle)
    EXPECT_EQ(std::count_if(spread.runs.begin(), spread.runs.end(),
                  [](const CellRun& cell) { return cell.median; }),
        2);
    for (const CellRun& cell : spread.runs)
        EXPECT_FALSE(cell.outlier) << cell.run.variant.toStdString() << cell.run.runIndex;
}

TEST(CellSpread, WidestCellsComeFirst)
{
    std::vector<RunRecord> runs;
    for (int i = 0; i < 4; ++i) {
        RunRecord tight = record("restate", i + 1, 1000 + i);
        tight.scenario = QStringLiteral("nominal");
        runs.push_back(tight);
        runs.push_back(record("restate", i + 1, 1000 + 500 * i));
    }
    EXPECT_EQ(widestCells(runs, 1), QStringList { QStringLiteral("transient-llm-k3") });
    EXPECT_EQ(widestCells(runs, 5).size(), 2);
}

} // namespace
