// SPDX-License-Identifier: MIT
#include "resultcheck.h"

#include "importers/common/files.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <limits>

namespace tt::engine {

QStringList reportsIn(const QString& outputDir)
{
    return QDir(outputDir).entryList({ QStringLiteral("*.md") }, QDir::Files, QDir::Name);
}

void judgeResult(RunRecord& record, const QString& outputDir, const QStringList& headings)
{
    const QDir dir(outputDir);
    const QStringList reports = reportsIn(outputDir);
    record.reportsWritten = int(reports.size());
    if (!record.success)
        return;
    const auto fail = [&](const char* outcome, const QString& why) {
        record.success = false;
        record.outcome = QLatin1String(outcome);
        record.message = QStringLiteral("the Writer said success, but ") + why;
    };
    if (reports.isEmpty())
        return fail("no_report", QStringLiteral("no report is in %1").arg(outputDir));
    if (reports.size() > 1)
        return fail("duplicate_reports",
            QStringLiteral("%1 reports are in %2: %3%4")
                .arg(reports.size())
                .arg(outputDir, reports.join(QStringLiteral(", ")),
                    record.earlierReports > 0 ? QStringLiteral(" (%1 left by an earlier attempt)")
                                                    .arg(record.earlierReports)
                                              : QString()));
    QFile file(dir.filePath(reports.first()));
    if (!file.open(QIODevice::ReadOnly))
        return fail("no_report",
            QStringLiteral("its report %1 cannot be read (%2)")
                .arg(file.fileName(), file.errorString()));
    QStringList lines = QString::fromUtf8(file.read(64 << 20)).split(QLatin1Char('\n'));
    for (QString& line : lines)
        line = line.trimmed();
    QStringList missing;
    for (const QString& heading : headings)
        if (!lines.contains(heading))
            missing << heading;
    if (!missing.isEmpty())
        fail("incomplete_report",
            QStringLiteral("its report %1 lacks %2")
                .arg(reports.first(), missing.join(QStringLiteral(", "))));
}

double writerSpanMs(const QString& runDir)
{
    const QString path = QDir(runDir).filePath(QStringLiteral("openai.jsonl"));
    if (!QFile::exists(path))
        return -1;
    const auto imported = importers::importPath(path.toStdString(), importers::Format::OpenAi);
    int64_t first = std::numeric_limits<int64_t>::max(), last = 0;
    for (const timeline::Trace& trace : imported.traces)
        for (const timeline::Span& span : trace.spans) {
            const timeline::SpanKind kind = trace.spanKind(span);
            if ((kind != timeline::SpanKind::LlmCall && kind != timeline::SpanKind::ToolCall)
                || (span.flags & timeline::SpanFlag::NoEnd))
                continue;
            first = std::min(first, span.startNs);
            last = std::max(last, span.endNs);
        }
    return last > first ? double(last - first) / 1e6 : -1;
}

} // namespace tt::engine
