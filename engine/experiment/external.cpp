// SPDX-License-Identifier: MIT
#include "external.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace tt::engine {

namespace {

QJsonValue substituteValue(
    const QJsonValue& value, const Placeholders& values, const QStringList& files)
{
    if (value.isString()) {
        if (value.toString() == QLatin1String("{files}"))
            return QJsonArray::fromStringList(files);
        return substitute(value.toString(), values);
    }
    if (value.isObject())
        return substituteBody(value.toObject(), values, files);
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue& item : value.toArray())
            out.append(substituteValue(item, values, files));
        return out;
    }
    return value;
}

} // namespace

QString substitute(QString text, const Placeholders& values)
{
    // One pass: a value that itself contains "{run_id}" (research notes...) stays as it is.
    static const QRegularExpression placeholder(QStringLiteral("\\{(\\w+)\\}"));
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        const auto value = values.constFind(match.captured(1));
        if (value == values.constEnd())
            continue; // not ours: left as written
        out += QStringView(text).mid(last, match.capturedStart() - last);
        out += *value;
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QJsonObject substituteBody(
    const QJsonObject& body, const Placeholders& values, const QStringList& files)
{
    QJsonObject out;
    for (auto it = body.begin(); it != body.end(); ++it)
        out[it.key()] = substituteValue(it.value(), values, files);
    return out;
}

bool ExternalConfig::mentions(const QString& placeholder) const
{
    const QString token = QLatin1Char('{') + placeholder + QLatin1Char('}');
    for (const QString& part : baseline.command)
        if (part.contains(token))
            return true;
    for (const QString& value : baseline.env)
        if (value.contains(token))
            return true;
    return QJsonDocument(durable.body).toJson().contains(token.toUtf8());
}

std::optional<ExternalConfig> loadExternalConfig(const QString& path, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: cannot read it (%2)").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(parseError.offset).count('\n')) + 1;
        error = QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    const auto fail = [&](const QString& field, const QString& expected) {
        error = QStringLiteral("%1: %2: expected %3").arg(path, field, expected);
        return std::nullopt;
    };
    ExternalConfig config;
    config.path = path;
    const QJsonObject llm = root.value(QLatin1String("llm")).toObject();
    config.llm.upstream = llm.value(QLatin1String("upstream")).toString();
    if (!config.llm.upstream.startsWith(QLatin1String("http")))
        return fail(QStringLiteral("llm.upstream"),
            QStringLiteral("the real server's URL, e.g. http://dgx-spark.local:8002"));
    config.llm.proxyListen
        = llm.value(QLatin1String("proxy_listen")).toString(config.llm.proxyListen);
    bool portOk = false;
    const int port = config.llm.proxyListen.section(QLatin1Char(':'), 1).toInt(&portOk);
    if (!config.llm.proxyListen.startsWith(QLatin1String("127.0.0.1:")) || !portOk || port <= 0
        || port > 65535)
        return fail(QStringLiteral("llm.proxy_listen"),
            QStringLiteral("127.0.0.1:PORT (the fault proxy listens on loopback only)"));
    // The proxy in front of itself would answer half the calls unfaulted, or loop.
    const QUrl upstream(config.llm.upstream);
    const QString upstreamHost = upstream.host() == QLatin1String("localhost")
        ? QStringLiteral("127.0.0.1")
        : upstream.host();
    if (upstreamHost == QLatin1String("127.0.0.1") && upstream.port(80) == port)
        return fail(QStringLiteral("llm.upstream"),
            QStringLiteral("another address than llm.proxy_listen (%1): the fault proxy cannot "
                           "stand in front of itself")
                .arg(config.llm.proxyListen));

    const QJsonObject baseline = root.value(QLatin1String("baseline")).toObject();
    for (const QJsonValue& part : baseline.value(QLatin1String("command")).toArray()) {
        if (!part.isString())
            return fail(QStringLiteral("baseline.command"), QStringLiteral("an array of strings"));
        config.baseline.command << part.toString();
    }
    if (config.baseline.command.isEmpty())
        return fail(QStringLiteral("baseline.command"),
            QStringLiteral("an array of strings: the program, then its arguments"));
    config.baseline.workingDir = baseline.value(QLatin1String("working_dir")).toString();
    const QJsonObject env = baseline.value(QLatin1String("env")).toObject();
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (!it.value().isString())
            return fail(QStringLiteral("baseline.env.") + it.key(), QStringLiteral("a string"));
        config.baseline.env[it.key()] = it.value().toString();
    }
    config.baseline.timeoutS
        = baseline.value(QLatin1String("timeout_s")).toInt(config.baseline.timeoutS);

    const QJsonObject durable = root.value(QLatin1String("durable")).toObject();
    config.durable.ingress = durable.value(QLatin1String("ingress")).toString();
    config.durable.admin = durable.value(QLatin1String("admin")).toString();
    if (!config.durable.ingress.startsWith(QLatin1String("http")))
        return fail(QStringLiteral("durable.ingress"),
            QStringLiteral("the Restate ingress URL, e.g. http://127.0.0.1:8080"));
    if (!config.durable.admin.startsWith(QLatin1String("http")))
        return fail(QStringLiteral("durable.admin"),
            QStringLiteral("the Restate admin URL, e.g. http://127.0.0.1:9070"));
    config.durable.service
        = durable.value(QLatin1String("service")).toString(config.durable.service);
    config.durable.handler
        = durable.value(QLatin1String("handler")).toString(config.durable.handler);
    if (!durable.value(QLatin1String("body")).isObject())
        return fail(QStringLiteral("durable.body"),
            QStringLiteral("the JSON object the handler takes, e.g. "
                           "{\"prompt\":\"{query}\",\"research_info\":\"{research_info}\"}"));
    config.durable.body = durable.value(QLatin1String("body")).toObject();
    config.durable.timeoutS
        = durable.value(QLatin1String("timeout_s")).toInt(config.durable.timeoutS);
    return config;
}

} // namespace tt::engine
