// SPDX-License-Identifier: MIT
#pragma once

#include "tracing.h"

#include <QList>
#include <QPair>
#include <QString>

#include <cstdio>
#include <map>

namespace tt::writer {

// Where the three emitters write, and where they optionally post. Keys come from the
// environment (OPENAI_API_KEY, LANGSMITH_API_KEY) and are never written anywhere.
struct EmitterSettings
{
    QString openAiJsonl; // JSON lines as a file trace processor writes them
    QString openAiIngestUrl; // e.g. https://api.openai.com/v1/traces/ingest
    QString langSmithJsonl; // json.dumps(run.dict(), default=str) per line
    QString langSmithEndpoint; // e.g. https://api.smith.langchain.com (POST {endpoint}/runs/batch)
    QString traceLog; // agentic-research's FileTraceProcessor trace.log (Python logging format)
    bool append = false; // a durable run resumed by a new process adds to what the last one wrote
};

// A file written a line at a time and flushed, so a killed process loses nothing written.
class LineFile
{
public:
    bool open(const QString& path, QString& error, bool append = false);
    ~LineFile();
    void writeLine(const std::string& line);

private:
    std::FILE* m_file = nullptr;
};

// Creates the emitters the settings ask for; false with a reason when a file cannot be opened.
bool addEmitters(Tracer& tracer, const EmitterSettings& settings, QString& error);

// Posts a JSON body and waits (the Writer is a command-line agent); returns the HTTP status or
// -1 with a reason. Used at the end of a run for the optional uploads.
int postJson(const QString& url, const QByteArray& body,
    const QList<QPair<QByteArray, QByteArray>>& headers, QString& error, int timeoutMs = 10000);

} // namespace tt::writer
