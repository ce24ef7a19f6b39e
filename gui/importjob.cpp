// SPDX-License-Identifier: MIT
#include "importjob.h"

#include "importers/common/files.h"

#include <QtConcurrent/QtConcurrentRun>

namespace tt::gui {

QFuture<ImportedTraces> importInBackground(const QStringList& paths)
{
    return QtConcurrent::run([paths]() {
        ImportedTraces out;
        for (const QString& path : paths) {
            auto result = importers::importPath(path.toStdString());
            for (auto& trace : result.traces)
                out.traces.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
            std::move(
                result.warnings.begin(), result.warnings.end(), std::back_inserter(out.warnings));
        }
        return out;
    });
}

} // namespace tt::gui
