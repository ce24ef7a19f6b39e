// SPDX-License-Identifier: MIT
// The debugging exercises' engine: balanced series, stored answers, per-view statistics, the
// entries read before the evidence on a recorded experiment, and the report section.
#include "engine/exercise/evidence.h"
#include "engine/exercise/series.h"
#include "engine/experiment/catalog.h"
#include "engine/report/resultsreport.h"

#include <QDirIterator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace tt::engine;

namespace {

// The recorded experiment (nominal, transient-llm-k3, crash-at-llm_call#2), copied: opening a
// results store may migrate it.
QString copyExperiment(const QTemporaryDir& temp)
{
    const QString from = QStringLiteral(TT_FIXTURES "/experiment-small");
    const QString to = temp.filePath(QStringLiteral("experiment"));
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile::copy(file, target);
    }
    return to;
}

// Five fault scenarios, each with a baseline and a restate run 1 and 2.
ExperimentResults syntheticResults()
{
    ExperimentResults results;
    QString error;
    const auto catalog = loadCatalog(defaultCatalogPath(), error);
    for (const Scenario& s : catalog->scenarios) {
        if (s.faultKind.isEmpty() || results.scenarios.size() == 5)
            continue;
        results.scenarios.push_back(s);
        for (const char* variant : { "baseline", "restate" })
            for (int n : { 1, 2 }) {
                RunRecord run;
                run.scenario = s.id;
                run.variant = QLatin1String(variant);
                run.runIndex = n;
                results.runs.push_back(run);
            }
    }
    return results;
}

} // namespace

class TestExercise : public QObject
{
    Q_OBJECT
private slots:
    void seriesIsBalancedAndAlternates_data()
    {
        QTest::addColumn<bool>("restateFirst");
        QTest::newRow("today first") << false;
        QTest::newRow("restate first") << true;
    }

    void seriesIsBalancedAndAlternates()
    {
        QFETCH(bool, restateFirst);
        const ExperimentResults results = syntheticResults();
        QCOMPARE(results.scenarios.size(), size_t(5));
        SeriesOptions options;
        options.seed = 7;
        options.restateFirst = restateFirst;
        QString error;
        const auto series = buildSeries(results, options, error);
        // Practice: a fifth scenario, left out of the count; 4 scenarios x 2 views counted.
        QCOMPARE(series.size(), size_t(9));
        QVERIFY(series[0].practice);
        QVERIFY(series[0].view == (restateFirst ? DebugView::Restate : DebugView::Today));
        std::map<QString, std::set<int>> views;
        std::map<QString, std::vector<int>> positions;
        for (size_t i = 1; i < series.size(); ++i) {
            const ExerciseItem& item = series[i];
            QCOMPARE(item.position, int(i));
            QVERIFY(!item.practice);
            QVERIFY(item.scenario != series[0].scenario);
            views[item.scenario].insert(int(item.view));
            positions[item.scenario].push_back(int(i));
            if (i > 1) // the views alternate throughout
                QVERIFY(item.view != series[i - 1].view);
            QVERIFY(!item.truthStep.isEmpty());
            QVERIFY(!item.truthKind.isEmpty());
            QVERIFY(item.runIndex == 1 || item.runIndex == 2);
        }
        QCOMPARE(views.size(), size_t(4));
        for (const auto& [scenario, seen] : views)
            QCOMPARE(seen.size(), size_t(2)); // once in each view
        // Mirror order: a scenario early in one half is late in the other.
        for (const auto& [scenario, at] : positions)
            QCOMPARE(at[0] + at[1], 1 + 8);
        // Seeded: the same seed gives the same series, another seed another order.
        const auto again = buildSeries(results, options, error);
        for (size_t i = 0; i < series.size(); ++i)
            QCOMPARE(again[i].scenario, series[i].scenario);
        options.seed = 8;
        const auto other = buildSeries(results, options, error);
        bool differs = false;
        for (size_t i = 0; i < series.size(); ++i)
            differs |= other[i].scenario != series[i].scenario;
        QVERIFY(differs);
    }

    void seriesNeedsFaultRunsOfBothVariants()
    {
        ExperimentResults results = syntheticResults();
        results.runs.erase(
            std::remove_if(results.runs.begin(), results.runs.end(),
                [](const RunRecord& r) { return r.variant == QLatin1String("restate"); }),
            results.runs.end());
        QString error;
        QVERIFY(buildSeries(results, {}, error).empty());
        QVERIFY(error.contains(QLatin1String("both")));
    }

