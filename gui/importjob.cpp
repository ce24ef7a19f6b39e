// SPDX-License-Identifier: MIT
#include "importjob.h"

#include "importers/common/files.h"
#include "importers/restate/adminclient.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace tt::gui {

namespace {

// A Restate admin URL: every invocation it knows, read in pages (off the GUI thread).
timeline::ImportResult importAdminUrl(const std::string& url)
{
    namespace rs = importers::restate;
    rs::AdminClient client(url);
    rs::FetchOptions options;
    options.readyTimeoutMs = 3000; // a server that refuses connections longer is reported down
    const rs::FetchResult fetched = client.fetch({}, options);
    timeline::ImportResult result = rs::importSnapshot(fetched.snapshot, url);
    result.warnings.insert(
        result.warnings.begin(), fetched.warnings.begin(), fetched.warnings.end());
    if (!fetched.error.empty())
        result.warnings.insert(result.warnings.begin(), { url, 0, fetched.error });
    return result;
}

} // namespace

QFuture<ImportedTraces> importLangSmithInBackground(
    QString url, QString key, importers::langsmith::RunQuery query)
{
    return QtConcurrent::run([url, key, query]() {
        importers::langsmith::RunClient client(url.toStdString(), key.toStdString());
        auto fetched = client.fetch(query);
        ImportedTraces out;
        ImportedTraces::Source source {
            QStringLiteral("LangSmith: %1").arg(QString::fromStdString(query.project)), {}, {}
        };
        for (auto& trace : fetched.result.traces)
            source.traces.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
        source.warnings = std::move(fetched.result.warnings);
        if (!fetched.error.empty())
            source.warnings.insert(
                source.warnings.begin(), { url.toStdString(), 0, fetched.error });
        out.sources.push_back(std::move(source));
        return out;
    });
}

size_t ImportedTraces::traceCount() const
{
    size_t count = 0;
    for (const auto& source : sources)
        count += source.traces.size();
    return count;
}

size_t ImportedTraces::warningCount() const
{
    size_t count = 0;
    for (const auto& source : sources)
        count += source.warnings.size();
    return count;
}

size_t ImportedTraces::spanCount() const
{
    size_t count = 0;
    for (const auto& source : sources)
        for (const auto& trace : source.traces)
            count += trace->spans.size();
    return count;
}

QFuture<ImportedTraces> importInBackground(const QStringList& paths)
{
    return QtConcurrent::run([paths]() {
        ImportedTraces out;
        const auto sourceNamed = [&out](const QString& name) {
            auto at = std::find_if(out.sources.begin(), out.sources.end(),
                [&name](const ImportedTraces::Source& s) { return s.path == name; });
            if (at == out.sources.end())
                at = out.sources.insert(out.sources.end(), { name, {}, {} });
            return at;
        };
        // Traces under the label their origin gives; warnings under the path they name.
        const auto addTraces = [&](timeline::ImportResult result, const auto& labelOf,
                                   const auto& warningLabelOf) {
            for (auto& trace : result.traces)
                sourceNamed(labelOf(trace))
                    ->traces.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
            for (auto& warning : result.warnings)
                sourceNamed(warningLabelOf(warning))->warnings.push_back(std::move(warning));
        };
        QStringList files;
        for (const QString& path : paths) {
            if (importers::restate::looksLikeAdminUrl(path.toStdString()))
                addTraces(
                    importAdminUrl(path.toStdString()), [&path](const auto&) { return path; },
                    [&path](const auto&) { return path; });
            else
                files << path;
        }
        if (files.isEmpty())
            return out;
        std::vector<std::string> names;
        for (const QString& file : files)
            names.push_back(file.toStdString());
        // Files opened together are read together: each trace goes under the path that was
        // opened (a file, or the folder holding it); one split across several under all of them.
        const auto openedPaths = [&files](const QString& origins) {
            QStringList opened;
            for (const QString& origin : origins.split(QStringLiteral(" + ")))
                for (const QString& file : files)
                    if ((origin == file
                            || origin.startsWith(
                                file.endsWith(QLatin1Char('/')) ? file : file + QLatin1Char('/')))
                        && !opened.contains(file))
                        opened << file;
            return opened.isEmpty() ? origins : opened.join(QStringLiteral(" + "));
        };
        addTraces(
            importers::importPaths(names),
            [&](const timeline::Trace& trace) {
                return openedPaths(QString::fromStdString(trace.origin));
            },
            [&](const timeline::Warning& warning) {
                return openedPaths(QString::fromStdString(warning.source));
            });
        return out;
    });
}

} // namespace tt::gui
