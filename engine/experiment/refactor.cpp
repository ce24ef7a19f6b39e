// SPDX-License-Identifier: MIT
#include "refactor.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStringList>

#include <algorithm>
#include <map>
#include <vector>

namespace tt::engine {

namespace {

// Relative path -> its code lines.
using Sources = std::map<QString, std::vector<QString>>;

const QStringList kSourceSuffixes = { QStringLiteral("py"), QStringLiteral("ts"),
    QStringLiteral("js"), QStringLiteral("mjs"), QStringLiteral("cjs"), QStringLiteral("cpp"),
    QStringLiteral("cc"), QStringLiteral("h"), QStringLiteral("hpp"), QStringLiteral("go"),
    QStringLiteral("rs"), QStringLiteral("java"), QStringLiteral("kt") };

bool isSource(const QString& path)
{
    return kSourceSuffixes.contains(QFileInfo(path).suffix());
}

bool skipped(const QString& relative)
{
    for (const char* folder : { "node_modules/", ".git/", "__pycache__/", ".venv/", "venv/",
             "site-packages/", ".tox/", "dist/", "build/" })
        if (relative.startsWith(QLatin1String(folder))
            || relative.contains(QLatin1Char('/') + QLatin1String(folder)))
            return true;
    return false;
}

// Code lines: not blank, not a comment line (//, #, /* ... */, Python's docstring lines are
// kept: they are code to a reader).
std::vector<QString> codeLines(const QString& path, const QString& text)
{
    std::vector<QString> lines;
    const bool hashComments = path.endsWith(QLatin1String(".py"));
    bool inBlock = false;
    for (const QString& raw : text.split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (inBlock) {
            inBlock = !line.contains(QLatin1String("*/"));
            continue;
        }
        if (line.isEmpty() || line.startsWith(QLatin1String("//"))
            || (hashComments && line.startsWith(QLatin1Char('#'))))
            continue;
        if (line.startsWith(QLatin1String("/*"))) {
            inBlock = !line.contains(QLatin1String("*/"));
            continue;
        }
        lines.push_back(line);
    }
    return lines;
}

// Lines of `after` that a line diff (longest common subsequence) does not find in `before`.
int addedLines(const std::vector<QString>& before, const std::vector<QString>& after)
{
    std::vector<int> previous(after.size() + 1, 0), current(after.size() + 1, 0);
    for (size_t i = 1; i <= before.size(); ++i) {
        for (size_t j = 1; j <= after.size(); ++j)
            current[j] = before[i - 1] == after[j - 1] ? previous[j - 1] + 1
                                                       : std::max(previous[j], current[j - 1]);
        std::swap(previous, current);
    }
    return int(after.size()) - previous[after.size()];
}

std::optional<QString> readText(const QString& path, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = path + QStringLiteral(": ") + file.errorString();
        return std::nullopt;
    }
    return QString::fromUtf8(file.readAll());
}

// One side given as files joined by '+' or as one folder.
std::optional<Sources> readSide(const QString& side, QString& error)
{
    Sources sources;
    const QStringList parts = side.split(QLatin1Char('+'), Qt::SkipEmptyParts);
    if (parts.isEmpty()) {
        error = QStringLiteral("an empty side");
        return std::nullopt;
    }
    if (parts.size() == 1 && QFileInfo(parts.first()).isDir()) {
        const QDir root(parts.first());
        QDirIterator it(root.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString relative = root.relativeFilePath(path);
            if (!isSource(path) || skipped(relative))
                continue;
            const auto text = readText(path, error);
            if (!text)
                return std::nullopt;
            sources[relative] = codeLines(path, *text);
        }
        if (sources.empty()) {
            error = QStringLiteral("%1 holds no source file").arg(parts.first());
            return std::nullopt;
        }
        return sources;
    }
    // Files joined by '+' are one text, as if the Writer were one file.
    std::vector<QString>& lines = sources[QFileInfo(parts.first()).fileName()];
    for (const QString& path : parts) {
        const auto text = readText(path, error);
        if (!text)
            return std::nullopt;
        const std::vector<QString> more = codeLines(path, *text);
        lines.insert(lines.end(), more.begin(), more.end());
    }
    return sources;
}

std::optional<QByteArray> git(const QString& repo, const QStringList& arguments, QString& error)
{
    QProcess process;
    process.start(QStringLiteral("git"), QStringList { QStringLiteral("-C"), repo } + arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        error = QStringLiteral("git -C %1 %2: %3")
                    .arg(repo, arguments.join(QLatin1Char(' ')),
                        QString::fromUtf8(process.readAllStandardError().trimmed()).left(300));
        if (process.error() == QProcess::FailedToStart)
            error = QStringLiteral("git is not installed");
        return std::nullopt;
    }
    return process.readAllStandardOutput();
}

// PATH at REV in REPO: one file, or every source file of a folder.
std::optional<Sources> readRevision(
    const QString& repo, const QString& revision, const QString& path, QString& error)
{
    const QString object = revision + QLatin1Char(':') + path;
    const auto type
        = git(repo, { QStringLiteral("cat-file"), QStringLiteral("-t"), object }, error);
    if (!type)
        return std::nullopt;
    Sources sources;
    if (type->trimmed() == "blob") {
        const auto text = git(repo, { QStringLiteral("show"), object }, error);
        if (!text)
            return std::nullopt;
        sources[QFileInfo(path).fileName()] = codeLines(path, QString::fromUtf8(*text));
        return sources;
    }
    const auto listing = git(repo,
        { QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("--name-only"), revision,
            QStringLiteral("--"), path },
        error);
    if (!listing)
        return std::nullopt;
    const QString prefix = path.endsWith(QLatin1Char('/')) ? path : path + QLatin1Char('/');
    for (const QByteArray& line : listing->split('\n')) {
        const QString file = QString::fromUtf8(line);
        const QString relative = file.startsWith(prefix) ? file.mid(prefix.size()) : file;
        if (file.isEmpty() || !isSource(file) || skipped(relative))
            continue;
        const auto text
            = git(repo, { QStringLiteral("show"), revision + QLatin1Char(':') + file }, error);
        if (!text)
            return std::nullopt;
        sources[relative] = codeLines(file, QString::fromUtf8(*text));
    }
    if (sources.empty()) {
        error = QStringLiteral("%1 holds no source file at %2").arg(path, revision);
        return std::nullopt;
    }
    return sources;
}

} // namespace

