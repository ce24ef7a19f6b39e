// SPDX-License-Identifier: MIT
#include "restateserver.h"

#include <sys/prctl.h>

#include <csignal>
#include <mutex>
#include <set>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QThread>

namespace tt::engine {

namespace {

constexpr const char* kRelativeBinary
    = "node_modules/@restatedev/restate-server-linux-x64/bin/restate-server";

// The first port of the kernel's ephemeral range (32768 unless configured).
int ephemeralLow()
{
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    bool number = false;
    const int low = range.open(QIODevice::ReadOnly) ? QString::fromLatin1(range.readAll())
                                                          .simplified()
                                                          .section(QLatin1Char(' '), 0, 0)
                                                          .toInt(&number)
                                                    : 0;
    return number && low > 1024 ? low : 32768;
}

} // namespace

int freeLoopbackPort()
{
    static std::mutex lock;
    static std::set<int> handedOut;
    static const int high = ephemeralLow();
    const int low = std::max(1025, std::min(20000, high - 4096));
    std::lock_guard guard(lock);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = low + int(QRandomGenerator::global()->bounded(uint32_t(high - low)));
        if (handedOut.count(port))
            continue;
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, quint16(port))) {
            handedOut.insert(port);
            return port;
        }
    }
    return 0;
}

QByteArray postJson(const QString& url, const QByteArray& body, int& status, int timeoutMs,
    const QByteArray& accept)
{
    return sendJson("POST", url, body, status, timeoutMs, accept);
}

QByteArray sendJson(const QByteArray& method, const QString& url, const QByteArray& body,
    int& status, int timeoutMs, const QByteArray& accept,
    const QList<QPair<QByteArray, QByteArray>>& headers)
{
    QNetworkAccessManager nam;
    QNetworkRequest request { QUrl(url) };
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", accept);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // A reply that never connected (the server down) is not open: nothing to read.
    const QByteArray answer = reply->isOpen() ? reply->readAll() : QByteArray();
    reply->deleteLater();
    return answer;
}

RestateServer::RestateServer()
    : RestateServer(Options())
{ }

bool RestateServer::killInvocation(const QString& id, QString& error)
{
    int status = 0;
    const QByteArray answer = sendJson("PATCH",
        adminUrl() + QStringLiteral("/invocations/") + id + QStringLiteral("/kill"), {}, status,
        10000);
    if (status / 100 == 2)
        return true;
    error = QStringLiteral("killing %1: HTTP %2 %3")
                .arg(id)
                .arg(status)
                .arg(QString::fromUtf8(answer.left(200)));
    return false;
}

QString RestateServer::version(const QString& binary)
{
    QProcess process;
    process.start(binary.isEmpty() ? findBinary() : binary, { QStringLiteral("--version") });
    if (!process.waitForFinished(10000))
        return {};
    return QString::fromUtf8(process.readAllStandardOutput())
        .trimmed()
        .section(QLatin1Char('\n'), 0, 0);
}

RestateServer::RestateServer(Options options)
    : m_options(std::move(options))
{ }

RestateServer::~RestateServer()
{
    stop();
}

QString RestateServer::findBinary(const QString& preferred)
{
    // A binary named explicitly is the only one tried: a typo must not fall back silently.
    QStringList candidates;
    if (!preferred.isEmpty())
        candidates << preferred;
    else if (qEnvironmentVariableIsSet("TWINTRACE_RESTATE_SERVER"))
        candidates << qEnvironmentVariable("TWINTRACE_RESTATE_SERVER");
    else
        candidates << QDir(QCoreApplication::applicationDirPath())
                          .filePath(QStringLiteral("../") + QLatin1String(kRelativeBinary))
                   << QStringLiteral(TT_SOURCE_DIR "/") + QLatin1String(kRelativeBinary);
    for (const QString& candidate : candidates)
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return {};
}

QString RestateServer::adminUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_adminPort);
}

QString RestateServer::ingressUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_ingressPort);
}

QString RestateServer::logPath() const
{
    return m_baseDir ? m_baseDir->filePath(QStringLiteral("restate.log")) : QString();
}

QByteArray RestateServer::logTail(int bytes) const
{
    QFile log(logPath());
    if (!log.open(QIODevice::ReadOnly))
        return {};
    if (log.size() > bytes)
        log.seek(log.size() - bytes);
    return log.readAll();
}

bool RestateServer::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QByteArray RestateServer::query(const QString& sql, int& status, int timeoutMs)
{
    const QByteArray body = QJsonDocument(
        QJsonObject { { QStringLiteral("query"),
            sql } }).toJson(QJsonDocument::Compact);
    return postJson(adminUrl() + QStringLiteral("/query"), body, status, timeoutMs);
}

