// SPDX-License-Identifier: MIT
// The engine's statistics and verdicts on known numbers.
#include "engine/experiment/stats.h"

#include <QTemporaryDir>
#include <QTextStream>

#include <gtest/gtest.h>

using namespace tt::engine;

TEST(Stats, WilsonIntervalsMatchTheFormula)
{
    // Reference values: Wilson score interval, z = 1.96 (e.g. Newcombe 1998, table I).
    const Interval none = wilson(0, 3);
    EXPECT_DOUBLE_EQ(none.value, 0);
    EXPECT_NEAR(none.low, 0, 1e-9);
    EXPECT_NEAR(none.high, 0.5615, 1e-3);
    const Interval all = wilson(10, 10);
    EXPECT_NEAR(all.low, 0.7225, 1e-3);
    EXPECT_NEAR(all.high, 1, 1e-9);
    const Interval half = wilson(15, 148);
    EXPECT_NEAR(half.low, 0.0624, 1e-3);
    EXPECT_NEAR(half.high, 0.1605, 1e-3);
}

TEST(Stats, BootstrapIsSeededAndBracketsTheStatistic)
{
    const std::vector<double> sample = { 10, 12, 11, 15, 30, 11, 13, 12, 14, 11 };
    const Interval a = bootstrap(sample, Statistic::Median, 7);
    const Interval b = bootstrap(sample, Statistic::Median, 7);
    EXPECT_EQ(a.low, b.low);
    EXPECT_EQ(a.high, b.high);
    EXPECT_DOUBLE_EQ(a.value, 12);
    EXPECT_LE(a.low, a.value);
    EXPECT_GE(a.high, a.value);
    EXPECT_DOUBLE_EQ(percentile({ 1, 2, 3, 4 }, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(bootstrap({ 5 }, Statistic::P95).high, 5);
}

namespace {

RunRecord run(const char* scenario, const char* variant, int index, bool success, double wallMs)
{
    RunRecord r;
    r.scenario = QLatin1String(scenario);
    r.variant = QLatin1String(variant);
    r.runIndex = index;
    r.success = success;
    r.outcome = success ? QStringLiteral("success") : QStringLiteral("llm_unavailable");
    r.wallMs = wallMs;
    r.llmRequests = 2;
    r.llmAnswered = 2;
    return r;
}

Scenario scenario(const char* id, bool fault)
{
    Scenario s;
    s.id = QLatin1String(id);
    s.group = s.id;
    s.fault = fault;
    return s;
}

const Criterion& criterion(const Summary& summary, const char* name)
{
    for (const Criterion& c : summary.goNoGo)
        if (c.criterion == QLatin1String(name))
            return c;
    throw std::runtime_error(name);
}

} // namespace

TEST(Stats, VerdictsFollowTheThresholds)
{
    SummaryInputs inputs;
    inputs.scenarios = { scenario("nominal", false), scenario("transient", true) };
    for (int i = 1; i <= 4; ++i) {
        inputs.runs.push_back(run("nominal", "baseline", i, true, 1000));
        inputs.runs.push_back(run("nominal", "restate", i, true, 1050)); // +5 %
        inputs.runs.push_back(run("transient", "baseline", i, i <= 2, 1000)); // 50 %
        inputs.runs.push_back(run("transient", "restate", i, true, 1500)); // 100 %
    }
    inputs.setupMs = 4000;
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QString& text) {
        QFile file(dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(text.toUtf8());
        return file.fileName();
    };
    inputs.refactor
        = { { write(QStringLiteral("a.py"), QStringLiteral("a = 1\n# comment\nb = 2\n")) },
              { write(QStringLiteral("b.py"), QStringLiteral("a = 1\n\nc = 3\nb = 2\nd = 4\n")) } };
    const Summary summary = summarize(inputs);
    ASSERT_EQ(summary.cells.size(), 4u);
    EXPECT_NEAR(summary.overheadPct->value, 5.0, 1e-9);
    EXPECT_EQ(criterion(summary, "overhead").verdict, QStringLiteral("GO"));
    EXPECT_EQ(criterion(summary, "resilience").verdict, QStringLiteral("GO")); // +50 points
    EXPECT_EQ(criterion(summary, "refactor size").value, QStringLiteral("+2 lines"));
    EXPECT_EQ(criterion(summary, "setup time").verdict, QStringLiteral("GO"));
    EXPECT_EQ(criterion(summary, "debugging time").verdict, QStringLiteral("not measured"));

    // 15 % slower and no gain in resilience: both criteria fail.
    for (RunRecord& r : inputs.runs) {
        if (r.scenario == QLatin1String("nominal") && r.variant == QLatin1String("restate"))
            r.wallMs = 1150;
        if (r.scenario == QLatin1String("transient") && r.variant == QLatin1String("restate"))
            r.success = r.runIndex <= 2; // 50 %, as the baseline
    }
    const Summary worse = summarize(inputs);
    EXPECT_EQ(criterion(worse, "overhead").verdict, QStringLiteral("NO-GO"));
    EXPECT_EQ(criterion(worse, "resilience").verdict, QStringLiteral("NO-GO"));
}
