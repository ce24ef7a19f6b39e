// SPDX-License-Identifier: MIT
#include "filetools.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tt::writer {

namespace {

constexpr int fileFlags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

// One answer for every path that leaves the root, so the answer says nothing about what exists
// outside it.
QString outsideRoot(const QString& path, const QString& root)
{
    return QStringLiteral(
        "%1: Error - Access denied - path outside allowed directories: %1 not in %2")
        .arg(path, root);
}

class Descriptor
{
public:
    explicit Descriptor(int fd = -1)
        : m_fd(fd)
    { }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return m_fd; }
    void reset(int fd)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd;
};

} // namespace

FileRoot::FileRoot(const QString& root, Resolution resolution)
    : m_root(root)
    , m_resolution(resolution)
{
    m_fd = ::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    m_openError = m_fd < 0 ? errno : 0;
    m_absoluteRoots << QDir::cleanPath(QFileInfo(root).absoluteFilePath());
    const QString canonical = QFileInfo(root).canonicalFilePath();
    if (!canonical.isEmpty() && !m_absoluteRoots.contains(canonical))
        m_absoluteRoots << canonical;
}

FileRoot::~FileRoot()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QString FileRoot::readMultipleFiles(const QStringList& paths) const
{
    QStringList parts;
    for (const QString& path : paths)
        parts << readOne(path);
    return parts.join(QStringLiteral("\n---\n"));
}

QString FileRoot::relativePath(const QString& path) const
{
    if (path.isEmpty() || path.contains(QChar(0)))
        return {};
    QString cleaned = QDir::cleanPath(path); // lexical: "a/../../x" is "../x"
    if (QDir::isAbsolutePath(cleaned)) {
        const auto root
            = std::find_if(m_absoluteRoots.begin(), m_absoluteRoots.end(), [&](const QString& r) {
                  return cleaned == r || cleaned.startsWith(r + QLatin1Char('/'));
              });
        if (root == m_absoluteRoots.end())
            return {};
        cleaned = cleaned == *root ? QStringLiteral(".") : cleaned.mid(root->size() + 1);
    }
    if (cleaned == QLatin1String("..") || cleaned.startsWith(QLatin1String("../")))
        return {};
    return cleaned;
}

int FileRoot::openBeneath(const QByteArray& relative) const
{
#ifdef SYS_openat2
    open_how how {};
    how.flags = fileFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    long fd;
    do
        fd = ::syscall(SYS_openat2, m_fd, relative.constData(), &how, sizeof how);
    while (fd < 0 && errno == EINTR);
    return fd < 0 ? -errno : int(fd);
#else
    Q_UNUSED(relative);
    return -ENOSYS;
#endif
}

int FileRoot::openPerComponent(const QByteArray& relative) const
{
    const QList<QByteArray> names = relative.split('/');
    Descriptor folder;
    int at = m_fd;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const bool last = i == names.size() - 1;
        const int fd = ::openat(at, names[i].constData(),
            (last ? fileFlags : O_RDONLY | O_DIRECTORY | O_CLOEXEC) | O_NOFOLLOW);
        if (fd < 0) {
            int error = errno;
            struct stat link;
            if ((error == ELOOP || error == ENOTDIR)
                && ::fstatat(at, names[i].constData(), &link, AT_SYMLINK_NOFOLLOW) == 0
                && S_ISLNK(link.st_mode))
                error = EXDEV; // a symlink: where it points is not ours to follow
            return -error;
        }
        if (last)
            return fd;
        folder.reset(fd);
        at = fd;
    }
    return -ENOENT;
}

QString FileRoot::readOne(const QString& path) const
{
    struct stat info;
    if (m_fd < 0)
        return QStringLiteral("%1: Error - Access denied - the allowed directory %2 cannot be "
                              "opened: %3")
            .arg(path, m_root, QString::fromLocal8Bit(std::strerror(m_openError)));
    if (::fstat(m_fd, &info) != 0 || info.st_nlink == 0)
        return QStringLiteral("%1: Error - Access denied - the allowed directory %2 was removed")
            .arg(path, m_root);
    const QString relative = relativePath(path);
    if (relative.isEmpty())
        return outsideRoot(path, m_root);
    const QByteArray name = QFile::encodeName(relative);
    int fd = m_resolution == Resolution::Kernel ? openBeneath(name) : -ENOSYS;
    if (fd == -ENOSYS)
        fd = openPerComponent(name);
    if (fd == -EXDEV || fd == -ELOOP)
        return outsideRoot(path, m_root);
    if (fd == -ENOENT)
        return QStringLiteral("%1: Error - ENOENT: no such file or directory, open '%1'").arg(path);
    if (fd < 0)
        return QStringLiteral("%1: Error - %2")
            .arg(path, QString::fromLocal8Bit(std::strerror(-fd)));
    const Descriptor file(fd);
    if (::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode))
        return QStringLiteral("%1: Error - not a regular file").arg(path);
    QByteArray content;
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return QStringLiteral("%1: Error - %2")
                .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        if (got == 0)
            break;
        if (content.size() + got > maxFileBytes)
            return QStringLiteral("%1: Error - file larger than %2 bytes")
                .arg(path)
                .arg(maxFileBytes);
        content.append(buffer, got);
    }
    return path + QStringLiteral(":\n") + QString::fromUtf8(content);
}

QString readMultipleFiles(const QString& root, const QStringList& paths)
{
    return FileRoot(root).readMultipleFiles(paths);
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
