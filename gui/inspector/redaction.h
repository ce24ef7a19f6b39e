// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace tt::gui {

// Secrets (API keys, authorization headers, tokens, passwords) are always masked; with
// `content` also on, so are prompts, model outputs, tool inputs and outputs, so that a screenshot
// can be shared without the research notes it was made from.
enum class Redact
{
    SecretsOnly,
    SecretsAndContent,
};

QJsonValue redactJson(const QJsonValue& value, Redact mode);
// Text that is not JSON (log lines, cut payloads): key-like tokens (sk-…, lsv2_…, Bearer …)
// are always masked; with content on, the whole text is.
QString redactText(const QString& text, Redact mode);
// A masked stand-in that still says how long the hidden text was.
QString maskedText(const QString& text);
// Every occurrence of the words (case-insensitive) in every string and key replaced by "▇▇".
QJsonValue hideWords(const QJsonValue& value, const QStringList& words);
bool isSecretKey(const QString& key);
bool isContentKey(const QString& key);

} // namespace tt::gui
