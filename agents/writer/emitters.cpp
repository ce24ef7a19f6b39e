// SPDX-License-Identifier: MIT
#include "emitters.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUuid>

#include <cerrno>
#include <cstring>

namespace tt::writer {

namespace {

std::string dump(const ordered_json& value)
{
    return value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Lines written to a file as they come, and kept for the optional upload at the end.
struct RecordedLines
{
    std::unique_ptr<LineFile> file;
    ordered_json batch = ordered_json::array();

    void write(const ordered_json& item)
    {
        if (file)
            file->writeLine(dump(item));
        batch.push_back(item);
    }
};

// OpenAI Agents SDK: a trace line when the trace starts, a span line as each span ends (the
// order the SDK's processors see), optionally the whole batch POSTed as {"data":[...]}.
class OpenAiEmitter : public TraceEmitter
{
public:
    OpenAiEmitter(std::unique_ptr<LineFile> file, QString ingestUrl)
        : m_lines { std::move(file) }
        , m_ingestUrl(std::move(ingestUrl))
    { }
    void traceStarted(const TraceInfo& trace) override
    {
        m_trace = trace; // span exports carry its id
        m_lines.write(exportTrace(trace));
    }
    void spanEnded(const WriterSpan& span) override
    {
        m_lines.write(exportSpan(m_trace, span, true));
    }
    void traceEnded(const TraceInfo&) override
    {
        const QByteArray key = qgetenv("OPENAI_API_KEY");
        if (m_ingestUrl.isEmpty() || key.isEmpty())
            return;
        const ordered_json body = { { "data", m_lines.batch } };
        QString error;
        postJson(m_ingestUrl, QByteArray::fromStdString(dump(body)),
            { { "Authorization", "Bearer " + key }, { "OpenAI-Beta", "traces=v1" } }, error);
    }

private:
    RecordedLines m_lines;
    QString m_ingestUrl;
    TraceInfo m_trace;
};

// LangSmith, as its OpenAIAgentsTracingProcessor records an Agents SDK run: a root chain for the
// trace, a chain per agent, llm runs for generations, tool runs for function spans; new run ids,
// the OpenAI ids kept in extra.metadata; times as str(datetime); dotted_order from the root down.
class LangSmithEmitter : public TraceEmitter
{
public:
    LangSmithEmitter(std::unique_ptr<LineFile> file, QString endpoint)
        : m_lines { std::move(file) }
        , m_endpoint(std::move(endpoint))
    { }

    void traceStarted(const TraceInfo& trace) override
    {
        m_trace = trace;
        m_root.id = newId();
        m_root.dotted = dottedSegment(trace.startUs, m_root.id);
    }

    void spanStarted(const WriterSpan& span) override
    {
        Run run;
        run.id = newId();
        const auto parent = m_runs.find(span.parentId);
        const Run& parentRun = parent == m_runs.end() ? m_root : parent->second;
        run.parentId = parentRun.id;
        run.dotted = parentRun.dotted + "." + dottedSegment(span.startUs, run.id);
        m_runs[span.id] = run;
    }

    void spanEnded(const WriterSpan& span) override
    {
        const Run& run = m_runs[span.id];
        ordered_json out;
        out["id"] = run.id;
        std::string name = span.name;
        const char* runType = "chain";
        ordered_json inputs = ordered_json::object(), outputs = ordered_json::object();
        if (span.type == WriterSpan::Type::Generation) {
            name = "Generation";
            runType = "llm";
            inputs = { { "input", span.input } };
            outputs
                = span.output.is_array() && !span.output.empty() ? span.output.back() : span.output;
        } else if (span.type == WriterSpan::Type::Function) {
            runType = "tool";
            inputs = { { "input", span.input } };
            outputs = { { "output", span.output } };
        }
        out["name"] = name;
        out["start_time"] = pythonStrTime(span.startUs);
        out["run_type"] = runType;
        out["end_time"] = pythonStrTime(span.endUs);
        ordered_json metadata = { { "ls_integration", "openai-agents-sdk" },
            { "openai_parent_id",
                span.parentId.empty() ? ordered_json(nullptr) : ordered_json(span.parentId) },
            { "openai_trace_id", m_trace.traceId }, { "openai_span_id", span.id } };
        if (span.type == WriterSpan::Type::Generation)
            metadata["usage_metadata"]
                = { { "input_tokens", span.inputTokens }, { "output_tokens", span.outputTokens },
                      { "total_tokens", span.inputTokens + span.outputTokens } };
        out["extra"] = { { "metadata", metadata } };
        out["error"] = span.error
            ? ordered_json(pythonRepr({ { "message", *span.error }, { "data", span.errorData } }))
            : ordered_json(nullptr);
        out["serialized"] = nullptr;
        out["events"] = ordered_json::array();
        out["inputs"] = inputs;
        out["outputs"] = outputs;
        out["reference_example_id"] = nullptr;
        out["parent_run_id"] = run.parentId;
        out["tags"] = ordered_json::array();
        out["trace_id"] = m_root.id;
        out["dotted_order"] = run.dotted;
        out["session_name"] = "default";
        write(out);
    }

    void traceEnded(const TraceInfo& trace) override
    {
        ordered_json root;
        root["id"] = m_root.id;
        root["name"] = trace.workflowName;
        root["start_time"] = pythonStrTime(trace.startUs);
        root["run_type"] = "chain";
        root["end_time"] = pythonStrTime(trace.endUs);
        root["extra"] = { { "metadata", { { "ls_integration", "openai-agents-sdk" } } } };
        root["error"] = nullptr;
        root["inputs"] = ordered_json::object();
        root["outputs"] = ordered_json::object();
        root["parent_run_id"] = nullptr;
        root["tags"] = ordered_json::array();
        root["trace_id"] = m_root.id;
        root["dotted_order"] = m_root.dotted;
        root["session_name"] = "default";
        write(root);
        const QByteArray key = qgetenv("LANGSMITH_API_KEY");
        if (m_endpoint.isEmpty() || key.isEmpty())
            return;
        QString error;
        postJson(m_endpoint + QStringLiteral("/runs/batch"),
            QByteArray::fromStdString(
                dump({ { "post", m_lines.batch }, { "patch", ordered_json::array() } })),
            { { "x-api-key", key } }, error);
    }

private:
    struct Run
    {
        std::string id, parentId, dotted;
    };

    static std::string newId()
    {
        return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    }

    static std::string dottedSegment(int64_t epochUs, const std::string& id)
    {
        // %Y%m%dT%H%M%S%fZ followed by the run id.
        const std::string time = pythonIsoTime(epochUs);
        std::string compact;
        for (char c : time.substr(0, 19))
            if (c != '-' && c != ':')
                compact += c;
        char micros[8];
        std::snprintf(micros, sizeof micros, "%06d", int(epochUs % 1000000));
        return compact + micros + "Z" + id;
    }

    void write(const ordered_json& run) { m_lines.write(run); }

    RecordedLines m_lines;
    QString m_endpoint;
    TraceInfo m_trace;
    Run m_root;
    std::map<std::string, Run> m_runs;
};

// agentic-research's FileTraceProcessor: "%(asctime)s - %(levelname)s - %(message)s" with
// datefmt %Y-%m-%d %H:%M:%S; DATA is str() of the export, cut at 500 characters plus "...".
class TraceLogEmitter : public TraceEmitter
{
public:
    explicit TraceLogEmitter(std::unique_ptr<LineFile> file)
        : m_file(std::move(file))
    { }
    void traceStarted(const TraceInfo& trace) override
    {
        m_trace = trace;
        line("trace_start | TRACE: " + trace.traceId + " | NAME: " + trace.workflowName,
            exportTrace(trace));
    }
    void spanStarted(const WriterSpan& span) override
    {
        line("span_start | TRACE: " + m_trace.traceId + " | SPAN: " + span.id
                + " | STARTED: " + pythonIsoTime(span.startUs),
            exportSpan(m_trace, span, false));
    }
    void spanEnded(const WriterSpan& span) override
    {
        line("span_end | TRACE: " + m_trace.traceId + " | SPAN: " + span.id + " | STARTED: "
                + pythonIsoTime(span.startUs) + " | ENDED: " + pythonIsoTime(span.endUs),
            exportSpan(m_trace, span, true));
    }
    void traceEnded(const TraceInfo& trace) override
    {
        line("trace_end | TRACE: " + trace.traceId + " | NAME: " + trace.workflowName,
            exportTrace(trace));
    }

private:
    void line(const std::string& event, const ordered_json& exported)
    {
        std::string data = pythonRepr(exported);
        if (data.size() > 500)
            data = data.substr(0, 500) + "...";
        const std::string stamp = pythonStrTime(Tracer::nowUs()).substr(0, 19);
        m_file->writeLine(stamp + " - INFO - EVENT: " + event + " | DATA: " + data);
    }
    std::unique_ptr<LineFile> m_file;
    TraceInfo m_trace;
};

std::unique_ptr<LineFile> openFile(const QString& path, bool append, QString& error)
{
    if (path.isEmpty())
        return nullptr;
    auto file = std::make_unique<LineFile>();
    if (!file->open(path, error, append))
        return nullptr;
    return file;
}

} // namespace

bool LineFile::open(const QString& path, QString& error, bool append)
{
    m_file = std::fopen(path.toLocal8Bit().constData(), append ? "a+" : "w");
    if (!m_file) {
        error = path + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    // A Writer killed in the middle of a line leaves it without its newline: the relaunched
    // one's first record must not be glued to it (both would be one unreadable line).
    if (append && std::fseek(m_file, -1, SEEK_END) == 0) {
        const bool cut = std::fgetc(m_file) != '\n';
        std::fseek(m_file, 0, SEEK_END); // C wants a seek between reading and writing
        if (cut) {
            std::fputc('\n', m_file);
            std::fflush(m_file);
        }
    }
    return true;
}

LineFile::~LineFile()
{
    if (m_file)
        std::fclose(m_file);
}

void LineFile::writeLine(const std::string& line)
{
    if (!m_file)
        return;
    std::fwrite(line.data(), 1, line.size(), m_file);
    std::fputc('\n', m_file);
    std::fflush(m_file);
}

bool addEmitters(Tracer& tracer, const EmitterSettings& settings, QString& error)
{
    auto openAi = openFile(settings.openAiJsonl, settings.append, error);
    if (!error.isEmpty())
        return false;
    if (openAi || !settings.openAiIngestUrl.isEmpty())
        tracer.add(std::make_unique<OpenAiEmitter>(std::move(openAi), settings.openAiIngestUrl));
    auto langSmith = openFile(settings.langSmithJsonl, settings.append, error);
    if (!error.isEmpty())
        return false;
    if (langSmith || !settings.langSmithEndpoint.isEmpty())
        tracer.add(
            std::make_unique<LangSmithEmitter>(std::move(langSmith), settings.langSmithEndpoint));
    auto traceLog = openFile(settings.traceLog, settings.append, error);
    if (!error.isEmpty())
        return false;
    if (traceLog)
        tracer.add(std::make_unique<TraceLogEmitter>(std::move(traceLog)));
    return true;
}

int postJson(const QString& url, const QByteArray& body,
    const QList<QPair<QByteArray, QByteArray>>& headers, QString& error, int timeoutMs)
{
    QNetworkAccessManager nam;
    QNetworkRequest request { QUrl(url) };
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(timeoutMs);
    // No redirects: the key headers would follow them to whatever host they name.
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = nam.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && status == 0)
        error = reply->errorString(); // names the URL, never the key
    reply->deleteLater();
    return status > 0 ? status : -1;
}

} // namespace tt::writer
