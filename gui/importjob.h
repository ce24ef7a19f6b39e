// SPDX-License-Identifier: MIT
#pragma once

#include "importers/langsmith/langsmithclient.h"
#include "importers/timeline/trace.h"

#include <QFuture>
#include <QStringList>

#include <memory>
#include <vector>

namespace tt::gui {

// What a background import hands back to the GUI thread: immutable traces and the warnings of
// each opened source (a source without traces is kept for its warnings).
struct ImportedTraces
{
    struct Source
    {
        QString path;
        std::vector<std::shared_ptr<const timeline::Trace>> traces;
        std::vector<timeline::Warning> warnings;
    };
    std::vector<Source> sources;

    size_t traceCount() const;
    size_t spanCount() const;
    size_t warningCount() const;
};

// Imports the paths off the GUI thread (QtConcurrent); the result arrives as a value. A path may
// be a Restate admin URL (http://127.0.0.1:9070) or a saved snapshot folder. Files are read
// together: a trace split across them is one trace, its source named after all its files.
QFuture<ImportedTraces> importInBackground(const QStringList& paths);

// The runs of a LangSmith project through its API, off the GUI thread.
QFuture<ImportedTraces> importLangSmithInBackground(
    QString url, QString key, importers::langsmith::RunQuery query);

} // namespace tt::gui
