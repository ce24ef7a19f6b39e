// SPDX-License-Identifier: MIT
#include "resultstore.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace tt::engine {

namespace {

const char* const kSchema[] = {
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "CREATE TABLE IF NOT EXISTS runs ("
    " scenario TEXT NOT NULL, variant TEXT NOT NULL, run_index INTEGER NOT NULL,"
    " seed INTEGER, outcome TEXT, success INTEGER, wall_ms REAL, llm_requests INTEGER,"
    " llm_answered INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER,"
    " client_retries INTEGER, restate_retries INTEGER, reports_written INTEGER,"
    " crashed INTEGER, recover_ms REAL, journal_entries INTEGER, engine_ms REAL, message TEXT,"
    " run_dir TEXT,"
    " invocation_id TEXT, finished_at TEXT,"
    " PRIMARY KEY (scenario, variant, run_index))",
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

bool ResultStore::open(const QString& dir, QString& error)
{
    if (!QDir().mkpath(dir)) {
        error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        error = QStringLiteral("Qt's SQLite driver is missing: install libqt6sql6-sqlite "
                               "(scripts/setup.sh does)");
        return false;
    }
    m_path = QDir(dir).filePath(QStringLiteral("results.sqlite"));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        error = QStringLiteral("%1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    QSqlQuery query(db);
    for (const char* statement : kSchema)
        if (!query.exec(QLatin1String(statement))) {
            error = QStringLiteral("%1: %2").arg(m_path, query.lastError().text());
            return false;
        }
    // Stores written before a column existed get it (empty) instead of failing to open.
    bool hasEngineMs = false;
    query.exec(QStringLiteral("PRAGMA table_info(runs)"));
    while (query.next())
        hasEngineMs |= query.value(1).toString() == QLatin1String("engine_ms");
    if (!hasEngineMs)
        query.exec(QStringLiteral("ALTER TABLE runs ADD COLUMN engine_ms REAL"));
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
    if (!query.exec()) {
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
    query.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO runs (scenario, variant, run_index, seed, outcome, success, "
        "wall_ms, llm_requests, llm_answered, prompt_tokens, completion_tokens, client_retries, "
        "restate_retries, reports_written, crashed, recover_ms, journal_entries, engine_ms, "
        "message, "
        "run_dir, invocation_id, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant& value : { QVariant(r.scenario), QVariant(r.variant), QVariant(r.runIndex),
             QVariant(r.seed), QVariant(r.outcome), QVariant(int(r.success)), QVariant(r.wallMs),
             QVariant(r.llmRequests), QVariant(r.llmAnswered), QVariant(r.promptTokens),
             QVariant(r.completionTokens), QVariant(r.clientRetries), QVariant(r.restateRetries),
             QVariant(r.reportsWritten), QVariant(int(r.crashed)), QVariant(r.recoverMs),
             QVariant(r.journalEntries), QVariant(r.engineMs), QVariant(r.message),
             QVariant(r.runDir), QVariant(r.invocationId), QVariant(r.finishedAt) })
        query.addBindValue(value);
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
    query.exec(QStringLiteral(
        "SELECT scenario, variant, run_index, seed, outcome, success, wall_ms, llm_requests, "
        "llm_answered, prompt_tokens, completion_tokens, client_retries, restate_retries, "
        "reports_written, crashed, recover_ms, journal_entries, engine_ms, message, run_dir, "
        "invocation_id, "
        "finished_at FROM runs ORDER BY rowid"));
    while (query.next()) {
        RunRecord r;
        int i = 0;
        r.scenario = query.value(i++).toString();
        r.variant = query.value(i++).toString();
        r.runIndex = query.value(i++).toInt();
        r.seed = query.value(i++).toLongLong();
        r.outcome = query.value(i++).toString();
        r.success = query.value(i++).toInt() != 0;
        r.wallMs = query.value(i++).toDouble();
        r.llmRequests = query.value(i++).toInt();
        r.llmAnswered = query.value(i++).toInt();
        r.promptTokens = query.value(i++).toInt();
        r.completionTokens = query.value(i++).toInt();
        r.clientRetries = query.value(i++).toInt();
        r.restateRetries = query.value(i++).toInt();
        r.reportsWritten = query.value(i++).toInt();
        r.crashed = query.value(i++).toInt() != 0;
        r.recoverMs = query.value(i++).toDouble();
        r.journalEntries = query.value(i++).toInt();
        r.engineMs = query.value(i++).toDouble();
        r.message = query.value(i++).toString();
        r.runDir = query.value(i++).toString();
        r.invocationId = query.value(i++).toString();
        r.finishedAt = query.value(i++).toString();
        out.push_back(r);
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

} // namespace tt::engine
