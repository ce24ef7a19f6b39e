// SPDX-License-Identifier: MIT
// What the report did not write stays text: HTML, links, images, code, headings, lists and table
// borders from a catalog, a results store or an LLM come out inert; ids with control characters
// are refused when the catalog loads.
#include "engine/experiment/catalog.h"
#include "engine/report/markdowntext.h"
#include "engine/report/reportwriter.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace tt::engine;

namespace {

std::string text(const QString& in)
{
    return markdownText(in).toStdString();
}

TEST(MarkdownText, PlainWordsStayAsTheyAre)
{
    EXPECT_EQ(text(QStringLiteral("nominal run, 2 LLM calls (p95 1.2 s)")),
        "nominal run, 2 LLM calls (p95 1.2 s)");
    EXPECT_EQ(text(QStringLiteral("llm-timeout x3")), "llm-timeout x3");
}

TEST(MarkdownText, HtmlLinksImagesAndCodeAreEscaped)
{
    EXPECT_EQ(
        text(QStringLiteral("<img src=x onerror=alert(1)>")), "\\<img src=x onerror=alert(1)\\>");
    EXPECT_EQ(text(QStringLiteral("[x](javascript:alert(1))")), "\\[x\\](javascript:alert(1))");
    EXPECT_EQ(text(QStringLiteral("![i](http://e/x.png)")), "!\\[i\\](http://e/x.png)");
    EXPECT_EQ(text(QStringLiteral("`rm -rf` **GO** llm_call#2")),
        "\\`rm -rf\\` \\*\\*GO\\*\\* llm_call#2");
    EXPECT_EQ(text(QStringLiteral("a\\b")), "a\\\\b");
}

TEST(MarkdownText, TableBordersAndLineStartsAreEscaped)
{
    EXPECT_EQ(text(QStringLiteral("a | b")), "a \\| b");
    EXPECT_EQ(text(QStringLiteral("# Decision")), "\\# Decision");
    EXPECT_EQ(text(QStringLiteral("  - item")), "\\- item");
    EXPECT_EQ(text(QStringLiteral("> quote")), "\\> quote");
    EXPECT_EQ(text(QStringLiteral("1. first")), "1\\. first");
    EXPECT_EQ(text(QStringLiteral("2024) year")), "2024\\) year");
    EXPECT_EQ(text(QStringLiteral("=====")), "\\=====");
}

TEST(MarkdownText, LineBreaksAndControlCharactersBecomeSpaces)
{
    // A line break would end the table row and start a forged heading on the next line; on one
    // line, "#" is a character.
    EXPECT_EQ(text(QStringLiteral("ok\n# Decision\r\nGO")), "ok # Decision  GO");
    EXPECT_EQ(text(QStringLiteral("a\x1b[31mred\tb")), "a \\[31mred b");
    EXPECT_EQ(text(QString::fromUtf8("left\u202eright")), "left right"); // a bidi override
    EXPECT_EQ(markdownText(QStringLiteral("x")).count(QLatin1Char('\n')), 0);
}

TEST(IdProblem, ControlCharactersAreRefused)
{
    EXPECT_TRUE(idProblem(QStringLiteral("crash-inside-llm#2")).isEmpty());
    EXPECT_TRUE(idProblem(QStringLiteral("<b>html is text</b>")).isEmpty());
    EXPECT_EQ(
        idProblem(QStringLiteral("a\nb")).toStdString(), "control character U+000a at position 2");
    EXPECT_FALSE(idProblem(QString::fromUtf8("x\u202e")).isEmpty());
}

// A catalog with one scenario whose id is `id`.
QString writeCatalog(
    const QTemporaryDir& dir, const QByteArray& id, const QByteArray& description = "\"d\"")
{
    const QString path = dir.filePath(QStringLiteral("catalog.json"));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(R"({"scenarios":[{"id":)" + id + R"(,"llm":"nominal","description":)" + description
        + "}]}");
    return path;
}

// '|' that are table borders: not escaped.
qsizetype borders(const QString& line)
{
    return line.count(QRegularExpression(QStringLiteral(R"((?<!\\)\|)")));
}

TEST(Catalog, IdsWithControlCharactersAreRefusedAtLoad)
{
    QTemporaryDir dir;
    QString error;
    EXPECT_TRUE(loadCatalog(writeCatalog(dir, R"("<img src=x>")"), error)) << error.toStdString();
    EXPECT_FALSE(loadCatalog(writeCatalog(dir, R"("nominal\n# Decision")"), error));
    EXPECT_NE(error.indexOf(QLatin1String("scenarios[0].id: control character U+000a")), -1)
        << error.toStdString();
    EXPECT_FALSE(loadCatalog(writeCatalog(dir, R"("a\u001b[2J")"), error));
}

TEST(Report, CatalogAndStoreTextIsRenderedInert)
{
    // A catalog and a results store handed over by someone else: HTML, a javascript: link, a
    // forged heading on a line of its own, and table borders in every field they control.
    QTemporaryDir dir;
    QString error;
    const auto catalog = loadCatalog(writeCatalog(dir, R"("<img src=x onerror=alert(1)>")",
                                         R"("[click](javascript:alert(1))\n# Decision\nGO | x")"),
        error);
    ASSERT_TRUE(catalog) << error.toStdString();
    const QString id = catalog->scenarios.at(0).id;
    ReportInputs in;
    in.outDir = dir.filePath(QStringLiteral("out"));
    in.adrDir = dir.filePath(QStringLiteral("adr"));
    in.scenarios = catalog->scenarios;
    CellSummary cell;
    cell.scenario = id;
    cell.variant = QStringLiteral("baseline | <b>restate</b>");
    cell.runs = 1;
    in.summary.cells.push_back(cell);
    RunRecord failed;
    failed.scenario = id;
    failed.variant = QStringLiteral("baseline");
    failed.outcome = QStringLiteral("crashed\n# Decision\n**GO**");
    in.runs.push_back(failed);
    ExerciseRecord answer;
    answer.series = QStringLiteral("s1");
    answer.person = QStringLiteral("[me](javascript:alert(2))");
    answer.scenario = id;
    answer.view = QStringLiteral("today");
    answer.answerStep = QStringLiteral("`llm_call#2`");
    in.exercises.push_back(answer);
    in.exerciseSummary.today.answered = 1;
    in.method = QStringLiteral("<script>alert(3)</script>");
    // A pair image's divergence paragraph quotes traces: it goes under the image, inert.
    in.images.push_back({ QStringLiteral("images/pair-x.png"), QStringLiteral("A pair."),
        QStringLiteral("Both runs match until llm_call#2. There <b>x</b> failed.") });
    ASSERT_FALSE(writeReport(in, error).isEmpty()) << error.toStdString();
    QFile file(dir.filePath(QStringLiteral("out/RESTATE_POC_RESULTS.md")));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString md = QString::fromUtf8(file.readAll());

    for (const char* active :
        { R"((?<!\\)<(img|b|script))", R"((?<!\\)\]\(javascript:)", R"((?<!\\)`llm_call)" })
        EXPECT_FALSE(md.contains(QRegularExpression(QLatin1String(active)))) << active << "\n"
                                                                             << md.toStdString();
    EXPECT_TRUE(md.contains(QStringLiteral(
        "*A pair.*\n\nBoth runs match until llm_call#2. There \\<b\\>x\\</b\\> failed.")))
        << md.toStdString();
    const QStringList lines = md.split(QLatin1Char('\n'));
    // One title, and no heading or bold verdict line that the data wrote.
    EXPECT_EQ(lines.filter(QRegularExpression(QStringLiteral("^# "))).size(), 1);
    EXPECT_TRUE(lines.filter(QRegularExpression(QStringLiteral("^\\*\\*GO"))).isEmpty());
    // The scenario's heading and its table keep their shape: 12 columns, 13 borders.
    EXPECT_TRUE(md.contains(QStringLiteral("### \\<img src=x onerror=alert(1)\\>")));
    const QStringList rows = lines.filter(QLatin1String("| baseline \\|"));
    ASSERT_EQ(rows.size(), 1) << md.toStdString();
    EXPECT_EQ(borders(rows.at(0)), 13) << rows.at(0).toStdString();
    const QStringList exerciseRows = lines.filter(QLatin1String("javascript:alert(2)"));
    ASSERT_EQ(exerciseRows.size(), 1);
    EXPECT_EQ(borders(exerciseRows.at(0)), 9) << exerciseRows.at(0).toStdString();
}

} // namespace
