// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <string_view>

namespace tt::gui {

// The model's UTF-8 views as QString, without an intermediate std::string.
inline QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace tt::gui