QString absoluteRefactorSpec(const QString& spec)
{
    const QStringList fields = spec.split(QLatin1Char(':'));
    if (fields.size() == 3 && fields[1].contains(QLatin1String(".."))) {
        // The repository's path made absolute, its revisions pinned to commits.
        QStringList revisions = fields[1].split(QStringLiteral(".."));
        for (QString& revision : revisions) {
            QString ignored;
            if (const auto hash = git(fields[0],
                    { QStringLiteral("rev-parse"), QStringLiteral("--verify"),
                        revision + QStringLiteral("^{commit}") },
                    ignored))
                revision = QString::fromUtf8(hash->trimmed());
        }
        return QFileInfo(fields[0]).absoluteFilePath() + QLatin1Char(':')
            + revisions.join(QStringLiteral("..")) + QLatin1Char(':') + fields[2];
    }
    QStringList sides;
    for (const QString& side : fields) {
        QStringList files;
        for (const QString& file : side.split(QLatin1Char('+')))
            files << (file.isEmpty() ? file : QFileInfo(file).absoluteFilePath());
        sides << files.join(QLatin1Char('+'));
    }
    return sides.join(QLatin1Char(':'));
}

QString refactorHowTo()
{
    return QStringLiteral("give `--refactor BEFORE:AFTER` (two files, two folders) or "
                          "`--refactor REPO:REV1..REV2:PATH` naming the team's Writer before and "
                          "after the refactor");
}

std::optional<RefactorCount> countRefactor(const QString& spec, QString& error)
{
    const QStringList fields = spec.split(QLatin1Char(':'));
    std::optional<Sources> before, after;
    QString described;
    if (fields.size() == 3 && fields[1].contains(QLatin1String(".."))) {
        const QString repo = fields[0], path = fields[2];
        const QStringList revisions = fields[1].split(QStringLiteral(".."));
        if (revisions.size() != 2 || revisions[0].isEmpty() || revisions[1].isEmpty()) {
            error = QStringLiteral("--refactor %1: expected REPO:REV1..REV2:PATH").arg(spec);
            return std::nullopt;
        }
        before = readRevision(repo, revisions[0], path, error);
        if (before)
            after = readRevision(repo, revisions[1], path, error);
        described = QStringLiteral("%1 in %2, %3 → %4")
                        .arg(path, QFileInfo(repo).fileName(), revisions[0], revisions[1]);
    } else if (fields.size() == 2) {
        before = readSide(fields[0], error);
        if (before)
            after = readSide(fields[1], error);
        described = QStringLiteral("%1 → %2").arg(
            QFileInfo(fields[0]).fileName(), QFileInfo(fields[1]).fileName());
    } else {
        error = QStringLiteral("--refactor %1: expected BEFORE:AFTER or REPO:REV1..REV2:PATH")
                    .arg(spec);
        return std::nullopt;
    }
    if (!before || !after)
        return std::nullopt;
    RefactorCount count;
    count.described = described;
    // Two single files compare with each other whatever their names (the team's
    // file_writer_agent.py -> file_writer_agent_restate.py); folders match by path.
    const bool filePair = before->size() == 1 && after->size() == 1;
    for (const auto& [path, lines] : *after) {
        const auto match = filePair ? before->begin() : before->find(path);
        count.addedLines
            += addedLines(match == before->end() ? std::vector<QString>() : match->second, lines);
        ++count.files;
    }
    return count;
}

} // namespace tt::engine
