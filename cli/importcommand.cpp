// SPDX-License-Identifier: MIT
#include "commands.h"
#include "report.h"

#include "importers/common/timeparse.h"

#include "importers/langsmith/langsmithclient.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace tt::cli {

namespace {

// twintrace import --langsmith-project NAME: runs read through the LangSmith API.
int importLangSmith(const QCommandLineParser& parser)
{
    const QByteArray key = qgetenv("LANGSMITH_API_KEY");
    if (key.isEmpty()) {
        std::fprintf(stderr, "twintrace import: set LANGSMITH_API_KEY to read the LangSmith API\n");
        return 2;
    }
    importers::langsmith::RunQuery query;
    query.project = parser.value(QStringLiteral("langsmith-project")).toStdString();
    query.since = parser.value(QStringLiteral("since")).toStdString();
    query.until = parser.value(QStringLiteral("until")).toStdString();
    query.errorsOnly = parser.isSet(QStringLiteral("errors-only"));
    query.apiVersion = parser.isSet(QStringLiteral("langsmith-v1")) ? 1 : 2;
    const QStringList ids = parser.values(QStringLiteral("id"));
    if (!ids.isEmpty())
        query.traceId = ids.front().toStdString();
    importers::langsmith::RunClient client(
        parser.value(QStringLiteral("langsmith-url")).toStdString(), key.toStdString());
    auto fetched = client.fetch(
        query, [](int page) { std::fprintf(stderr, "LangSmith: page %d read\n", page); });
    if (!fetched.error.empty())
        fetched.result.warnings.insert(fetched.result.warnings.begin(),
            { parser.value(QStringLiteral("langsmith-url")).toStdString(), 0, fetched.error });
    if (parser.isSet(QStringLiteral("json")))
        printJson(importJson(fetched.result));
    else
        std::fputs(importText(fetched.result).c_str(), stdout);
    if (fetched.result.spanCount() == 0) {
        std::fprintf(stderr, "twintrace import: nothing could be read%s%s\n",
            fetched.error.empty() ? "" : ": ", fetched.error.c_str());
        return 2;
    }
    return 0;
}

} // namespace

int importCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Imports traces and prints what was read."));
    parser.addPositionalArgument(QStringLiteral("SRC"),
        QStringLiteral("A file, a folder or an admin URL."), QStringLiteral("SRC..."));
    parser.addOption({ QStringLiteral("source"),
        QStringLiteral("auto, openai, langsmith, agentic-log, agentic-bench or restate."),
        QStringLiteral("FORMAT"), QStringLiteral("auto") });
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("Print JSON (DESIGN.md section 6).") });
    parser.addOptions({
        { QStringLiteral("service"), QStringLiteral("Admin URL: only this service."),
            QStringLiteral("NAME") },
        { QStringLiteral("handler"), QStringLiteral("Admin URL: only this handler."),
            QStringLiteral("NAME") },
        { QStringLiteral("status"),
            QStringLiteral("Admin URL: only these statuses (comma-separated: pending, scheduled, "
                           "running, backing-off, suspended, paused, completed)."),
            QStringLiteral("LIST") },
        { QStringLiteral("id"), QStringLiteral("Admin URL: this invocation (repeat)."),
            QStringLiteral("INV") },
        { QStringLiteral("since"), QStringLiteral("Admin URL: created at or after (ISO 8601)."),
            QStringLiteral("TIME") },
        { QStringLiteral("until"), QStringLiteral("Admin URL: created before (ISO 8601)."),
            QStringLiteral("TIME") },
        { QStringLiteral("langsmith-project"),
            QStringLiteral("Read this LangSmith project's runs through the API (key in "
                           "LANGSMITH_API_KEY); --since, --until and --id narrow it."),
            QStringLiteral("NAME") },
        { QStringLiteral("langsmith-url"),
            QStringLiteral("The LangSmith API (default https://api.smith.langchain.com)."),
            QStringLiteral("URL"), QStringLiteral("https://api.smith.langchain.com") },
        { QStringLiteral("errors-only"), QStringLiteral("LangSmith: only runs with an error.") },
        { QStringLiteral("langsmith-v1"),
            QStringLiteral("LangSmith: the legacy /api/v1/runs/query instead of /api/v2.") },
        { QStringLiteral("max-bytes"),
            QStringLiteral("Skip files larger than this, with a warning (default 2 GiB; "
                           "importing takes up to 1.8 bytes of memory per byte of file)."),
            QStringLiteral("BYTES"), QString::number(importers::kDefaultMaxFileBytes) },
        { QStringLiteral("save-snapshot"),
            QStringLiteral("Admin URL: keep the raw answers in this folder (re-import it later)."),
            QStringLiteral("DIR") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace import")) + arguments)) {
        std::fprintf(stderr, "twintrace import: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const auto format
        = importers::formatFromName(parser.value(QStringLiteral("source")).toStdString());
    if (!format) {
        std::fprintf(stderr,
            "twintrace import: unknown --source \"%s\" (expected auto, openai, "
            "langsmith, agentic-log, agentic-bench or restate)\n",
            qPrintable(parser.value(QStringLiteral("source"))));
        return 2;
    }
    bool validLimit = false;
    const qulonglong maxBytes = parser.value(QStringLiteral("max-bytes")).toULongLong(&validLimit);
    if (!validLimit || maxBytes == 0) {
        std::fprintf(
            stderr, "twintrace import: --max-bytes: expected a positive number of bytes\n");
        return 2;
    }
    std::vector<std::string> sources;
    for (const QString& source : parser.positionalArguments())
        sources.push_back(source.toStdString());
    if (parser.isSet(QStringLiteral("langsmith-project")))
        return importLangSmith(parser);
    if (sources.empty()) {
        std::fprintf(stderr, "twintrace import: name at least one file, folder or URL\n");
        return 2;
    }

    RestateImport restate;
    restate.filter.service = parser.value(QStringLiteral("service")).toStdString();
    restate.filter.handler = parser.value(QStringLiteral("handler")).toStdString();
    for (const QString& status :
        parser.value(QStringLiteral("status")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        restate.filter.statuses.push_back(status.trimmed().toStdString());
    for (const QString& id : parser.values(QStringLiteral("id")))
        restate.filter.ids.push_back(id.toStdString());
    for (const char* bound : { "since", "until" }) {
        const QString text = parser.value(QLatin1String(bound));
        if (text.isEmpty())
            continue;
        const auto ns = importers::parseTimestamp(text.toStdString());
        if (!ns) {
            std::fprintf(stderr, "twintrace import: --%s: expected an ISO 8601 time, got \"%s\"\n",
                bound, qPrintable(text));
            return 2;
        }
        (bound[0] == 's' ? restate.filter.createdFromMs : restate.filter.createdUntilMs)
            = *ns / 1000000;
    }
    restate.saveSnapshotTo = parser.value(QStringLiteral("save-snapshot")).toStdString();
    restate.progress = true;
    // A summary needs no span's record: large JSON-lines files are read in pieces.
    importers::ImportOptions options;
    options.maxFileBytes = maxBytes;
    options.keepRecords = false;
    const timeline::ImportResult result = importSources(sources, *format, restate, options);
    if (parser.isSet(QStringLiteral("json")))
        printJson(importJson(result));
    else
        std::fputs(importText(result).c_str(), stdout);
    int code = 0;
    if (result.spanCount() == 0) {
        std::fprintf(stderr, "twintrace import: nothing could be read");
        if (!result.warnings.empty())
            std::fprintf(stderr, " (%s: %s)", result.warnings.front().source.c_str(),
                result.warnings.front().message.c_str());
        std::fputc('\n', stderr);
        code = 2;
    }
    // Everything is printed: the process ends without freeing the import block by block (the
    // system takes the heap back at once, as compilers do with -disable-free). Freeing 300k
    // spans and 30k traces was a twelfth of a large import's whole time.
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}

} // namespace tt::cli
