// SPDX-License-Identifier: MIT
// The engine's statistics and verdicts on known numbers.
#include "engine/experiment/refactor.h"
#include "engine/experiment/stats.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <algorithm>

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
    inputs.setup.installMs = 9000;
    inputs.setup.serverStartMs = 1500;
    inputs.setup.registerMs = 500;
    inputs.setup.firstRunMs = 2000;
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QString& text) {
        QFile file(dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(text.toUtf8());
        return file.fileName();
    };
    inputs.refactorSpec = write(QStringLiteral("a.py"), QStringLiteral("a = 1\n# comment\nb = 2\n"))
        + QLatin1Char(':')
        + write(QStringLiteral("b.py"), QStringLiteral("a = 1\n\nc = 3\nb = 2\nd = 4\n"));
    const Summary summary = summarize(inputs);
    ASSERT_EQ(summary.cells.size(), 4u);
    EXPECT_NEAR(summary.overheadPct->value, 5.0, 1e-9);
    EXPECT_EQ(criterion(summary, "overhead").verdict, QStringLiteral("GO"));
    EXPECT_EQ(criterion(summary, "resilience").verdict, QStringLiteral("GO")); // +50 points
    EXPECT_EQ(criterion(summary, "refactor size").value, QStringLiteral("+2 lines"));
    EXPECT_EQ(criterion(summary, "setup time").verdict, QStringLiteral("GO"));
    EXPECT_TRUE(criterion(summary, "setup time").value.startsWith(QLatin1String("13.0 s")))
        << qPrintable(criterion(summary, "setup time").value);
    EXPECT_EQ(criterion(summary, "debugging time").verdict, QStringLiteral("not measured"));
    EXPECT_EQ(decisionLine(summary),
        QStringLiteral("GO on every measured criterion (4 of 5); not measured: debugging time"));

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
    EXPECT_EQ(decisionLine(worse),
        QStringLiteral("NO-GO on resilience, overhead; not measured: debugging time"));
}

TEST(Stats, UnmeasuredCriteriaDoNotDecide)
{
    // No --refactor, no setup timed: the decision rests on what was measured, and names the rest.
    SummaryInputs inputs;
    inputs.scenarios = { scenario("nominal", false), scenario("transient", true) };
    for (int i = 1; i <= 3; ++i) {
        inputs.runs.push_back(run("nominal", "baseline", i, true, 1000));
        inputs.runs.push_back(run("nominal", "restate", i, true, 1010));
        inputs.runs.push_back(run("transient", "baseline", i, false, 1000));
        inputs.runs.push_back(run("transient", "restate", i, true, 1500));
    }
    const Summary summary = summarize(inputs);
    const Criterion& refactor = criterion(summary, "refactor size");
    EXPECT_EQ(refactor.verdict, QStringLiteral("not measured"));
    EXPECT_TRUE(refactor.value.contains(QLatin1String("not the team's code")));
    EXPECT_TRUE(refactor.howToMeasure.contains(QLatin1String("--refactor")));
    EXPECT_EQ(criterion(summary, "setup time").verdict, QStringLiteral("not measured"));
    // Some parts timed: still no verdict, unless they already exceed the threshold.
    inputs.setup.serverStartMs = 1500;
    inputs.setup.firstRunMs = 2000;
    const Criterion partial = criterion(summarize(inputs), "setup time");
    EXPECT_EQ(partial.verdict, QStringLiteral("not measured"));
    EXPECT_TRUE(partial.value.contains(QLatin1String("not timed: install, registration")))
        << qPrintable(partial.value);
    inputs.setup.firstRunMs = 31 * 60 * 1000;
    EXPECT_EQ(criterion(summarize(inputs), "setup time").verdict, QStringLiteral("NO-GO"));
    inputs.setup = {};
    EXPECT_EQ(decisionLine(summary),
        QStringLiteral("GO on every measured criterion (2 of 5); not measured: refactor size, "
                       "setup time, debugging time"));
}

