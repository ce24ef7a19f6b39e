// SPDX-License-Identifier: MIT
#include "redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace tt::gui {

bool isSecretKey(const QString& key)
{
    static const QRegularExpression pattern(
        QStringLiteral("(api[_-]?key|authorization|x-api-key|token|secret|password|passwd|cookie)"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(key).hasMatch()
        && !key.contains(QLatin1String("tokens"), Qt::CaseInsensitive);
}

bool isContentKey(const QString& key)
{
    static const QStringList keys = { QStringLiteral("content"), QStringLiteral("prompt"),
        QStringLiteral("input"), QStringLiteral("inputs"), QStringLiteral("output"),
        QStringLiteral("outputs"), QStringLiteral("messages"), QStringLiteral("research_info"),
        QStringLiteral("text"), QStringLiteral("report"), QStringLiteral("markdown_report"),
        QStringLiteral("completion"), QStringLiteral("arguments"), QStringLiteral("result"),
        QStringLiteral("instructions"), QStringLiteral("value"), QStringLiteral("payload") };
    return keys.contains(key, Qt::CaseInsensitive);
}

QString maskedText(const QString& text)
{
    return QStringLiteral("▇▇▇ redacted (%1 chars)").arg(text.size());
}

namespace {

QJsonValue maskAll(const QJsonValue& value)
{
    if (value.isString())
        return maskedText(value.toString());
    if (value.isObject() || value.isArray()) {
        const QByteArray compact = value.isObject()
            ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
            : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
        return maskedText(QString::fromUtf8(compact));
    }
    return value; // numbers and booleans say nothing private
}

} // namespace

QString redactText(const QString& text, Redact mode)
{
    if (mode == Redact::SecretsAndContent)
        return maskedText(text);
    static const QRegularExpression token(
        QStringLiteral("(sk-[A-Za-z0-9_-]{8,}|lsv2_[A-Za-z0-9_]{8,}|ls__[A-Za-z0-9_]{8,}|"
                       "[Bb]earer\\s+[A-Za-z0-9._~+/=-]{8,})"));
    QString out = text;
    out.replace(token, QStringLiteral("▇▇▇ (key)"));
    return out;
}

QJsonValue redactJson(const QJsonValue& value, Redact mode)
{
    if (value.isString())
        return QJsonValue(redactText(value.toString(), Redact::SecretsOnly));
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (isSecretKey(it.key())
                || (mode == Redact::SecretsAndContent && isContentKey(it.key())))
                it.value() = maskAll(it.value());
            else
                it.value() = redactJson(it.value(), mode);
        }
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (auto it = array.begin(); it != array.end(); ++it)
            *it = redactJson(*it, mode);
        return array;
    }
    return value;
}

QJsonValue hideWords(const QJsonValue& value, const QStringList& words)
{
    const auto hide = [&words](QString text) {
        for (const QString& word : words)
            if (!word.isEmpty())
                text.replace(word, QStringLiteral("▇▇"), Qt::CaseInsensitive);
        return text;
    };
    if (value.isString())
        return hide(value.toString());
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            out[hide(it.key())] = hideWords(it.value(), words);
        return out;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue& item : value.toArray())
            out.append(hideWords(item, words));
        return out;
    }
    return value;
}

} // namespace tt::gui
