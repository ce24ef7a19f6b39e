// SPDX-License-Identifier: MIT
#pragma once

#include <QRect>
#include <QString>

class QWidget;

namespace tt::gui {

// Saves what a widget shows: SVG (vector, through QSvgGenerator) when the file ends in .svg,
// else a raster image at `scale` times its size (2 for HiDPI), written atomically.
// `region` (widget coordinates) limits the capture; empty takes the whole widget.
bool saveWidgetImage(
    QWidget* widget, const QString& path, double scale, QString& error, const QRect& region = {});

} // namespace tt::gui