    void answersAreStoredAndSummarized()
    {
        QTemporaryDir temp;
        ResultStore store;
        QString error;
        QVERIFY2(store.open(temp.path(), error), qPrintable(error));
        // Restate's view: 10 s and 20 s, both right; today's: 30 s right, 50 s wrong; practice 5 s.
        const struct
        {
            int position;
            bool practice;
            const char* view;
            double seconds;
            bool correct;
        } answers[] = { { 0, true, "today", 5, true }, { 1, false, "today", 30, true },
            { 2, false, "restate", 10, true }, { 3, false, "today", 50, false },
            { 4, false, "restate", 20, true } };
        for (const auto& a : answers) {
            ExerciseRecord r;
            r.series = QStringLiteral("s1");
            r.person = QStringLiteral("p1");
            r.position = a.position;
            r.practice = a.practice;
            r.view = QLatin1String(a.view);
            r.seconds = a.seconds;
            r.correct = a.correct;
            r.scenario = QStringLiteral("transient-llm-k3");
            QVERIFY2(store.addExercise(r, error), qPrintable(error));
        }
        const auto stored = store.exercises();
        QCOMPARE(stored.size(), size_t(5));
        const ExerciseSummary summary = summarizeExercises(stored);
        QCOMPARE(summary.today.answered, 2);
        QCOMPARE(summary.today.correct, 1);
        QCOMPARE(summary.restate.answered, 2);
        QCOMPARE(summary.restate.correct, 2);
        // Times to a right answer: today's wrong 50 s does not count.
        QCOMPARE(summary.today.medianSeconds->value, 30.0);
        QCOMPARE(summary.restate.medianSeconds->value, 15.0);
        QVERIFY(qAbs(*summary.speedup - 2.0) < 1e-9);
        QCOMPARE(summary.series, 1);
        QCOMPARE(summary.people, 1);
    }

