// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/results.h"
#include "engine/report/reportwriter.h"

#include <QStringList>

#include <functional>
#include <optional>

namespace tt::engine {

// Draws the report's images (charts, screenshots) into outDir/images and returns them (paths
// relative to outDir). Charts and screenshots need Qt Widgets, which only the window's build has:
// the executable passes one; without it the report has tables only.
using ImageRenderer = std::function<std::vector<ReportImage>(
    const ExperimentResults& results, const QString& outDir, QString& error)>;

// Where an experiment's ADR draft goes unless told otherwise: DIR/adr, inside the experiment's
// own folder, so that no two experiments share one and nothing lands in the working directory.
QString defaultAdrDir(const QString& experimentDir);

struct ResultsReportRequest
{
    QString dir; // the experiment folder (results.sqlite)
    QString adrDir; // empty: no ADR draft (defaultAdrDir(dir) is the usual place)
    QString catalogPath; // empty: the one the experiment used
    QString refactorSpec; // --refactor: the team's Writer before and after; empty: as stored
    QString method; // empty: the one the experiment stored
    QString reportFile; // empty: dir/RESTATE_POC_RESULTS.md
    ImageRenderer images;
};

struct WrittenReport
{
    QString path;
    Summary summary;
    QString imageError; // the report was written, without some images
};

// Reads the results, summarizes them, draws the images and writes the report and the ADR draft:
// what `twintrace run`, `twintrace report` and the window's experiment dialog all do at the end.
std::optional<WrittenReport> writeResultsReport(
    const ResultsReportRequest& request, QString& error);

} // namespace tt::engine
