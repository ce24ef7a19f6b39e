// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace tt::writer {

// read_multiple_files as the MCP filesystem server answers it, rooted at the run's temp folder:
// "path:\ncontent" per file, "path: Error - reason" for a file it refuses or cannot read (a path
// outside the root among them), joined by "\n---\n". Relative paths are taken from the root.
QString readMultipleFiles(const QString& root, const QStringList& paths);

// Writes the report as <topic>_final_report_<YYYYmmdd_HHMMSS>.md in outputDir (created if
// needed), through a temporary file renamed into place so a crash never leaves half a report.
// Returns the path, or an empty string and a reason.
QString saveReport(
    const QString& outputDir, const QString& topic, const QString& markdown, QString& error);

// The report already saved in outputDir for this topic with exactly this content, or "". Lets a
// durable save_report that is run again after a crash keep the report it wrote.
QString findSavedReport(const QString& outputDir, const QString& topic, const QString& markdown);

// The topic part of the file name: lower case, letters and digits, '_' between words.
QString topicSlug(const QString& query);

} // namespace tt::writer
