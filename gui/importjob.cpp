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
            QStringLiteral("LangSmith: %1").arg(QString::fromStdString(query.project)), {}
        };
        for (auto& trace : fetched.result.traces)
            source.traces.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
        if (!source.traces.empty())
            out.sources.push_back(std::move(source));
        out.warnings = std::move(fetched.result.warnings);
        if (!fetched.error.empty())
            out.warnings.insert(out.warnings.begin(), { url.toStdString(), 0, fetched.error });
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
        const auto addTraces = [&out](timeline::ImportResult result, const auto& labelOf) {
            for (auto& trace : result.traces) {
                const QString source = labelOf(trace);
                auto at = std::find_if(out.sources.begin(), out.sources.end(),
                    [&source](const ImportedTraces::Source& s) { return s.path == source; });
                if (at == out.sources.end())
                    at = out.sources.insert(out.sources.end(), { source, {} });
                at->traces.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
            }
            std::move(
                result.warnings.begin(), result.warnings.end(), std::back_inserter(out.warnings));
        };
        QStringList files;
        for (const QString& path : paths) {
            if (importers::restate::looksLikeAdminUrl(path.toStdString()))
                addTraces(
                    importAdminUrl(path.toStdString()), [&path](const auto&) { return path; });
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
        addTraces(importers::importPaths(names), [&files](const timeline::Trace& trace) {
            QStringList opened;
            for (const QString& origin :
                QString::fromStdString(trace.origin).split(QStringLiteral(" + "))) {
                for (const QString& file : files)
                    if ((origin == file
                            || origin.startsWith(
                                file.endsWith(QLatin1Char('/')) ? file : file + QLatin1Char('/')))
                        && !opened.contains(file))
                        opened << file;
            }
            return opened.isEmpty() ? QString::fromStdString(trace.origin)
                                    : opened.join(QStringLiteral(" + "));
        });
        return out;
    });
}

} // namespace tt::gui