    // Each answer is stored from its own thread (the exercise screen's): four connections that
    // create a store at once all get in (SQLite refuses the second switch to WAL at once, without
    // waiting its busy timeout), and four that open an older store all bring it up to date.
    void answersStoredFromSeveralThreadsAtOnce()
    {
        QTemporaryDir temp;
        constexpr int kStores = 40;
        constexpr int kThreads = 4;
        std::vector<QString> failures;
        std::mutex failed;
        // kThreads threads at once on the store in `dir`, each doing work(store, thread, error).
        const auto atOnce = [&](const QString& dir, auto work) {
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t)
                threads.emplace_back([&, t] {
                    ResultStore store;
                    QString error;
                    if (!store.open(dir, error) || !work(store, t, error)) {
                        std::lock_guard lock(failed);
                        failures.push_back(error);
                    }
                });
            for (auto& thread : threads)
                thread.join();
        };
        for (int n = 0; n < kStores; ++n)
            atOnce(
                temp.filePath(QString::number(n)), [](ResultStore& store, int t, QString& error) {
                    ExerciseRecord r;
                    r.series = QStringLiteral("s");
                    r.position = t;
                    return store.addExercise(r, error);
                });
        QVERIFY2(failures.empty(), qPrintable(failures.empty() ? QString() : failures.front()));
        // An older store, its runs table without today's columns: the four threads add them at
        // once, and none fails on a column another one just added.
        for (int n = 0; n < kStores; ++n) {
            const QString dir = temp.filePath(QStringLiteral("old-%1").arg(n));
            QVERIFY(QDir().mkpath(dir));
            {
                QSqlDatabase db
                    = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
                db.setDatabaseName(dir + QStringLiteral("/results.sqlite"));
                QVERIFY(db.open());
                QVERIFY(QSqlQuery(db).exec(QStringLiteral(
                    "CREATE TABLE runs (scenario TEXT, variant TEXT, run_index INTEGER, "
                    "PRIMARY KEY (scenario, variant, run_index))")));
                db.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("old"));
            atOnce(dir, [](ResultStore&, int, QString&) { return true; });
        }
        QVERIFY2(failures.empty(), qPrintable(failures.empty() ? QString() : failures.front()));
        for (int n = 0; n < kStores; ++n) {
            ResultStore store;
            QString error;
            QVERIFY(store.open(temp.filePath(QString::number(n)), error));
            QCOMPARE(store.exercises().size(), size_t(kThreads));
        }
    }

    void evidenceOnARecordedExperiment()
    {
        QTemporaryDir temp;
        const QString dir = copyExperiment(temp);
        QString error;
        const auto results = loadResults(dir, error, defaultCatalogPath());
        QVERIFY2(results, qPrintable(error));
        const auto evidence = measureEvidence(*results, importExperimentJournals(dir));
        // Two fault scenarios x two views.
        QCOMPARE(evidence.size(), size_t(4));
        for (const EvidenceDepth& e : evidence) {
            QVERIFY2(e.found, qPrintable(e.scenario + QLatin1Char(' ') + toString(e.view)));
            QVERIFY(e.rowsRead >= 1);
            QVERIFY(e.rowsRead <= e.rows);
        }
    }

    void fewRightAnswersGiveNoVerdict()
    {
        QTemporaryDir temp;
        const QString dir = copyExperiment(temp);
        ResultStore store;
        QString error;
        QVERIFY(store.open(dir, error));
        for (int position = 0; position < 2; ++position) {
            ExerciseRecord r;
            r.series = QStringLiteral("s1");
            r.position = position;
            r.view = position == 0 ? QStringLiteral("today") : QStringLiteral("restate");
            r.seconds = 10;
            r.correct = true;
            QVERIFY(store.addExercise(r, error));
        }
        const auto results = loadResults(dir, error, defaultCatalogPath());
        const Criterion& debugging = results->summary.goNoGo.back();
        QCOMPARE(debugging.verdict, QStringLiteral("not measured"));
        QCOMPARE(debugging.value, QStringLiteral("too few right answers yet"));
        QVERIFY(debugging.detail.contains(QLatin1String("3 right answers")));
    }

    void reportSectionAndCriterionFromARecordedSeries()
    {
        QTemporaryDir temp;
        const QString dir = copyExperiment(temp);
        {
            ResultStore store;
            QString error;
            QVERIFY(store.open(dir, error));
            const auto results = loadResults(dir, error, defaultCatalogPath());
            const auto series = buildSeries(*results, {}, error);
            // 2 scenarios x 2 views; no spare scenario, so no warm-up.
            QCOMPARE(series.size(), size_t(4));
            QVERIFY(!series[0].practice);
            // Two people's series: three right answers per view are needed for a verdict.
            for (const char* id : { "s1", "s2" })
                for (const ExerciseItem& item : series) {
                    ExerciseRecord r;
                    r.series = QLatin1String(id);
                    r.position = item.position;
                    r.practice = item.practice;
                    r.scenario = item.scenario;
                    r.view = toString(item.view);
                    r.variant = item.variant();
                    r.seconds = item.view == DebugView::Restate ? 12 : 30;
                    r.answerStep = r.truthStep = item.truthStep;
                    r.answerKind = r.truthKind = item.truthKind;
                    r.correct = true;
                    QVERIFY(store.addExercise(r, error));
                }
        }
        ResultsReportRequest request;
        request.dir = dir;
        request.catalogPath = defaultCatalogPath();
        request.adrDir = temp.filePath(QStringLiteral("adr"));
        QString error;
        const auto written = writeResultsReport(request, error);
        QVERIFY2(written, qPrintable(error));
        const Criterion* debugging = nullptr;
        for (const Criterion& c : written->summary.goNoGo)
            if (c.criterion == QLatin1String("debugging time"))
                debugging = &c;
        QVERIFY(debugging);
        QCOMPARE(debugging->verdict, QStringLiteral("GO"));
        QVERIFY(debugging->value.startsWith(QLatin1String("2.50x")));
        QFile report(written->path);
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(report.readAll());
        QVERIFY(text.contains(QLatin1String("## Debugging exercises")));
        QVERIFY(text.contains(
            QLatin1String("| Restate's view (journal, lifecycle, retries + traces) | 4 | 4 |")));
        QVERIFY(text.contains(QLatin1String("### Entries read before the evidence")));
    }
};

QTEST_GUILESS_MAIN(TestExercise)
#include "tst_exercise.moc"
