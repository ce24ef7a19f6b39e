// SPDX-License-Identifier: MIT
#include "filetools.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace tt::writer {

namespace {

// Inside root after resolving links and "..": the check the MCP server makes before any read.
bool insideRoot(const QString& canonicalRoot, const QString& canonicalPath)
{
    return !canonicalPath.isEmpty() && canonicalPath.startsWith(canonicalRoot + QLatin1Char('/'));
}

} // namespace

QString readMultipleFiles(const QString& root, const QStringList& paths)
{
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    QStringList parts;
    for (const QString& path : paths) {
        const QString absolute = QDir::isAbsolutePath(path) ? path : QDir(root).filePath(path);
        const QFileInfo info(absolute);
        QString part;
        if (!info.exists()) {
            // A missing file must not reveal whether it exists outside the root: only a path
            // whose folder lies in the root gets "no such file".
            const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
            part = folder == canonicalRoot || insideRoot(canonicalRoot, folder)
                ? QStringLiteral("%1: Error - ENOENT: no such file or directory, open '%1'")
                      .arg(path)
                : QStringLiteral(
                    "%1: Error - Access denied - path outside allowed directories: %1 not in %2")
                      .arg(path, root);
        } else if (!insideRoot(canonicalRoot, info.canonicalFilePath())) {
            part = QStringLiteral(
                "%1: Error - Access denied - path outside allowed directories: %1 not in %2")
                       .arg(path, root);
        } else {
            QFile file(info.canonicalFilePath());
            if (!file.open(QIODevice::ReadOnly))
                part = QStringLiteral("%1: Error - %2").arg(path, file.errorString());
            else
                part = path + QStringLiteral(":\n") + QString::fromUtf8(file.readAll());
        }
        parts << part;
    }
    return parts.join(QStringLiteral("\n---\n"));
}

QString topicSlug(const QString& query)
{
    QString slug;
    bool gap = false;
    for (const QChar c : query.toLower()) {
        if (c.isLetterOrNumber() && c.unicode() < 128) {
            if (gap && !slug.isEmpty())
                slug += QLatin1Char('_');
            slug += c;
            gap = false;
        } else {
            gap = true;
        }
        if (slug.size() >= 50)
            break;
    }
    return slug.isEmpty() ? QStringLiteral("report") : slug;
}

QString findSavedReport(const QString& outputDir, const QString& topic, const QString& markdown)
{
    const QByteArray wanted = markdown.toUtf8();
    const QDir dir(outputDir);
    const QStringList candidates = dir.entryList(
        { topicSlug(topic) + QStringLiteral("_final_report_*.md") }, QDir::Files, QDir::Name);
    for (const QString& name : candidates) {
        QFile file(dir.filePath(name));
        if (file.size() == wanted.size() && file.open(QIODevice::ReadOnly)
            && file.readAll() == wanted)
            return file.fileName();
    }
    return {};
}

QString saveReport(
    const QString& outputDir, const QString& topic, const QString& markdown, QString& error)
{
    if (!QDir().mkpath(outputDir)) {
        error = QStringLiteral("cannot create the output folder %1").arg(outputDir);
        return {};
    }
    const QString name
        = QStringLiteral("%1_final_report_%2.md")
              .arg(topicSlug(topic),
                  QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd_HHmmss")));
    const QString path = QDir(outputDir).filePath(name);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(markdown.toUtf8()) < 0 || !file.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return {};
    }
    return path;
}

} // namespace tt::writer