TEST(Stats, TheCostOfDurabilityPerRunAndPerStep)
{
    SummaryInputs inputs;
    inputs.scenarios = { scenario("nominal", false) };
    for (int i = 1; i <= 3; ++i) {
        RunRecord base = run("nominal", "baseline", i, true, 1000 + i);
        base.writerMs = 900 + i;
        RunRecord durable = run("nominal", "restate", i, true, 1020 + i);
        durable.writerMs = 912 + i; // 12 ms more inside the Writer
        durable.durableSteps = 4;
        inputs.runs.push_back(base);
        inputs.runs.push_back(durable);
    }
    const Summary summary = summarize(inputs);
    ASSERT_TRUE(summary.cost);
    EXPECT_NEAR(summary.cost->perRunMs.value, 20, 1e-9);
    ASSERT_TRUE(summary.cost->writerSpanMs);
    EXPECT_NEAR(summary.cost->writerSpanMs->value, 12, 1e-9);
    EXPECT_DOUBLE_EQ(summary.cost->durableSteps, 4);
    ASSERT_TRUE(summary.cost->perStepMs);
    EXPECT_NEAR(*summary.cost->perStepMs, 3, 1e-9);
    EXPECT_TRUE(criterion(summary, "overhead").value.contains(QLatin1String("+20 ms per run")))
        << qPrintable(criterion(summary, "overhead").value);
}

TEST(Stats, WhatRestateSavesOverTheRestartLoop)
{
    SummaryInputs inputs;
    Scenario crash = scenario("crash", true);
    crash.expect = { { QStringLiteral("baseline"), QStringLiteral("failure") },
        { QStringLiteral("baseline-restart"), QStringLiteral("success") },
        { QStringLiteral("restate"), QStringLiteral("success") } };
    inputs.scenarios = { scenario("nominal", false), crash };
    for (int i = 1; i <= 4; ++i) {
        inputs.runs.push_back(run("crash", "baseline", i, false, 500));
        RunRecord restart = run("crash", "baseline-restart", i, true, 3000);
        restart.llmRequests = 4; // both calls of the first attempt paid again
        restart.promptTokens = 4000;
        restart.attempts = 2;
        restart.llmRepeated = 2;
        inputs.runs.push_back(restart);
        RunRecord durable = run("crash", "restate", i, true, 2000);
        durable.llmRequests = 3; // the cut call only
        durable.promptTokens = 3000;
        durable.llmRepeated = 1;
        inputs.runs.push_back(durable);
    }
    const Summary summary = summarize(inputs);
    // Every variant has its row, in the tables' order, with what the catalog expects of it.
    ASSERT_EQ(summary.cells.size(), 3u);
    EXPECT_EQ(summary.cells[1].variant, QStringLiteral("baseline-restart"));
    EXPECT_EQ(summary.cells[1].expected, QStringLiteral("success"));
    EXPECT_DOUBLE_EQ(summary.cells[1].attemptsMean, 2);
    EXPECT_DOUBLE_EQ(summary.cells[1].repeatedCallsMean, 2);
    // The plan's criterion stays durable vs the baseline run once: the loop's successes do not
    // dilute it.
    EXPECT_EQ(summary.faultRuns, 8);
    EXPECT_DOUBLE_EQ(summary.resilienceBaseline.value, 0);
    ASSERT_EQ(summary.savings.size(), 1u);
    const RestartSaving& saving = summary.savings.front();
    EXPECT_EQ(saving.scenario, QStringLiteral("crash"));
    EXPECT_DOUBLE_EQ(saving.llmCalls.value, 1);
    EXPECT_DOUBLE_EQ(saving.tokens.value, 1000);
    EXPECT_DOUBLE_EQ(saving.repeatedCalls.value, 1);
    ASSERT_TRUE(saving.wallMs.has_value());
    EXPECT_DOUBLE_EQ(saving.wallMs->value, 1000);
    EXPECT_DOUBLE_EQ(saving.restartAttempts, 2);

    // Without the durable variant's runs there is nothing to compare.
    inputs.runs.erase(std::remove_if(inputs.runs.begin(), inputs.runs.end(),
                          [](const RunRecord& r) { return r.variant == "restate"; }),
        inputs.runs.end());
    EXPECT_TRUE(summarize(inputs).savings.empty());
}

