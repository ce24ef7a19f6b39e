// SPDX-License-Identifier: MIT
// The Writer's file tool stays in its temp folder against what a hostile model answer or a busy
// machine does to it: paths that leave the folder, the folder removed, a folder swapped for a
// symlink while it reads, a FIFO, a huge file. Every case runs through both resolutions.
#include "agents/writer/filetools.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

using tt::writer::FileRoot;

namespace {

// <dir>/root holds the notes, <dir>/outside what the tool must never return.
class FileToolTest : public ::testing::TestWithParam<FileRoot::Resolution>
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        QDir(m_dir.path()).mkpath(QStringLiteral("root/sub"));
        QDir(m_dir.path()).mkpath(QStringLiteral("outside/sub"));
        write("root/notes.md", "inside notes\n");
        write("root/sub/notes.md", "inside sub notes\n");
        write("outside/secret.txt", "OUTSIDE SECRET\n");
        write("outside/sub/notes.md", "OUTSIDE SECRET\n");
    }

    void write(const char* name, const QByteArray& text)
    {
        QFile file(path(name));
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(text);
    }

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    QString root() const { return path("root"); }

    QStringList read(const QStringList& paths) const
    {
        return FileRoot(root(), GetParam())
            .readMultipleFiles(paths)
            .split(QStringLiteral("\n---\n"));
    }

    QTemporaryDir m_dir;
};

bool leaks(const QString& part)
{
    return part.contains(QLatin1String("OUTSIDE SECRET"));
}

bool deniedOutside(const QString& part)
{
    return part.contains(QLatin1String("Error - Access denied - path outside allowed directories"));
}

TEST_P(FileToolTest, ReadsFilesInsideByRelativeAndAbsolutePath)
{
    const QStringList parts
        = read({ QStringLiteral("notes.md"), path("root/sub/notes.md"), QStringLiteral("x.md") });
    ASSERT_EQ(parts.size(), 3);
    EXPECT_EQ(parts[0], QStringLiteral("notes.md:\ninside notes\n"));
    EXPECT_EQ(parts[1], path("root/sub/notes.md") + QStringLiteral(":\ninside sub notes\n"));
    EXPECT_TRUE(parts[2].contains(QLatin1String("ENOENT"))) << parts[2].toStdString();
}

TEST_P(FileToolTest, RefusesEveryWayOut)
{
    QFile::link(path("outside/secret.txt"), path("root/link.txt"));
    QFile::link(path("outside"), path("root/linkdir"));
    const QStringList tries = { path("outside/secret.txt"), QStringLiteral("../outside/secret.txt"),
        QStringLiteral("link.txt"), QStringLiteral("linkdir/secret.txt"),
        QStringLiteral("/proc/self/root") + path("outside/secret.txt"),
        QStringLiteral("notes.md") + QChar(0) + QStringLiteral("/../../outside/secret.txt"),
        QStringLiteral("sub/../../outside/secret.txt") };
    const QStringList parts = read(tries);
    ASSERT_EQ(parts.size(), tries.size());
    for (const QString& part : parts) {
        EXPECT_TRUE(deniedOutside(part)) << part.toStdString();
        EXPECT_FALSE(leaks(part));
    }
}

TEST_P(FileToolTest, SameAnswerOutsideWhateverExistsOnTheWay)
{
    // "../outside" exists, "../nowhere" does not: the answers must not tell them apart.
    const QStringList parts = read({ QStringLiteral("../outside/../root/notes.md"),
        QStringLiteral("../nowhere/../root/notes.md") });
    ASSERT_EQ(parts.size(), 2);
    EXPECT_TRUE(deniedOutside(parts[0])) << parts[0].toStdString();
    EXPECT_EQ(QString(parts[0])
                  .replace(QLatin1String("../outside/"), QLatin1String("../nowhere/"))
                  .toStdString(),
        parts[1].toStdString());
}

