// SPDX-License-Identifier: MIT
#include "imageexport.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace tt::gui {

bool saveWidgetImage(
    QWidget* widget, const QString& path, double scale, QString& error, const QRect& region)
{
    if (!widget || widget->width() <= 0 || widget->height() <= 0) {
        error = QStringLiteral("nothing to capture");
        return false;
    }
    // Layouts settle on posted events: apply them, so that the capture shows the final geometry.
    // A nested layout's change posts its parent's request while the first is handled: twice.
    for (int pass = 0; pass < 2; ++pass)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QRect area = region.isEmpty() ? widget->rect() : region.intersected(widget->rect());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(area.size());
        svg.setViewBox(QRect(QPoint(0, 0), area.size()));
        svg.setTitle(widget->accessibleName());
        svg.setDescription(QStringLiteral("TwinTrace"));
        QPainter painter(&svg);
        widget->render(&painter, QPoint(), QRegion(area));
    } else {
        QImage image(area.size() * scale, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        image.fill(widget->palette().window().color());
        QPainter painter(&image);
        painter.setRenderHint(QPainter::TextAntialiasing);
        widget->render(&painter, QPoint(), QRegion(area));
        painter.end();
        const QByteArray format = QFileInfo(path).suffix().toLower().toLatin1();
        if (!image.save(&file, format.isEmpty() ? "png" : format.constData())) {
            error = QStringLiteral("cannot encode %1 as %2").arg(path, QString::fromLatin1(format));
            file.cancelWriting();
            return false;
        }
    }
    if (!file.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace tt::gui
