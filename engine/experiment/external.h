// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace tt::engine {

// The DGX Spark mode (`twintrace run --config FILE`): the team's real Writers instead of ours.
// The baseline is a command line; the durable Writer is a Restate service behind an ingress
// URL; the LLM stand-in runs as a fault proxy in front of the real llama.cpp server, on a fixed
// address the team's Writers are pointed at. resources/config/dgx-spark.example.json documents
// every field. Strings may name {query}, {research_info}, {research_info_file}, {temp_dir},
// {output_dir}, {run_dir}, {run_id}, {scenario}, {llm_url} (the run's own base URL on the
// proxy, http://127.0.0.1:18002/run/<run id>: faults and calls are counted per run whatever the
// Writer sends), {client_timeout_s} and {max_retries} (the catalog's client settings, also in the
// environment as TWINTRACE_CLIENT_TIMEOUT_S and TWINTRACE_MAX_RETRIES); in the durable body a
// string that is exactly "{files}" becomes the JSON array of the research files.
struct ExternalConfig
{
    QString path;
    struct Llm
    {
        QString upstream; // the real server, e.g. http://dgx-spark.local:8002
        QString proxyListen = QStringLiteral("127.0.0.1:18002"); // where the Writers call it
    } llm;
    struct Baseline
    {
        QStringList command; // program and arguments
        QString workingDir;
        QMap<QString, QString> env;
        int timeoutS = 900;
    } baseline;
    struct Durable
    {
        QString ingress; // http://127.0.0.1:8080
        QString admin; // http://127.0.0.1:9070: the journals and the run's state
        QString service = QStringLiteral("WriterAgentRestate");
        QString handler = QStringLiteral("run");
        QJsonObject body;
        int timeoutS = 900;
    } durable;

    QString llmUrl() const { return QStringLiteral("http://") + llm.proxyListen; }
    // One run's base URL on the proxy: the path prefix tells the proxy which run calls.
    QString llmUrl(const QString& runId) const
    {
        return llmUrl() + QStringLiteral("/run/") + runId;
    }
    // Whether any of the team's command, environment or durable body names a placeholder.
    bool mentions(const QString& placeholder) const;
};

// Reads and checks a configuration; nothing with "FILE: field: what was expected" when it cannot.
std::optional<ExternalConfig> loadExternalConfig(const QString& path, QString& error);

// The values a run fills the placeholders with.
using Placeholders = QMap<QString, QString>;
QString substitute(QString text, const Placeholders& values);
// The durable body with its placeholders filled ("{files}" -> the array of file names).
QJsonObject substituteBody(
    const QJsonObject& body, const Placeholders& values, const QStringList& files);

} // namespace tt::engine
