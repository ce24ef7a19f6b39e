// SPDX-License-Identifier: MIT
#include "markdowntext.h"

namespace tt::engine {

namespace {

// Characters that make HTML, links, images, code, bold text or table borders anywhere in a line.
// "_", "~" and "&" stay: they can only style text or spell a character, and ids (llm_call#2)
// read better without backslashes.
bool isMarkup(QChar c)
{
    static const QString markup = QStringLiteral("\\`*[]<>|");
    return markup.contains(c);
}

// Characters that start a block (heading, list, quote, thematic break, setext underline) at the
// start of a line.
bool startsABlock(QChar c)
{
    static const QString blocks = QStringLiteral("#-+=>*");
    return blocks.contains(c);
}

bool isControl(QChar c)
{
    return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
        || c == QChar::LineSeparator || c == QChar::ParagraphSeparator;
}

} // namespace

QString markdownText(const QString& text)
{
    QString flat;
    flat.reserve(text.size());
    for (const QChar c : text)
        flat += isControl(c) ? QLatin1Char(' ') : c;
    flat = flat.trimmed(); // leading spaces would make an indented code block
    QString out;
    out.reserve(flat.size() * 2);
    for (qsizetype i = 0; i < flat.size(); ++i) {
        const QChar c = flat.at(i);
        if (isMarkup(c) || (i == 0 && startsABlock(c)))
            out += QLatin1Char('\\');
        out += c;
    }
    // "1. " or "1) " at the start is an ordered list.
    qsizetype digits = 0;
    while (digits < out.size() && out.at(digits).isDigit())
        ++digits;
    if (digits > 0 && digits < out.size()
        && (out.at(digits) == QLatin1Char('.') || out.at(digits) == QLatin1Char(')')))
        out.insert(digits, QLatin1Char('\\'));
    return out;
}

QString idProblem(const QString& id)
{
    for (qsizetype i = 0; i < id.size(); ++i)
        if (isControl(id.at(i)))
            return QStringLiteral("control character U+%1 at position %2")
                .arg(id.at(i).unicode(), 4, 16, QLatin1Char('0'))
                .arg(i + 1);
    return {};
}

} // namespace tt::engine
