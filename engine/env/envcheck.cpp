// SPDX-License-Identifier: MIT
#include "envcheck.h"

#include "engine/gpu/nvml.h"
#include "engine/report/reportwriter.h"
#include "engine/restate/restateserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStorageInfo>
#include <QThread>

namespace tt::engine {

namespace {

constexpr qint64 kMinFreeBytes = 1ll << 30;

int getStatus(const QString& url, int timeoutMs, QByteArray* body = nullptr)
{
    int status = 0;
    const QByteArray answer = sendJson("GET", url, {}, status, timeoutMs, "application/json");
    if (body)
        *body = answer;
    return status;
}

// Health, version, ingress and UI of a server whose admin URL is known.
void probeRestate(EnvItem& item, const QString& adminUrl, const QString& ingressUrl, int timeoutMs)
{
    QByteArray version;
    const int health = getStatus(adminUrl + QStringLiteral("/health"), timeoutMs);
    const int admin = getStatus(adminUrl + QStringLiteral("/version"), timeoutMs, &version);
    const int ui = getStatus(adminUrl + QStringLiteral("/ui/"), timeoutMs);
    item.details[QStringLiteral("admin_url")] = adminUrl;
    item.details[QStringLiteral("health")] = health == 200;
    item.details[QStringLiteral("admin_api")] = admin == 200;
    item.details[QStringLiteral("ui")] = ui == 200;
    const QJsonObject versionJson = QJsonDocument::fromJson(version).object();
    if (versionJson.contains(QLatin1String("version")))
        item.value = QStringLiteral("restate-server %1")
                         .arg(versionJson.value(QLatin1String("version")).toString());
    QStringList missing;
    if (health != 200)
        missing << QStringLiteral("/health answered %1").arg(health);
    if (admin != 200)
        missing << QStringLiteral("admin API /version answered %1").arg(admin);
    if (ui != 200)
        missing << QStringLiteral("UI /ui/ answered %1").arg(ui);
    if (!ingressUrl.isEmpty()) {
        // Ingress answers 404 for an unknown service: any HTTP answer means it listens.
        const int ingress
            = getStatus(ingressUrl + QStringLiteral("/twintrace-env-check"), timeoutMs);
        item.details[QStringLiteral("ingress_url")] = ingressUrl;
        item.details[QStringLiteral("ingress")] = ingress > 0;
        if (ingress <= 0)
            missing << QStringLiteral("ingress %1 does not answer").arg(ingressUrl);
    }
    item.ok = missing.isEmpty();
    item.reason = item.ok ? QStringLiteral("health, admin API, ingress and UI answer")
                          : missing.join(QStringLiteral("; "));
}

EnvItem checkRestate(const EnvOptions& options)
{
    EnvItem item;
    item.key = QStringLiteral("restate");
    item.title = QStringLiteral("Restate server");
    if (!options.restateAdminUrl.isEmpty()) {
        probeRestate(item, options.restateAdminUrl, {}, options.timeoutMs);
        item.fix = QStringLiteral("start the server, or check the admin URL (default port 9070)");
        return item;
    }
    const QString binary = RestateServer::findBinary();
    if (binary.isEmpty()) {
        item.reason = QStringLiteral("restate-server is not installed");
        item.fix = QStringLiteral(
            "scripts/setup.sh (npm ci installs the pinned @restatedev/restate-server)");
        return item;
    }
    item.details[QStringLiteral("binary")] = binary;
    item.value = RestateServer::version(binary);
    RestateServer server;
    QString error;
    if (!server.start(error)) {
        item.reason = error;
        item.fix = QStringLiteral("see the server's log; a port in use or a full disk are the "
                                  "usual causes");
        return item;
    }
    probeRestate(item, server.adminUrl(), server.ingressUrl(), options.timeoutMs);
    item.details[QStringLiteral("started")] = QStringLiteral("a temporary server on 127.0.0.1");
    server.stop();
    if (!item.ok)
        item.fix = QStringLiteral("see the server's log (%1)").arg(server.logPath());
    return item;
}

EnvItem checkLlm(const EnvOptions& options)
{
    EnvItem item;
    item.key = QStringLiteral("llm");
    item.title = QStringLiteral("LLM endpoint");
    QString url = options.llmUrl;
    QProcess standIn;
    if (url.isEmpty()) {
        const QString bin = QDir(
            options.binDir.isEmpty() ? QCoreApplication::applicationDirPath() : options.binDir)
                                .filePath(QStringLiteral("twintrace-llm"));
        if (!QFileInfo(bin).isExecutable()) {
            item.reason = QStringLiteral("%1 is missing").arg(bin);
            item.fix = QStringLiteral("scripts/setup.sh builds it");
            return item;
        }
        const int port = freeLoopbackPort();
        url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        standIn.start(
            bin, { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port) });
        if (!standIn.waitForStarted(options.timeoutMs)) {
            item.reason
                = QStringLiteral("the stand-in did not start: %1").arg(standIn.errorString());
            return item;
        }
        item.details[QStringLiteral("started")] = QStringLiteral("the twintrace-llm stand-in");
    }
    item.details[QStringLiteral("url")] = url;
    // The stand-in needs a moment to listen; a real server answers at once.
    QByteArray body;
    int status = 0;
    QElapsedTimer waited;
    waited.start();
    const bool started = standIn.state() != QProcess::NotRunning;
    do {
        status = getStatus(url + QStringLiteral("/v1/models"), options.timeoutMs, &body);
        if (status == 0 && started)
            QThread::msleep(50);
    } while (status == 0 && started && waited.elapsed() < options.timeoutMs);
    if (standIn.state() != QProcess::NotRunning) {
        standIn.kill();
        standIn.waitForFinished(2000);
    }
    const QJsonArray models
        = QJsonDocument::fromJson(body).object().value(QLatin1String("data")).toArray();
    QStringList names;
    for (const QJsonValue& model : models)
        names << model.toObject().value(QLatin1String("id")).toString();
    item.details[QStringLiteral("models")] = QJsonArray::fromStringList(names);
    item.ok = status == 200 && !names.isEmpty();
    item.value = names.join(QStringLiteral(", "));
    item.reason = item.ok ? QStringLiteral("GET /v1/models lists %1 model(s)").arg(names.size())
        : status == 0
        ? QStringLiteral("%1 does not answer").arg(url)
        : QStringLiteral("GET /v1/models answered HTTP %1 without models").arg(status);
    if (!item.ok)
        item.fix = QStringLiteral("start the server (llama.cpp: llama-server --port 8002), or name "
                                  "another with --llm URL");
    return item;
}

EnvItem checkGpu()
{
    EnvItem item;
    item.key = QStringLiteral("gpu");
    item.title = QStringLiteral("GPU");
    QString reason;
    const auto nvml = Nvml::open(reason);
    item.details[QStringLiteral("available")] = false;
    if (!nvml) {
        item.reason = reason;
        // No GPU is a fine place to run the stand-in: this item says so without failing.
        item.ok = true;
        item.value = QStringLiteral("no GPU");
        item.fix = QStringLiteral("none needed for the stand-in; on the DGX Spark, install the "
                                  "NVIDIA driver (nvidia-smi must work)");
        return item;
    }
    const auto devices = nvml->devices();
    QJsonArray list;
    QStringList names;
    for (const GpuDevice& d : devices) {
        list.append(
            QJsonObject { { QStringLiteral("index"), d.index }, { QStringLiteral("name"), d.name },
                { QStringLiteral("compute_capability"),
                    QStringLiteral("%1.%2").arg(d.computeMajor).arg(d.computeMinor) },
                { QStringLiteral("memory_total_bytes"), double(d.memoryTotalBytes) } });
        names << QStringLiteral("%1 (compute %2.%3, %4 GiB)")
                     .arg(d.name)
                     .arg(d.computeMajor)
                     .arg(d.computeMinor)
                     .arg(double(d.memoryTotalBytes) / double(1ull << 30), 0, 'f', 0);
    }
    QString runtimeReason;
    const QString runtime = cudaRuntimeVersion(runtimeReason);
    item.details[QStringLiteral("available")] = !devices.empty();
    item.details[QStringLiteral("devices")] = list;
    item.details[QStringLiteral("driver")] = nvml->driverVersion();
    item.details[QStringLiteral("cuda_driver")] = nvml->cudaDriverVersion();
    item.details[QStringLiteral("cuda_runtime")] = runtime.isEmpty() ? runtimeReason : runtime;
    item.details[QStringLiteral("library")] = nvml->libraryPath();
    item.ok = !devices.empty();
    item.value = names.join(QStringLiteral("; "));
    item.reason = item.ok
        ? QStringLiteral("NVML %1, driver %2, CUDA %3")
              .arg(nvml->libraryPath(), nvml->driverVersion(), nvml->cudaDriverVersion())
        : QStringLiteral("NVML loaded but sees no device");
    return item;
}

EnvItem checkDisk(const EnvOptions& options)
{
    EnvItem item;
    item.key = QStringLiteral("disk");
    item.title = QStringLiteral("Disk space");
    // The results folder may not exist yet: measure the nearest folder that does.
    QDir dir(QDir(options.outDir).absolutePath());
    while (!dir.exists() && dir.cdUp()) { }
    const QStorageInfo storage(dir.absolutePath());
    item.details[QStringLiteral("path")] = dir.absolutePath();
    item.details[QStringLiteral("free_bytes")] = double(storage.bytesAvailable());
    item.ok = storage.isValid() && storage.bytesAvailable() >= kMinFreeBytes;
    item.value = QStringLiteral("%1 GiB free")
                     .arg(double(storage.bytesAvailable()) / double(1ll << 30), 0, 'f', 1);
    item.reason = item.ok ? QStringLiteral("at least 1 GiB free for results, logs and journals")
                          : QStringLiteral("less than 1 GiB free at %1").arg(dir.absolutePath());
    if (!item.ok)
        item.fix = QStringLiteral("free space, or choose another --out");
    return item;
}

EnvItem versions(const QString& restateVersion)
{
    EnvItem item;
    item.key = QStringLiteral("versions");
    item.title = QStringLiteral("Versions");
    item.ok = true;
    for (const auto& [name, value] :
        describeEnvironment({ { QStringLiteral("restate_version"), restateVersion } }))
        item.details[name] = value;
    item.value = QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()));
    item.reason = QStringLiteral("what the report's environment section lists");
    return item;
}

} // namespace

std::vector<EnvItem> checkEnvironment(const EnvOptions& options)
{
    std::vector<EnvItem> items;
    items.push_back(checkRestate(options));
    items.push_back(checkLlm(options));
    items.push_back(checkGpu());
    items.push_back(checkDisk(options));
    items.push_back(versions(items.front().value));
    return items;
}

QJsonObject envJson(const std::vector<EnvItem>& items)
{
    QJsonObject out;
    bool ok = true;
    for (const EnvItem& item : items) {
        QJsonObject entry = item.details;
        entry[QStringLiteral("ok")] = item.ok;
        entry[QStringLiteral("value")] = item.value;
        entry[QStringLiteral("reason")] = item.reason;
        if (!item.fix.isEmpty())
            entry[QStringLiteral("fix")] = item.fix;
        out[item.key] = entry;
        ok = ok && item.ok;
    }
    out[QStringLiteral("ok")] = ok;
    return out;
}

} // namespace tt::engine
