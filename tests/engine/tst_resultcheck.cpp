// SPDX-License-Identifier: MIT
// What the engine counts as a success: the Writer's outcome and exactly one complete report on
// disk, judged on real folders as the runner judges every run.
#include "engine/experiment/resultcheck.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

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
