// SPDX-License-Identifier: MIT
// What the engine counts as a success: the Writer's outcome and exactly one complete report on
// disk, judged on real folders as the runner judges every run.
#include "engine/experiment/resultcheck.h"
#include "engine/experiment/results.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

using namespace tt::engine;

namespace {

const QStringList kHeadings = { QStringLiteral("## Executive Summary"), QStringLiteral("## Report"),
    QStringLiteral("## FINAL STEP") };

const char* const kComplete
    = "# Title\n## Executive Summary\ntext\n## Report\nmore\n## FINAL STEP\n";

void write(const QString& path, const char* text)
{
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

RunRecord saidSuccess()
{
    RunRecord record;
    record.outcome = QStringLiteral("success");
    record.success = true;
    return record;
}

} // namespace

TEST(ResultCheck, OneCompleteReportIsASuccess)
{
    QTemporaryDir out;
    write(out.filePath(QStringLiteral("topic_final_report_1.md")), kComplete);
    RunRecord record = saidSuccess();
    judgeResult(record, out.path(), kHeadings);
    EXPECT_TRUE(record.success);
    EXPECT_EQ(record.outcome, QStringLiteral("success"));
    EXPECT_EQ(record.reportsWritten, 1);
}

TEST(ResultCheck, AReportDeletedRightAfterItIsWrittenIsAFailure)
{
    QTemporaryDir out;
    const QString report = out.filePath(QStringLiteral("topic_final_report_1.md"));
    write(report, kComplete);
    ASSERT_TRUE(QFile::remove(report));
    RunRecord record = saidSuccess();
    judgeResult(record, out.path(), kHeadings);
    EXPECT_FALSE(record.success);
    EXPECT_EQ(record.outcome, QStringLiteral("no_report"));
    EXPECT_TRUE(record.message.contains(QLatin1String("no report is in")))
        << qPrintable(record.message);
    EXPECT_EQ(record.reportsWritten, 0);
}

TEST(ResultCheck, TwoReportsAreAFailure)
{
    QTemporaryDir out;
    write(out.filePath(QStringLiteral("a_final_report_1.md")), kComplete);
    write(out.filePath(QStringLiteral("a_final_report_2.md")), kComplete);
    RunRecord record = saidSuccess();
    judgeResult(record, out.path(), kHeadings);
    EXPECT_FALSE(record.success);
    EXPECT_EQ(record.outcome, QStringLiteral("duplicate_reports"));
    EXPECT_EQ(record.reportsWritten, 2);
}

TEST(ResultCheck, AReportMissingAHeadingIsAFailureNamingIt)
{
    QTemporaryDir out;
    write(out.filePath(QStringLiteral("a_final_report_1.md")),
        "# Title\n## Executive Summary\n## FINAL STEP\n");
    RunRecord record = saidSuccess();
    judgeResult(record, out.path(), kHeadings);
    EXPECT_FALSE(record.success);
    EXPECT_EQ(record.outcome, QStringLiteral("incomplete_report"));
    EXPECT_TRUE(record.message.contains(QLatin1String("## Report"))) << qPrintable(record.message);
}

TEST(ResultCheck, AFailedRunKeepsItsOwnOutcome)
{
    QTemporaryDir out;
    RunRecord record;
    record.outcome = QStringLiteral("llm_unavailable");
    judgeResult(record, out.path(), kHeadings);
    EXPECT_FALSE(record.success);
    EXPECT_EQ(record.outcome, QStringLiteral("llm_unavailable"));
}

TEST(ResultsFolder, ReadingItChangesNothingInTheFolder)
{
    // Opening a results folder in the window (loadResults) must not rewrite it: no schema, no
    // SQLite side files, the same timestamp.
    QTemporaryDir dir;
    {
        ResultStore store;
        QString error;
        ASSERT_TRUE(store.open(dir.path(), error)) << qPrintable(error);
        RunRecord run = saidSuccess();
        run.scenario = QStringLiteral("nominal");
        run.variant = QStringLiteral("baseline");
        run.runIndex = 1;
        ASSERT_TRUE(store.add(run, error)) << qPrintable(error);
    }
    const QStringList before = QDir(dir.path()).entryList(QDir::Files);
    const QDateTime folderTime = QFileInfo(dir.path()).lastModified();
    const QDateTime storeTime
        = QFileInfo(dir.filePath(QStringLiteral("results.sqlite"))).lastModified();
    QThread::msleep(20);
    QString error;
    const auto results = loadResults(dir.path(), error);
    ASSERT_TRUE(results) << qPrintable(error);
    ASSERT_EQ(results->runs.size(), 1u);
    EXPECT_EQ(results->runs.front().scenario, QStringLiteral("nominal"));
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), before);
    EXPECT_EQ(QFileInfo(dir.path()).lastModified(), folderTime);
    EXPECT_EQ(QFileInfo(dir.filePath(QStringLiteral("results.sqlite"))).lastModified(), storeTime);
}
