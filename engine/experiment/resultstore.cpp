// SPDX-License-Identifier: MIT
#include "resultstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <QVariant>

#include <iterator>

namespace tt::engine {

namespace {

// The runs table, one row per RunRecord field: the schema, the insert and the select all come
// from this list, so a field added here is stored, read back and added to older stores.
struct RunColumn
{
    const char* name;
    const char* type;
    QVariant (*get)(const RunRecord&);
    void (*set)(RunRecord&, const QVariant&);
};

#define TT_RUN_COLUMN(name, type, field, convert)                                                  \
    RunColumn                                                                                      \
    {                                                                                              \
        name, type, [](const RunRecord& r) { return QVariant(r.field); },                          \
            [](RunRecord& r, const QVariant& v) { r.field = v.convert(); }                         \
    }
#define TT_RUN_FLAG(name, field)                                                                   \
    RunColumn                                                                                      \
    {                                                                                              \
        name, "INTEGER", [](const RunRecord& r) { return QVariant(int(r.field)); },                \
            [](RunRecord& r, const QVariant& v) { r.field = v.toInt() != 0; }                      \
    }

const RunColumn kRunColumns[] = {
    TT_RUN_COLUMN("scenario", "TEXT NOT NULL", scenario, toString),
    TT_RUN_COLUMN("variant", "TEXT NOT NULL", variant, toString),
    TT_RUN_COLUMN("run_index", "INTEGER NOT NULL", runIndex, toInt),
    TT_RUN_COLUMN("seed", "INTEGER", seed, toLongLong),
    TT_RUN_COLUMN("outcome", "TEXT", outcome, toString),
    TT_RUN_FLAG("success", success),
    TT_RUN_COLUMN("wall_ms", "REAL", wallMs, toDouble),
    TT_RUN_COLUMN("llm_requests", "INTEGER", llmRequests, toInt),
    TT_RUN_COLUMN("llm_answered", "INTEGER", llmAnswered, toInt),
    TT_RUN_COLUMN("prompt_tokens", "INTEGER", promptTokens, toInt),
    TT_RUN_COLUMN("completion_tokens", "INTEGER", completionTokens, toInt),
    TT_RUN_COLUMN("client_retries", "INTEGER", clientRetries, toInt),
    TT_RUN_COLUMN("restate_retries", "INTEGER", restateRetries, toInt),
    TT_RUN_COLUMN("reports_written", "INTEGER", reportsWritten, toInt),
    TT_RUN_FLAG("crashed", crashed),
    TT_RUN_COLUMN("recover_ms", "REAL", recoverMs, toDouble),
    TT_RUN_COLUMN("journal_entries", "INTEGER", journalEntries, toInt),
    TT_RUN_COLUMN("engine_ms", "REAL", engineMs, toDouble),
    TT_RUN_COLUMN("message", "TEXT", message, toString),
    TT_RUN_COLUMN("run_dir", "TEXT", runDir, toString),
    TT_RUN_COLUMN("invocation_id", "TEXT", invocationId, toString),
    TT_RUN_COLUMN("finished_at", "TEXT", finishedAt, toString),
    // Added after the first stores were written: older rows read them as NULL.
    TT_RUN_COLUMN("writer_ms", "REAL DEFAULT -1", writerMs, toDouble),
    TT_RUN_COLUMN("durable_steps", "INTEGER DEFAULT 0", durableSteps, toInt),
    TT_RUN_COLUMN("attempts", "INTEGER DEFAULT 1", attempts, toInt),
    TT_RUN_COLUMN("llm_repeated", "INTEGER DEFAULT 0", llmRepeated, toInt),
    TT_RUN_COLUMN("tokens_repeated", "INTEGER DEFAULT 0", tokensRepeated, toInt),
    TT_RUN_COLUMN("earlier_reports", "INTEGER DEFAULT 0", earlierReports, toInt),
    TT_RUN_COLUMN("restate_outage_ms", "REAL DEFAULT -1", restateOutageMs, toDouble),
    TT_RUN_COLUMN("restate_down_at_ms", "REAL DEFAULT -1", restateDownAtMs, toDouble),
    TT_RUN_COLUMN("restate_up_at_ms", "REAL DEFAULT -1", restateUpAtMs, toDouble),
    TT_RUN_COLUMN("ingress_attempts", "INTEGER DEFAULT 0", ingressAttempts, toInt),
    TT_RUN_COLUMN("ingress_wait_ms", "REAL DEFAULT -1", ingressWaitMs, toDouble),
    TT_RUN_COLUMN("ingress_seen", "TEXT", ingressSeen, toString),
};

#undef TT_RUN_COLUMN
#undef TT_RUN_FLAG

QString runColumnNames()
{
    QStringList names;
    for (const RunColumn& column : kRunColumns)
        names << QLatin1String(column.name);
    return names.join(QStringLiteral(", "));
}

QString createRunsTable()
{
    QStringList columns;
    for (const RunColumn& column : kRunColumns)
        columns << QStringLiteral("%1 %2").arg(
            QLatin1String(column.name), QLatin1String(column.type));
    return QStringLiteral("CREATE TABLE IF NOT EXISTS runs (%1, PRIMARY KEY (scenario, variant, "
                          "run_index))")
        .arg(columns.join(QStringLiteral(", ")));
}

const char* const kSchema[] = {
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS exercises ("
    " series TEXT NOT NULL, position INTEGER NOT NULL, person TEXT, practice INTEGER,"
    " scenario TEXT, view TEXT, variant TEXT, run_index INTEGER, seconds REAL,"
    " answer_step TEXT, answer_kind TEXT, truth_step TEXT, truth_kind TEXT, correct INTEGER,"
    " notes TEXT, finished_at TEXT, PRIMARY KEY (series, position))",
};

} // namespace

ResultStore::ResultStore()
    : m_connection(
        QStringLiteral("tt-results-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{ }

ResultStore::~ResultStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
}

bool ResultStore::connect(const QString& name, const QString& options, QString& error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        error = QStringLiteral("Qt's SQLite driver is missing: install libqt6sql6-sqlite "
                               "(scripts/setup.sh does)");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(name);
    db.setConnectOptions(options);
    if (!db.open()) {
        error = QStringLiteral("%1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    return true;
}

bool ResultStore::openToRead(const QString& dir, QString& error)
{
    m_path = QDir(dir).filePath(QStringLiteral("results.sqlite"));
    // Without a writer (no WAL beside the file), the file is read as it is: SQLite's immutable
    // mode creates no -wal or -shm file. With one (an experiment running), read-only alongside
    // it; its side files exist already.
    const bool writerActive = QFileInfo::exists(m_path + QStringLiteral("-wal"))
        || QFileInfo::exists(m_path + QStringLiteral("-shm"));
    return writerActive ? connect(m_path, QStringLiteral("QSQLITE_OPEN_READONLY"), error)
                        : connect(QUrl::fromLocalFile(m_path).toString(QUrl::FullyEncoded)
                                + QStringLiteral("?immutable=1"),
                            QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"), error);
}

namespace {

// SQLite answers "database is locked" at once, without waiting its busy timeout, when two
// connections turn a store into WAL at the same moment (the exercise screen stores each answer
// from its own thread): such a statement is tried again for a few seconds. A statement that
// failed so had no effect (each runs in its own transaction). Without `statement`, the prepared
// one.
bool execPatiently(QSqlQuery& query, const QString& statement = {})
{
    QElapsedTimer clock;
    clock.start();
    while (statement.isEmpty() ? !query.exec() : !query.exec(statement)) {
        // Qt's driver gives SQLite's extended codes (SQLITE_BUSY_RECOVERY is 261): the low byte
        // is the primary one.
        bool number = false;
        const int code = query.lastError().nativeErrorCode().toInt(&number) & 0xff;
        const bool busy = number && (code == 5 || code == 6); // SQLITE_BUSY, SQLITE_LOCKED
        if (!busy || clock.elapsed() > 5000)
            return false;
        QThread::msleep(20);
    }
    return true;
}

} // namespace

bool ResultStore::open(const QString& dir, QString& error)
{
    if (!QDir().mkpath(dir)) {
        error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    m_path = QDir(dir).filePath(QStringLiteral("results.sqlite"));
    if (!connect(m_path, {}, error))
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    QStringList statements;
    for (const char* statement : kSchema)
        statements << QLatin1String(statement);
    statements << createRunsTable();
    for (const QString& statement : statements)
        if (!execPatiently(query, statement)) {
            error = QStringLiteral("%1: %2").arg(m_path, query.lastError().text());
            return false;
        }
    // Stores written before a column existed get it (with its default) instead of failing to
    // open. Another connection may add it first: then it is there.
    const auto columns = [&query](QStringList& present) {
        present.clear();
        if (!execPatiently(query, QStringLiteral("PRAGMA table_info(runs)")))
            return false;
        while (query.next())
            present << query.value(1).toString();
        return true;
    };
    QStringList present;
    if (!columns(present)) {
        error = QStringLiteral("%1: %2").arg(m_path, query.lastError().text());
        return false;
    }
    for (const RunColumn& column : kRunColumns) {
        if (present.contains(QLatin1String(column.name))
            || execPatiently(query,
                QStringLiteral("ALTER TABLE runs ADD COLUMN %1 %2")
                    .arg(QLatin1String(column.name), QLatin1String(column.type))))
            continue;
        error = QStringLiteral("%1: %2").arg(m_path, query.lastError().text());
        if (!columns(present) || !present.contains(QLatin1String(column.name)))
            return false;
        error.clear();
    }
    return true;
}

bool ResultStore::addExercise(const ExerciseRecord& r, QString& error)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO exercises (series, position, person, practice, scenario, view, "
        "variant, run_index, seconds, answer_step, answer_kind, truth_step, truth_kind, correct, "
        "notes, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant& value : { QVariant(r.series), QVariant(r.position), QVariant(r.person),
             QVariant(int(r.practice)), QVariant(r.scenario), QVariant(r.view), QVariant(r.variant),
             QVariant(r.runIndex), QVariant(r.seconds), QVariant(r.answerStep),
             QVariant(r.answerKind), QVariant(r.truthStep), QVariant(r.truthKind),
             QVariant(int(r.correct)), QVariant(r.notes), QVariant(r.finishedAt) })
        query.addBindValue(value);
    if (!execPatiently(query)) {
        error = QStringLiteral("%1: %2").arg(m_path, query.lastError().text());
        return false;
    }
    return true;
}

std::vector<ExerciseRecord> ResultStore::exercises() const
{
    std::vector<ExerciseRecord> out;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(QStringLiteral(
            "SELECT series, position, person, practice, scenario, view, variant, run_index, "
            "seconds, answer_step, answer_kind, truth_step, truth_kind, correct, notes, "
            "finished_at FROM exercises ORDER BY finished_at, series, position")))
        return out;
    while (query.next()) {
        ExerciseRecord r;
        int i = 0;
        r.series = query.value(i++).toString();
        r.position = query.value(i++).toInt();
        r.person = query.value(i++).toString();
        r.practice = query.value(i++).toInt() != 0;
        r.scenario = query.value(i++).toString();
        r.view = query.value(i++).toString();
        r.variant = query.value(i++).toString();
        r.runIndex = query.value(i++).toInt();
        r.seconds = query.value(i++).toDouble();
        r.answerStep = query.value(i++).toString();
        r.answerKind = query.value(i++).toString();
        r.truthStep = query.value(i++).toString();
        r.truthKind = query.value(i++).toString();
        r.correct = query.value(i++).toInt() != 0;
        r.notes = query.value(i++).toString();
        r.finishedAt = query.value(i++).toString();
        out.push_back(std::move(r));
    }
    return out;
}

bool ResultStore::isOpen() const
{
    return QSqlDatabase::database(m_connection, false).isOpen();
}

bool ResultStore::add(const RunRecord& r, QString& error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    const int count = int(std::size(kRunColumns));
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO runs (%1) VALUES (%2)")
                      .arg(runColumnNames(),
                          QStringList(count, QStringLiteral("?")).join(QStringLiteral(", "))));
    for (const RunColumn& column : kRunColumns)
        query.addBindValue(column.get(r));
    if (!query.exec()) {
        error = QStringLiteral("%1: %2").arg(m_path, query.lastError().text());
        return false;
    }
    return true;
}

std::vector<RunRecord> ResultStore::runs() const
{
    std::vector<RunRecord> out;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    // The columns this store has: one opened only to read keeps an older store's set.
    QStringList present;
    query.exec(QStringLiteral("PRAGMA table_info(runs)"));
    while (query.next())
        present << query.value(1).toString();
    std::vector<const RunColumn*> columns;
    QStringList names;
    for (const RunColumn& column : kRunColumns)
        if (present.contains(QLatin1String(column.name))) {
            columns.push_back(&column);
            names << QLatin1String(column.name);
        }
    if (columns.empty())
        return out;
    query.exec(
        QStringLiteral("SELECT %1 FROM runs ORDER BY rowid").arg(names.join(QStringLiteral(", "))));
    while (query.next()) {
        RunRecord r;
        for (size_t i = 0; i < columns.size(); ++i) {
            const QVariant value = query.value(int(i));
            if (!value.isNull())
                columns[i]->set(r, value);
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::set<RunRecord::Key> ResultStore::finished() const
{
    std::set<RunRecord::Key> keys;
    for (const RunRecord& r : runs())
        keys.insert(r.key());
    return keys;
}

void ResultStore::setMeta(const QString& key, const QString& value)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"));
    query.addBindValue(key);
    query.addBindValue(value);
    query.exec();
}

QString ResultStore::meta(const QString& key) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    query.addBindValue(key);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return {};
}

std::map<QString, QString> ResultStore::allMeta() const
{
    std::map<QString, QString> out;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(QStringLiteral("SELECT key, value FROM meta")))
        while (query.next())
            out[query.value(0).toString()] = query.value(1).toString();
    return out;
}

} // namespace tt::engine
