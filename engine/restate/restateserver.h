// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace tt::engine {

// The real restate-server from the pinned npm package, started on 127.0.0.1 with free ports and
// a temporary base folder (research/restate_run.md §2-3). Blocking calls: the engine runs them
// off the GUI thread.
class RestateServer
{
public:
    struct Options
    {
        QString binary; // the only one tried when set; empty: $TWINTRACE_RESTATE_SERVER, else
                        // node_modules
        int startTimeoutMs = 30000;
        int stopTimeoutMs = 5000; // SIGTERM, then SIGKILL
        QString keepLogAs; // copy restate's log here when it stops (empty: not kept)
        int adminPort = 0; // 0: a free port
        int ingressPort = 0;
        int nodePort = 0;
    };

    RestateServer();
    explicit RestateServer(Options options);
    ~RestateServer();
    RestateServer(const RestateServer&) = delete;
    RestateServer& operator=(const RestateServer&) = delete;

    // Starts the server and waits until POST /query answers 200 (/health answers before the
    // partitions have leaders). False with a reason: binary missing (names the set-up command),
    // a port taken, the server dying (with the end of its log), or the timeout.
    bool start(QString& error);
    // SIGTERM, then SIGKILL after the stop timeout. Returns how it ended, for the log.
    QString stop();
    // SIGKILL, as a power cut would: the data folder and the addresses stay, and start() brings
    // the same server back on them.
    void killHard();
    bool isRunning() const;

    qint64 processId() const; // 0 when not running (benchmarks read its CPU time)
    QString adminUrl() const;
    QString ingressUrl() const;
    int adminPort() const { return m_adminPort; }
    int ingressPort() const { return m_ingressPort; }
    QString logPath() const;
    QByteArray logTail(int bytes = 2000) const;

    // POST /deployments {"uri", "use_http_11", "force": true}: without http11 the runtime speaks
    // HTTP/2 (h2c, prior knowledge) to the endpoint, bidirectional streams when its manifest says
    // BIDI_STREAM; with it, request-response mode over HTTP/1.1. Registering the same address
    // again updates it (new retry policy...). Returns the admin API's JSON answer, or an empty
    // array and a reason.
    QByteArray registerDeployment(const QString& uri, QString& error, bool http11 = false);

    // POST /query with Accept: application/json exactly (anything else gets Arrow). Returns the
    // body and the HTTP status (0 when the server did not answer).
    QByteArray query(const QString& sql, int& status, int timeoutMs = 10000);

    // PATCH /invocations/{id}/kill; false with a reason.
    bool killInvocation(const QString& id, QString& error);

    // "restate-server 1.7.12 (...)" of the binary (found as findBinary() does when empty).
    static QString version(const QString& binary = {});

    // Where the server binary is looked for; empty when it is not installed.
    static QString findBinary(const QString& preferred = {});

private:
    Options m_options;
    std::unique_ptr<QTemporaryDir> m_baseDir;
    std::unique_ptr<QProcess> m_process;
    int m_adminPort = 0;
    int m_ingressPort = 0;
    int m_nodePort = 0;
};

// A port free on 127.0.0.1 right now (bound, read and released), below the kernel's ephemeral
// range and never the same twice in this process. A server stopped and started again on its
// port (an endpoint killed at a crash point, a restate-server restarted) finds it still free:
// an ephemeral port could meanwhile be the local end of any outgoing connection (a dozen lanes
// make thousands), and a port handed out twice would be two lanes' at once. 0 when none is
// found.
int freeLoopbackPort();

// POST a JSON body to a URL and wait; returns the body and sets the status (0 = no answer).
QByteArray postJson(const QString& url, const QByteArray& body, int& status, int timeoutMs,
    const QByteArray& accept = QByteArrayLiteral("application/json"));
// The same with another method (PATCH...) and extra headers.
QByteArray sendJson(const QByteArray& method, const QString& url, const QByteArray& body,
    int& status, int timeoutMs, const QByteArray& accept = QByteArrayLiteral("application/json"),
    const QList<QPair<QByteArray, QByteArray>>& headers = {});

} // namespace tt::engine