bool RestateServer::start(QString& error)
{
    const QString binary = findBinary(m_options.binary);
    if (binary.isEmpty()) {
        error = m_options.binary.isEmpty()
            ? QStringLiteral(
                "restate-server not found (looked for %1 and $TWINTRACE_RESTATE_SERVER): run "
                "scripts/setup.sh, which installs the pinned @restatedev/restate-server")
                  .arg(QLatin1String(kRelativeBinary))
            : QStringLiteral(
                "restate-server not found at %1: run scripts/setup.sh, which installs the pinned "
                "@restatedev/restate-server, or name an existing binary")
                  .arg(m_options.binary);
        return false;
    }
    // A restart after a crash (killHard) keeps the data folder and the addresses.
    if (!m_baseDir)
        m_baseDir = std::make_unique<QTemporaryDir>();
    if (!m_adminPort)
        m_adminPort = m_options.adminPort ? m_options.adminPort : freeLoopbackPort();
    if (!m_ingressPort)
        m_ingressPort = m_options.ingressPort ? m_options.ingressPort : freeLoopbackPort();
    if (!m_nodePort)
        m_nodePort = m_options.nodePort ? m_options.nodePort : freeLoopbackPort();
    if (!m_baseDir->isValid() || !m_adminPort || !m_ingressPort || !m_nodePort) {
        error = QStringLiteral(
            "cannot prepare a temporary folder and free loopback ports for restate-server");
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RESTATE_BIND_IP"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("RESTATE_BASE_DIR"), m_baseDir->path());
    env.insert(QStringLiteral("RESTATE_ADMIN__BIND_ADDRESS"),
        QStringLiteral("127.0.0.1:%1").arg(m_adminPort));
    env.insert(QStringLiteral("RESTATE_INGRESS__BIND_ADDRESS"),
        QStringLiteral("127.0.0.1:%1").arg(m_ingressPort));
    env.insert(QStringLiteral("RESTATE_BIND_PORT"), QString::number(m_nodePort));
    env.insert(QStringLiteral("RESTATE_DISABLE_TELEMETRY"), QStringLiteral("true"));
    env.insert(QStringLiteral("RESTATE_LOG_DISABLE_ANSI_CODES"), QStringLiteral("true"));
    m_process = std::make_unique<QProcess>();
    // The server dies with us, even when we are killed with SIGKILL.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->setProcessEnvironment(env);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(logPath(), QIODevice::Append);
    m_process->start(binary,
        { QStringLiteral("--no-logo"), QStringLiteral("--listen-mode"), QStringLiteral("tcp") });
    if (!m_process->waitForStarted(5000)) {
        error = QStringLiteral("cannot start %1: %2").arg(binary, m_process->errorString());
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < m_options.startTimeoutMs) {
        if (m_process->state() == QProcess::NotRunning) {
            const QString tail = QString::fromUtf8(logTail());
            error = tail.contains(QLatin1String("Address already in use"))
                    || tail.contains(QLatin1String("address in use"))
                ? QStringLiteral("restate-server could not bind: a port is taken (admin %1, "
                                 "ingress %2, node %3). "
                                 "End of its log:\n%4")
                      .arg(m_adminPort)
                      .arg(m_ingressPort)
                      .arg(m_nodePort)
                      .arg(tail.right(600))
                : QStringLiteral(
                    "restate-server exited with code %1 before it was ready. End of its log:\n%2")
                      .arg(m_process->exitCode())
                      .arg(tail.right(600));
            return false;
        }
        // /health answers before the partitions have leaders; a system table query does not.
        int status = 0;
        query(QStringLiteral("SELECT id FROM sys_invocation LIMIT 1"), status, 2000);
        if (status == 200)
            return true;
        m_process->waitForFinished(50);
    }
    error = QStringLiteral(
        "restate-server did not answer POST /query within %1 ms. End of its log:\n%2")
                .arg(m_options.startTimeoutMs)
                .arg(QString::fromUtf8(logTail(600)));
    stop();
    return false;
}

void RestateServer::killHard()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
}

QString RestateServer::stop()
{
    if (!m_process)
        return QStringLiteral("not started");
    QString how = QStringLiteral("already stopped");
    if (m_process->state() != QProcess::NotRunning) {
        QElapsedTimer timer;
        timer.start();
        m_process->terminate();
        if (m_process->waitForFinished(m_options.stopTimeoutMs)) {
            how = QStringLiteral("stopped by SIGTERM in %1 ms").arg(timer.elapsed());
        } else {
            m_process->kill();
            m_process->waitForFinished(5000);
            how = QStringLiteral("killed (SIGKILL) after %1 ms without stopping on SIGTERM")
                      .arg(timer.elapsed());
        }
    }
    if (!m_options.keepLogAs.isEmpty()) {
        QFile::remove(m_options.keepLogAs);
        QFile::copy(logPath(), m_options.keepLogAs);
    }
    m_process.reset();
    return how;
}

qint64 RestateServer::processId() const
{
    return m_process ? m_process->processId() : 0;
}

QByteArray RestateServer::registerDeployment(const QString& uri, QString& error, bool http11)
{
    const QByteArray body = QJsonDocument(
        QJsonObject { { QStringLiteral("uri"), uri }, { QStringLiteral("use_http_11"), http11 },
            // The same address again (an endpoint restarted with new options) updates the
            // deployment instead of failing.
            { QStringLiteral("force"),
                true } }).toJson(QJsonDocument::Compact);
    int status = 0;
    const QByteArray answer
        = postJson(adminUrl() + QStringLiteral("/deployments"), body, status, 30000);
    if (status < 200 || status >= 300) {
        error = status == 0 ? QStringLiteral("the admin API at %1 did not answer").arg(adminUrl())
                            : QStringLiteral("registering %1 failed with HTTP %2: %3")
                                  .arg(uri)
                                  .arg(status)
                                  .arg(QString::fromUtf8(answer.left(600)));
        return {};
    }
    return answer;
}

} // namespace tt::engine
