// SPDX-License-Identifier: MIT
#include "importjob.h"

#include "importers/common/files.h"
#include "importers/restate/adminclient.h"

#include <QtConcurrent/QtConcurrentRun>

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
        for (const QString& path : paths) {
            auto result = importers::restate::looksLikeAdminUrl(path.toStdString())
                ? importAdminUrl(path.toStdString())
                : importers::importPath(path.toStdString());
            ImportedTraces::Source source { path, {}, std::move(result.warnings) };
            for (auto& trace : result.traces)
                source.traces.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
            out.sources.push_back(std::move(source));
        }
        return out;
    });
}

} // namespace tt::gui