TEST_P(FileToolTest, RootRemovedAfterOpeningFailsClosed)
{
    const FileRoot files(root(), GetParam());
    ASSERT_TRUE(QDir(root()).removeRecursively());
    const QStringList parts = files
                                  .readMultipleFiles({ QStringLiteral("/etc/hostname"),
                                      path("outside/secret.txt"), QStringLiteral("notes.md") })
                                  .split(QStringLiteral("\n---\n"));
    ASSERT_EQ(parts.size(), 3);
    for (const QString& part : parts) {
        EXPECT_TRUE(part.contains(QLatin1String(": Error - Access denied"))) << part.toStdString();
        EXPECT_FALSE(leaks(part));
    }
}

TEST_P(FileToolTest, MissingRootFailsClosed)
{
    ASSERT_TRUE(QDir(root()).removeRecursively());
    const QStringList parts = read({ QStringLiteral("/etc/hostname"), path("outside/secret.txt") });
    ASSERT_EQ(parts.size(), 2);
    for (const QString& part : parts) {
        EXPECT_TRUE(part.contains(QLatin1String(": Error - Access denied"))) << part.toStdString();
        EXPECT_FALSE(leaks(part));
    }
}

TEST_P(FileToolTest, FolderSwappedForASymlinkNeverLeaks)
{
    // root/sub and root/alt change places atomically, over and over: one is a folder with inside
    // notes, the other a symlink to a folder outside with the same file name.
    ASSERT_TRUE(QFile::link(path("outside/sub"), path("root/alt")));
    std::atomic<bool> done { false };
    std::thread swapper([&] {
        const QByteArray sub = QFile::encodeName(path("root/sub"));
        const QByteArray alt = QFile::encodeName(path("root/alt"));
        while (!done)
            ::renameat2(AT_FDCWD, sub.constData(), AT_FDCWD, alt.constData(), RENAME_EXCHANGE);
    });
    const FileRoot files(root(), GetParam());
    int leaked = 0;
    int inside = 0;
    for (int i = 0; i < 3000; ++i) {
        const QString part = files.readMultipleFiles({ QStringLiteral("sub/notes.md") });
        leaked += leaks(part);
        inside += part.contains(QLatin1String("inside sub notes"));
    }
    done = true;
    swapper.join();
    EXPECT_EQ(leaked, 0);
    EXPECT_GT(inside, 0); // the race was run, not refused outright
}

TEST_P(FileToolTest, FifoIsRefusedWithoutWaiting)
{
    const QByteArray fifo = QFile::encodeName(path("root/pipe.md"));
    ASSERT_EQ(::mkfifo(fifo.constData(), 0600), 0);
    auto reading
        = std::async(std::launch::async, [&] { return read({ QStringLiteral("pipe.md") }); });
    if (reading.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        // Unblock the reader so the test can end, then fail.
        const int writer = ::open(fifo.constData(), O_WRONLY | O_NONBLOCK);
        if (writer >= 0)
            ::close(writer);
        reading.wait();
        FAIL() << "reading a FIFO blocked";
    }
    const QString part = reading.get().value(0);
    EXPECT_TRUE(part.contains(QLatin1String("pipe.md: Error - not a regular file")))
        << part.toStdString();
}

TEST_P(FileToolTest, FileOverTheLimitIsRefused)
{
    QFile big(path("root/big.md"));
    ASSERT_TRUE(big.open(QIODevice::WriteOnly));
    ASSERT_TRUE(big.resize(FileRoot::maxFileBytes + 1)); // sparse: costs no disk
    big.close();
    const QString part = read({ QStringLiteral("big.md") }).value(0);
    EXPECT_TRUE(part.startsWith(QLatin1String("big.md: Error - file larger than")))
        << part.left(200).toStdString();
}

INSTANTIATE_TEST_SUITE_P(Resolutions, FileToolTest,
    ::testing::Values(FileRoot::Resolution::Kernel, FileRoot::Resolution::PerComponent),
    [](const auto& info) {
        return info.param == FileRoot::Resolution::Kernel ? "Kernel" : "PerComponent";
    });

} // namespace