namespace {

QString writeSource(const QString& path, const char* text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(text);
    return path;
}

bool git(const QString& repo, const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral("git"),
        QStringList { QStringLiteral("-C"), repo, QStringLiteral("-c"),
            QStringLiteral("user.name=t"), QStringLiteral("-c"),
            QStringLiteral("user.email=t@example.com") }
            + arguments);
    return process.waitForFinished(30000) && process.exitCode() == 0;
}

} // namespace

TEST(Refactor, TwoFoldersMatchFilesByPath)
{
    QTemporaryDir dir;
    writeSource(dir.filePath(QStringLiteral("before/writer.py")), "a = 1\nb = 2\n");
    writeSource(dir.filePath(QStringLiteral("after/writer.py")), "a = 1\n# why\nb = 2\nc = 3\n");
    writeSource(dir.filePath(QStringLiteral("after/restate_app.py")), "x = 1\ny = 2\n");
    writeSource(dir.filePath(QStringLiteral("after/notes.txt")), "not code\n");
    QString error;
    const auto count = countRefactor(dir.filePath(QStringLiteral("before")) + QLatin1Char(':')
            + dir.filePath(QStringLiteral("after")),
        error);
    ASSERT_TRUE(count) << qPrintable(error);
    EXPECT_EQ(count->addedLines, 3); // c = 3, and the new file's two lines
    EXPECT_EQ(count->files, 2);
}

TEST(Refactor, AGitRangeComparesOnePathAtTwoRevisions)
{
    QTemporaryDir dir;
    const QString repo = dir.path();
    ASSERT_TRUE(git(repo, { QStringLiteral("init"), QStringLiteral("-q") }));
    writeSource(repo + QStringLiteral("/src/writer.py"), "a = 1\n");
    ASSERT_TRUE(git(repo, { QStringLiteral("add"), QStringLiteral(".") }));
    ASSERT_TRUE(
        git(repo, { QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("1") }));
    ASSERT_TRUE(git(repo, { QStringLiteral("tag"), QStringLiteral("before") }));
    writeSource(repo + QStringLiteral("/src/writer.py"), "a = 1\nctx = restate.Context\nrun = 2\n");
    ASSERT_TRUE(
        git(repo, { QStringLiteral("commit"), QStringLiteral("-qam"), QStringLiteral("2") }));
    QString error;
    const auto count = countRefactor(repo + QStringLiteral(":before..HEAD:src"), error);
    ASSERT_TRUE(count) << qPrintable(error);
    EXPECT_EQ(count->addedLines, 2);
    const auto file = countRefactor(repo + QStringLiteral(":before..HEAD:src/writer.py"), error);
    ASSERT_TRUE(file) << qPrintable(error);
    EXPECT_EQ(file->addedLines, 2);
    EXPECT_FALSE(countRefactor(repo + QStringLiteral(":nosuch..HEAD:src"), error));
    EXPECT_TRUE(error.contains(QLatin1String("git"))) << qPrintable(error);
}

TEST(Refactor, AMissingFileIsAReason)
{
    QString error;
    EXPECT_FALSE(countRefactor(QStringLiteral("/nonexistent/a.py:/nonexistent/b.py"), error));
    EXPECT_TRUE(error.contains(QLatin1String("/nonexistent/a.py"))) << qPrintable(error);
    EXPECT_FALSE(countRefactor(QStringLiteral("just-one-side"), error));
}
