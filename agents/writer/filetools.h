// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace tt::writer {

// The run's temp folder as the file tool sees it: a directory descriptor opened once, every read
// resolved beneath it by the kernel, so nothing can move the check away from the open (a folder
// swapped for a symlink, the folder deleted). It fails closed: without its folder, every path is
// an error.
class FileRoot
{
public:
    // Kernel: openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), symlinks that stay inside followed;
    // where the kernel lacks openat2 (before Linux 5.6), PerComponent. PerComponent: one
    // openat(O_NOFOLLOW) per path component, so every symlink is refused.
    enum class Resolution
    {
        Kernel,
        PerComponent
    };
    static constexpr qint64 maxFileBytes = 8 * 1024 * 1024;

    explicit FileRoot(const QString& root, Resolution resolution = Resolution::Kernel);
    ~FileRoot();
    FileRoot(const FileRoot&) = delete;
    FileRoot& operator=(const FileRoot&) = delete;

    // read_multiple_files as the MCP filesystem server answers it: "path:\ncontent" per file,
    // "path: Error - reason" for a file it refuses or cannot read, joined by "\n---\n". Relative
    // paths are taken from the root, absolute ones must name a place in it. Every path that
    // leaves the root gets the same answer, whatever exists on the way. Only regular files of at
    // most maxFileBytes are read, opened without blocking (a FIFO is refused, not waited on).
    QString readMultipleFiles(const QStringList& paths) const;

private:
    QString readOne(const QString& path) const;
    // The path below the root ("a/b.txt"), or empty when it leaves the root.
    QString relativePath(const QString& path) const;
    int openBeneath(const QByteArray& relative) const; // a descriptor, or -errno
    int openPerComponent(const QByteArray& relative) const;

    QString m_root; // as given, for the messages
    QStringList m_absoluteRoots; // the spellings an absolute path inside may start with
    int m_fd = -1;
    int m_openError = 0;
    Resolution m_resolution;
};

// One read through a FileRoot opened for it.
QString readMultipleFiles(const QString& root, const QStringList& paths);

// Writes the report as <topic>_final_report_<YYYYmmdd_HHMMSS>.md in outputDir (created if
// needed), through a temporary file renamed into place so a crash never leaves half a report.
// Returns the path, or an empty string and a reason.
QString saveReport(
    const QString& outputDir, const QString& topic, const QString& markdown, QString& error);

// The report already saved in outputDir for this topic with exactly this content, or "". Lets a
// durable save_report that is run again after a crash keep the report it wrote.
QString findSavedReport(const QString& outputDir, const QString& topic, const QString& markdown);

// The topic part of the file name: lower case, letters and digits, '_' between words.
QString topicSlug(const QString& query);

} // namespace tt::writer
