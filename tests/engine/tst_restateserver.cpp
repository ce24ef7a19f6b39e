// SPDX-License-Identifier: MIT
// The real restate-server (npm @restatedev/restate-server 1.7.12): started on loopback with free
// ports and a temporary base folder, ready when /query answers, stopped by SIGTERM.
#include "engine/restate/restateserver.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using tt::engine::RestateServer;

namespace {

// Loopback listeners in /proc/net/tcp: local address 0100007F (127.0.0.1), state 0A (LISTEN).
bool listensOnLoopbackOnly(int port)
{
    QFile tcp(QStringLiteral("/proc/net/tcp"));
    if (!tcp.open(QIODevice::ReadOnly))
        return false;
    const QByteArray hexPort = QByteArray::number(port, 16).toUpper().rightJustified(4, '0');
    bool loopback = false;
    for (const QByteArray& line : tcp.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 4 || fields[3] != "0A" || !fields[1].endsWith(":" + hexPort))
            continue;
        if (!fields[1].startsWith("0100007F"))
            return false; // listening on another address too
        loopback = true;
    }
    return loopback;
}

} // namespace

class TestRestateServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (RestateServer::findBinary().isEmpty())
            QFAIL("restate-server is not installed: run scripts/setup.sh");
    }

    void startsReadyOnLoopbackAndStops()
    {
        QTemporaryDir keep;
        RestateServer::Options options;
        options.keepLogAs = keep.filePath(QStringLiteral("restate.log"));
        RestateServer server(options);
        QString error;
        QVERIFY2(server.start(error), qPrintable(error));
        QVERIFY(server.isRunning());
        // Ready means the system tables answer, in JSON because Accept is exactly that.
        int status = 0;
        const QByteArray rows
            = server.query(QStringLiteral("SELECT id, status FROM sys_invocation"), status);
        QCOMPARE(status, 200);
        QVERIFY2(rows.trimmed().startsWith('{') || rows.trimmed().startsWith('['),
            rows.left(200).constData());
        QVERIFY(listensOnLoopbackOnly(server.adminPort()));
        QVERIFY(listensOnLoopbackOnly(server.ingressPort()));
        const QString how = server.stop();
        QVERIFY2(how.startsWith(QLatin1String("stopped by SIGTERM")), qPrintable(how));
        QVERIFY(!server.isRunning());
        QFile log(options.keepLogAs);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.size() > 0);
    }

    void registeringAnUnreachableEndpointIsAClearError()
    {
        RestateServer server;
        QString error;
        QVERIFY2(server.start(error), qPrintable(error));
        QVERIFY(server.registerDeployment(QStringLiteral("http://127.0.0.1:9/"), error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("registering http://127.0.0.1:9/ failed with HTTP")),
            qPrintable(error));
    }

    void aTakenPortIsNamed()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        RestateServer::Options options;
        options.ingressPort = squatter.serverPort();
        options.startTimeoutMs = 20000;
        RestateServer server(options);
        QString error;
        QVERIFY(!server.start(error));
        QVERIFY2(error.contains(QString::number(squatter.serverPort())), qPrintable(error));
    }

    void aMissingBinaryNamesTheSetUpCommand()
    {
        RestateServer::Options options;
        options.binary = QStringLiteral("/nonexistent/restate-server");
        RestateServer server(options);
        QString error;
        QVERIFY(!server.start(error));
        QVERIFY2(error.contains(QLatin1String("/nonexistent/restate-server")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("scripts/setup.sh")), qPrintable(error));
    }
};

QTEST_MAIN(TestRestateServer)
#include "tst_restateserver.moc"
