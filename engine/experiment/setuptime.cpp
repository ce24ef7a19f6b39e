// SPDX-License-Identifier: MIT
#include "setuptime.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <iterator>

namespace tt::engine {

namespace {

const char* const kParts[][2] = {
    { "setup_install_ms", "install" },
    { "setup_server_start_ms", "server start" },
    { "setup_register_ms", "registration" },
    { "setup_first_run_ms", "first durable run" },
};

double* part(SetupParts& parts, int index)
{
    double* fields[]
        = { &parts.installMs, &parts.serverStartMs, &parts.registerMs, &parts.firstRunMs };
    return fields[index];
}

} // namespace

double SetupParts::timedTotalMs() const
{
    double total = 0;
    for (double value : { installMs, serverStartMs, registerMs, firstRunMs })
        total += std::max(0.0, value);
    return total;
}

void storeSetupParts(ResultStore& store, const SetupParts& parts)
{
    SetupParts copy = parts;
    for (int i = 0; i < int(std::size(kParts)); ++i) {
        const QString key = QLatin1String(kParts[i][0]);
        if (*part(copy, i) >= 0 && store.meta(key).isEmpty())
            store.setMeta(key, QString::number(*part(copy, i), 'f', 1));
    }
    if (parts.installMs >= 0 && store.meta(QStringLiteral("setup_install_how")).isEmpty())
        store.setMeta(QStringLiteral("setup_install_how"), parts.installHow);
}

SetupParts loadSetupParts(const ResultStore& store)
{
    SetupParts parts;
    for (int i = 0; i < int(std::size(kParts)); ++i) {
        bool ok = false;
        const double value = store.meta(QLatin1String(kParts[i][0])).toDouble(&ok);
        if (ok)
            *part(parts, i) = value;
    }
    parts.installHow = store.meta(QStringLiteral("setup_install_how"));
    return parts;
}

std::optional<SetupParts> recordedInstall(const QString& serverBinary)
{
    // .../node_modules/@restatedev/restate-server-linux-x64/bin/restate-server
    QString dir = QFileInfo(serverBinary).absolutePath();
    while (!dir.isEmpty() && QFileInfo(dir).fileName() != QLatin1String("node_modules")) {
        const QString parent = QFileInfo(dir).absolutePath();
        if (parent == dir)
            return std::nullopt;
        dir = parent;
    }
    QFile file(QDir(dir).filePath(QStringLiteral(".twintrace-setup.json")));
    if (dir.isEmpty() || !file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
    const double ms = record.value(QLatin1String("npm_ci_ms")).toDouble(-1);
    if (ms < 0)
        return std::nullopt;
    SetupParts parts;
    parts.installMs = ms;
    parts.installHow = QStringLiteral("npm ci of the pinned packages, timed by scripts/setup.sh "
                                      "on %1")
                           .arg(record.value(QLatin1String("at")).toString());
    return parts;
}

std::optional<double> measureInstall(QString& error)
{
    QFile manifest(QStringLiteral(TT_SOURCE_DIR "/package.json"));
    const QString version = manifest.open(QIODevice::ReadOnly)
        ? QJsonDocument::fromJson(manifest.readAll())
              .object()
              .value(QLatin1String("dependencies"))
              .toObject()
              .value(QLatin1String("@restatedev/restate-server"))
              .toString()
        : QString();
    if (version.isEmpty()) {
        error = QStringLiteral("%1 pins no @restatedev/restate-server").arg(manifest.fileName());
        return std::nullopt;
    }
    QTemporaryDir prefix;
    QProcess npm;
    npm.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer clock;
    clock.start();
    npm.start(QStringLiteral("npm"),
        { QStringLiteral("install"), QStringLiteral("--prefix"), prefix.path(),
            QStringLiteral("--no-audit"), QStringLiteral("--no-fund"),
            QStringLiteral("--ignore-scripts"), QStringLiteral("--prefer-online"),
            QStringLiteral("--cache"), prefix.filePath(QStringLiteral("npm-cache")),
            QStringLiteral("--loglevel=error"),
            QStringLiteral("@restatedev/restate-server@") + version });
    if (!npm.waitForStarted(10000)) {
        error = QStringLiteral("npm did not start: %1").arg(npm.errorString());
        return std::nullopt;
    }
    npm.waitForFinished(15 * 60 * 1000);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    const QString binary = prefix.filePath(
        QStringLiteral("node_modules/@restatedev/restate-server-linux-x64/bin/restate-server"));
    if (npm.exitStatus() != QProcess::NormalExit || npm.exitCode() != 0
        || !QFileInfo(binary).isExecutable()) {
        error = QStringLiteral("npm install @restatedev/restate-server@%1 failed: %2")
                    .arg(version, QString::fromUtf8(npm.readAll().trimmed().right(300)));
        return std::nullopt;
    }
    return ms;
}

} // namespace tt::engine
