// SPDX-License-Identifier: MIT
// What the report did not write stays text: HTML, links, images, code, headings, lists and table
// borders from a catalog, a results store or an LLM come out inert; ids with control characters
// are refused when the catalog loads.
#include "engine/experiment/catalog.h"
#include "engine/report/markdowntext.h"

#include <QFile>
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

} // namespace
