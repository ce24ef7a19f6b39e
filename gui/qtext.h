// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QVariant>

#include <string_view>

namespace tt::gui {

// The model's UTF-8 views as QString, without an intermediate std::string.
inline QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// "1 trace", "2 traces": a count with its noun in the right number (English; the window has no
// translations, where Qt's "%n item(s)" would stay "1 item(s)").
inline QString counted(qint64 count, const QString& one, const QString& many)
{
    return QString::number(count) + QLatin1Char(' ') + (count == 1 ? one : many);
}

// A model's horizontal header: the titles of its columns, for Qt::DisplayRole only.
inline QVariant columnTitle(
    const QStringList& titles, int section, Qt::Orientation orientation, int role)
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= titles.size())
        return {};
    return titles.at(section);
}

} // namespace tt::gui
