// SPDX-License-Identifier: MIT
#include "externalcheck.h"

#include "engine/restate/restateserver.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTcpServer>

namespace tt::engine {

namespace {

EnvItem item(const char* key, const char* title)
{
    EnvItem out;
    out.key = QLatin1String(key);
    out.title = QLatin1String(title);
    return out;
}

QString answered(const QString& url, int status)
{
    return QStringLiteral("%1 answered %2")
        .arg(url, status ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("nothing"));
}

EnvItem baselineCommand(const ExternalConfig& config)
{
    EnvItem out = item("baseline", "Baseline command");
    const QString program = config.baseline.command.value(0);
    QString found;
    if (program.contains(QLatin1Char('/'))) {
        const QFileInfo info(QDir(
            config.baseline.workingDir.isEmpty() ? QDir::currentPath() : config.baseline.workingDir)
                                 .filePath(program));
        if (info.isFile() && info.isExecutable())
            found = info.absoluteFilePath();
    } else {
        found = QStandardPaths::findExecutable(program);
    }
    out.ok = !found.isEmpty();
    out.value = out.ok ? found : QString();
    out.reason = out.ok
        ? QStringLiteral("executable")
        : QStringLiteral("%1 is not an executable file (nor on the PATH)").arg(program);
    out.fix = QStringLiteral("install %1, or fix baseline.command in %2").arg(program, config.path);
    return out;
}

EnvItem proxyPort(const ExternalConfig& config)
{
    EnvItem out = item("proxy", "Fault proxy port");
    const quint16 port = quint16(config.llm.proxyListen.section(QLatin1Char(':'), 1).toUInt());
    QTcpServer probe;
    out.ok = probe.listen(QHostAddress::LocalHost, port);
    probe.close();
    out.value = out.ok ? config.llm.proxyListen + QStringLiteral(" is free") : QString();
    out.reason = out.ok
        ? QString()
        : QStringLiteral("%1 is taken: %2").arg(config.llm.proxyListen, probe.errorString());
    out.fix = QStringLiteral("stop what listens on %1, or choose another llm.proxy_listen in %2")
                  .arg(config.llm.proxyListen, config.path);
    return out;
}

EnvItem upstream(const ExternalConfig& config, int timeoutMs)
{
    EnvItem out = item("llm", "LLM upstream");
    int status = 0;
    const QJsonArray models = QJsonDocument::fromJson(
        sendJson("GET", config.llm.upstream + QStringLiteral("/v1/models"), {}, status, timeoutMs))
                                  .object()
                                  .value(QLatin1String("data"))
                                  .toArray();
    out.ok = status == 200 && !models.isEmpty();
    out.value = out.ok ? QStringLiteral("%1 serves %2")
                             .arg(config.llm.upstream,
                                 models.first().toObject().value(QLatin1String("id")).toString())
                       : QString();
    out.reason
        = out.ok ? QString() : answered(config.llm.upstream + QStringLiteral("/v1/models"), status);
    out.fix = QStringLiteral("start the LLM server, or fix llm.upstream in %1").arg(config.path);
    return out;
}

std::vector<EnvItem> restate(const ExternalConfig& config, int timeoutMs)
{
    EnvItem admin = item("restate", "Restate admin API");
    int status = 0;
    const QJsonObject version = QJsonDocument::fromJson(
        sendJson("GET", config.durable.admin + QStringLiteral("/version"), {}, status, timeoutMs))
                                    .object();
    admin.ok = status == 200;
    admin.value = admin.ok
        ? QStringLiteral("restate-server %1 at %2")
              .arg(version.value(QLatin1String("version")).toString(), config.durable.admin)
        : QString();
    admin.reason = admin.ok ? QString()
                            : answered(config.durable.admin + QStringLiteral("/version"), status);
    admin.fix = QStringLiteral("start restate-server, or fix durable.admin in %1").arg(config.path);

    EnvItem service = item("service", "Durable service");
    service.fix = QStringLiteral("register the team's durable Writer with Restate (restate "
                                 "deployments register URL), or fix durable.service / "
                                 "durable.handler in %1")
                      .arg(config.path);
    if (!admin.ok) {
        service.reason = QStringLiteral("the admin API does not answer");
        return { admin, service };
    }
    const QJsonObject answer = QJsonDocument::fromJson(
        sendJson("GET",
            config.durable.admin + QStringLiteral("/services/") + config.durable.service, {},
            status, timeoutMs))
                                   .object();
    QStringList handlers;
    for (const QJsonValue& handler : answer.value(QLatin1String("handlers")).toArray())
        handlers << handler.toObject().value(QLatin1String("name")).toString();
    service.ok = status == 200 && handlers.contains(config.durable.handler);
    service.value = service.ok
        ? QStringLiteral("%1/%2 registered").arg(config.durable.service, config.durable.handler)
        : QString();
    service.reason = service.ok ? QString()
        : status == 200         ? QStringLiteral("service %1 has no handler %2 (it has: %3)")
                              .arg(config.durable.service, config.durable.handler,
                                  handlers.join(QStringLiteral(", ")))
                        : QStringLiteral("Restate knows no service %1 (HTTP %2)")
                              .arg(config.durable.service)
                              .arg(status);
    return { admin, service };
}

// The durable run is judged like the baseline, on the report it leaves in {output_dir}.
EnvItem durableBody(const ExternalConfig& config)
{
    EnvItem out = item("body", "Durable request body");
    const QByteArray body = QJsonDocument(config.durable.body).toJson();
    out.ok = body.contains("{output_dir}");
    out.value = out.ok ? QStringLiteral("names {output_dir}") : QString();
    out.reason = out.ok ? QString()
                        : QStringLiteral("durable.body does not give the Writer {output_dir}: its "
                                         "report could not be found, and no run could succeed");
    out.fix = QStringLiteral("pass \"{output_dir}\" where the team's handler takes its output "
                             "folder (research_info.output_dir), and \"{llm_url}/v1\" as its LLM "
                             "base URL so its calls are counted per run, in %1")
                  .arg(config.path);
    return out;
}

} // namespace

std::vector<EnvItem> checkExternal(const ExternalConfig& config, int timeoutMs)
{
    std::vector<EnvItem> items = { baselineCommand(config), proxyPort(config),
        upstream(config, timeoutMs), durableBody(config) };
    for (EnvItem& more : restate(config, timeoutMs))
        items.push_back(std::move(more));
    return items;
}

QString firstProblem(const std::vector<EnvItem>& items)
{
    for (const EnvItem& item : items)
        if (!item.ok)
            return QStringLiteral("%1: %2; fix: %3").arg(item.title, item.reason, item.fix);
    return {};
}

} // namespace tt::engine
