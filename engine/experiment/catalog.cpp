// SPDX-License-Identifier: MIT
#include "catalog.h"

#include "engine/report/markdowntext.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tt::engine {

QString resourcePath(const QString& relative)
{
    const QString installed = QCoreApplication::applicationDirPath()
        + QStringLiteral("/../share/twintrace/") + relative;
    if (QFileInfo::exists(installed))
        return QFileInfo(installed).canonicalFilePath();
    return QStringLiteral(TT_SOURCE_DIR "/resources/") + relative;
}

QString defaultCatalogPath()
{
    return resourcePath(QStringLiteral("experiments/catalog.json"));
}

QString llmScenarioPath(const QString& name)
{
    return resourcePath(QStringLiteral("scenarios/") + name + QStringLiteral(".json"));
}

std::optional<Catalog> loadCatalog(const QString& path, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = path + QStringLiteral(": ") + file.errorString();
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        error = path + QStringLiteral(": not JSON: ") + parseError.errorString();
        return std::nullopt;
    }
    Catalog catalog;
    catalog.path = path;
    const QJsonObject client = root.value(QLatin1String("client")).toObject();
    catalog.clientTimeoutS
        = client.value(QLatin1String("timeout_s")).toDouble(catalog.clientTimeoutS);
    catalog.clientMaxRetries
        = client.value(QLatin1String("max_retries")).toInt(catalog.clientMaxRetries);
    const QJsonObject retry = root.value(QLatin1String("restate_retry")).toObject();
    catalog.restateInitialMs
        = retry.value(QLatin1String("initial_ms")).toInt(catalog.restateInitialMs);
    catalog.restateMaxIntervalMs
        = retry.value(QLatin1String("max_interval_ms")).toInt(catalog.restateMaxIntervalMs);
    catalog.restateMaxAttempts
        = retry.value(QLatin1String("max_attempts")).toInt(catalog.restateMaxAttempts);
    catalog.restateOnMaxAttempts
        = retry.value(QLatin1String("on_max_attempts")).toString(catalog.restateOnMaxAttempts);
    const QJsonObject ingress = root.value(QLatin1String("ingress_client")).toObject();
    catalog.ingressPatienceMs = int(
        ingress.value(QLatin1String("patience_s")).toDouble(catalog.ingressPatienceMs / 1000.0)
        * 1000);
    catalog.ingressRetryInitialMs
        = ingress.value(QLatin1String("retry_initial_ms")).toInt(catalog.ingressRetryInitialMs);
    catalog.ingressRetryMaxMs
        = ingress.value(QLatin1String("retry_max_ms")).toInt(catalog.ingressRetryMaxMs);
    const QJsonValue headings
        = root.value(QLatin1String("report")).toObject().value(QLatin1String("required_headings"));
    if (headings.isArray()) {
        catalog.reportHeadings.clear();
        for (const QJsonValue& heading : headings.toArray())
            if (!heading.toString().trimmed().isEmpty())
                catalog.reportHeadings << heading.toString().trimmed();
    }
    const QJsonArray scenarios = root.value(QLatin1String("scenarios")).toArray();
    for (int i = 0; i < scenarios.size(); ++i) {
        const QJsonObject object = scenarios.at(i).toObject();
        Scenario scenario;
        scenario.id = object.value(QLatin1String("id")).toString();
        scenario.group = object.value(QLatin1String("group")).toString(scenario.id);
        scenario.description = object.value(QLatin1String("description")).toString();
        scenario.llmScenario = object.value(QLatin1String("llm")).toString();
        scenario.crashAt = object.value(QLatin1String("crash_at")).toString();
        scenario.failOnce = object.value(QLatin1String("fail_once")).toString();
        scenario.restateCrashAt = object.value(QLatin1String("restate_crash_at")).toString();
        scenario.restateDownAtStartMs
            = object.value(QLatin1String("restate_down_at_start_ms")).toInt();
        scenario.fault = object.value(QLatin1String("fault")).toBool();
        scenario.faultKind = object.value(QLatin1String("fault_kind")).toString();
        scenario.faultStep = object.value(QLatin1String("fault_step")).toString();
        const QJsonObject expect = object.value(QLatin1String("expect")).toObject();
        for (const QString& variant : knownVariants())
            if (expect.contains(variant))
                scenario.expect[variant] = expect.value(variant).toString();
        for (const QJsonValue& setting : object.value(QLatin1String("depends_on")).toArray())
            scenario.dependsOn << setting.toString();
        if (scenario.id.isEmpty() || scenario.llmScenario.isEmpty()) {
            error
                = QStringLiteral("%1: scenarios[%2]: expected \"id\" and \"llm\"").arg(path).arg(i);
            return std::nullopt;
        }
        for (const auto& [field, id] :
            { std::pair { "id", scenario.id }, std::pair { "group", scenario.group } }) {
            const QString problem = idProblem(id);
            if (!problem.isEmpty()) {
                error = QStringLiteral("%1: scenarios[%2].%3: %4")
                            .arg(path)
                            .arg(i)
                            .arg(QLatin1String(field), problem);
                return std::nullopt;
            }
        }
        if (!QFileInfo::exists(llmScenarioPath(scenario.llmScenario))) {
            error = QStringLiteral("%1: scenarios[%2].llm: no stand-in scenario %3")
                        .arg(path)
                        .arg(i)
                        .arg(llmScenarioPath(scenario.llmScenario));
            return std::nullopt;
        }
        catalog.scenarios.push_back(scenario);
    }
    if (catalog.scenarios.empty()) {
        error = path + QStringLiteral(": no scenarios");
        return std::nullopt;
    }
    return catalog;
}

std::optional<std::vector<Scenario>> Catalog::select(const QStringList& names, QString& error) const
{
    std::vector<Scenario> chosen;
    for (const Scenario& scenario : scenarios) {
        if (names.contains(QLatin1String("all")) || names.contains(scenario.id)
            || names.contains(scenario.group))
            chosen.push_back(scenario);
    }
    for (const QString& name : names) {
        if (name == QLatin1String("all"))
            continue;
        const bool known = std::any_of(scenarios.begin(), scenarios.end(),
            [&](const Scenario& s) { return s.id == name || s.group == name; });
        if (!known) {
            QStringList groups;
            for (const Scenario& s : scenarios)
                if (!groups.contains(s.group))
                    groups << s.group;
            error
                = QStringLiteral("unknown scenario \"%1\" (known: %2, or any scenario id, or all)")
                      .arg(name, groups.join(QStringLiteral(", ")));
            return std::nullopt;
        }
    }
    return chosen;
}

} // namespace tt::engine
