// SPDX-License-Identifier: MIT
#include "resultsreport.h"

#include "reportwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tt::engine {

QString defaultAdrDir(const QString& experimentDir)
{
    return QDir(QFileInfo(experimentDir).absoluteFilePath()).filePath(QStringLiteral("adr"));
}

std::optional<WrittenReport> writeResultsReport(const ResultsReportRequest& request, QString& error)
{
    const auto results = loadResults(request.dir, error, request.catalogPath, request.refactorSpec);
    if (!results)
        return std::nullopt;
    ReportInputs report;
    report.summary = results->summary;
    report.outDir
        = request.reportFile.isEmpty() ? request.dir : QFileInfo(request.reportFile).absolutePath();
    report.adrDir = request.adrDir;
    report.runs = results->runs;
    report.scenarios = results->scenarios;
    report.ingressPatienceMs = results->ingressPatienceMs;
    report.environment = describeEnvironment(results->meta);
    report.meta = results->meta;
    report.method = request.method.isEmpty() ? results->method : request.method;
    report.exercises = results->exercises;
    report.exerciseSummary = results->exerciseSummary;
    report.evidence = measureEvidence(*results, importExperimentJournals(request.dir));
    WrittenReport written;
    if (request.images)
        report.images = request.images(*results, report.outDir, written.imageError);
    written.path = writeReport(report, error);
    if (written.path.isEmpty())
        return std::nullopt;
    if (!request.reportFile.isEmpty() && QFileInfo(written.path) != QFileInfo(request.reportFile)) {
        QFile::remove(request.reportFile);
        if (QFile::rename(written.path, request.reportFile))
            written.path = request.reportFile;
    }
    written.summary = results->summary;
    return written;
}

} // namespace tt::engine
