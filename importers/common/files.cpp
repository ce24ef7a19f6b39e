// SPDX-License-Identifier: MIT
#include "files.h"

#include "jsonrecords.h"
#include "jsonutil.h"

#include "importers/langsmith/langsmithimporter.h"
#include "importers/langsmith/multipartruns.h"
#include "importers/openai/openaiimporter.h"
#include "importers/restate/restateimporter.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

namespace tt::importers {

namespace fs = std::filesystem;

namespace {

std::string megabytes(uint64_t bytes)
{
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB";
}

// Backs a large buffer with 2 MiB pages where the kernel allows it (transparent huge pages in
// "madvise" mode, Debian's default): touching a 300 MB file's buffer then takes ~150 page faults
// instead of ~75,000, which were a fifth of a whole import. Only whole huge pages inside it.
void preferHugePages(char* begin, size_t size)
{
    constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
    const auto first = (reinterpret_cast<uintptr_t>(begin) + kHugePage - 1) & ~(kHugePage - 1);
    const auto last = (reinterpret_cast<uintptr_t>(begin) + size) & ~(kHugePage - 1);
    if (last > first)
        ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

// Closes a file descriptor on every path out.
struct Descriptor
{
    int fd = -1;
    Descriptor() = default;
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// Opens a regular file of at most maxBytes; false with a reason otherwise.
bool openRegular(const std::string& path, uint64_t maxBytes, Descriptor& file, uint64_t& size,
    std::string& error)
{
    // O_NONBLOCK: a FIFO must not block the open; it is refused just below.
    file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat status = {};
    if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
        error = errno == ENOENT ? "no such file" : std::strerror(errno);
        return false;
    }
    if (!S_ISREG(status.st_mode)) {
        error = "not a regular file";
        return false;
    }
    size = uint64_t(status.st_size);
    if (size > maxBytes) {
        error = "the file is " + megabytes(size) + ", over the " + megabytes(maxBytes)
            + " limit (importing takes up to 1.8 bytes of memory per byte of file; raise "
              "--max-bytes to import it)";
        return false;
    }
    return true;
}

// Reads up to `want` bytes to `into`; fewer only at the end of the file. -1 on a read error.
ssize_t readUpTo(int fd, char* into, size_t want, std::string& error)
{
    size_t done = 0;
    while (done < want) {
        const ssize_t got = ::read(fd, into + done, want - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            error = std::string("read error: ") + std::strerror(errno);
            return -1;
        }
        if (got == 0)
            break; // the end, or the file shrank while reading: import what is there
        done += size_t(got);
    }
    return ssize_t(done);
}

// A buffer of `size` bytes with the padding the JSON parser reads past the end, zero-filled and
// kept as capacity.
void resizePadded(std::string& buffer, size_t size)
{
    buffer.reserve(size + simdjson::SIMDJSON_PADDING);
    preferHugePages(buffer.data(), buffer.capacity());
    buffer.resize(size + simdjson::SIMDJSON_PADDING, '\0');
    buffer.resize(size);
}

// A streamed file is read this much at a time (a longer line grows it).
constexpr size_t kStreamChunk = size_t(4) << 20;

// The files of one import, read together: one builder per source whose traces may span files.
class Import
{
public:
    Import(Format format, const ImportOptions& options)
        : m_format(format)
        , m_options(options)
    { }

    void addPath(const std::string& path)
    {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            addFile(path);
            return;
        }
        if (restate::isSnapshotFolder(path)) {
            m_result.append(restate::importSnapshotFolder(path));
            return;
        }
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(path, ec))
            if (entry.is_regular_file(ec))
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        if (files.empty())
            m_result.warnings.push_back({ path, 0, "empty folder: nothing to import" });
        for (const auto& file : files)
            addFile(file.string());
    }

    timeline::ImportResult finish()
    {
        for (auto* builder : { &m_openAi, &m_langSmith })
            if (*builder)
                m_result.append((*builder)->finish());
        return std::move(m_result);
    }

private:
    void addFile(const std::string& path)
    {
        std::string error;
        if (!(m_options.keepRecords ? readWhole(path, error) : readInPieces(path, error)))
            m_result.warnings.push_back({ path, 0, "cannot read: " + error });
    }

    bool readWhole(const std::string& path, std::string& error)
    {
        auto bytes = readFile(path, error, m_options.maxFileBytes);
        if (!bytes)
            return false;
        const Format format = resolveFormat(*bytes, path, m_format);
        addBytes(std::move(bytes), path, format);
        return true;
    }

    void addBytes(std::shared_ptr<const std::string> bytes, const std::string& path, Format format)
    {
        switch (format) {
        case Format::OpenAi:
            openai::readTraces(builderFor(format), std::move(bytes), path);
            break;
        case Format::LangSmith:
            langsmith::readRuns(builderFor(format), std::move(bytes), path);
            break;
        default:
            m_result.append(importBytes(std::move(bytes), path, m_format));
        }
    }

    // OpenAI and LangSmith JSON lines go through a few MiB at a time, whole lines each time; any
    // other file is read on to its end and imported whole.
    bool readInPieces(const std::string& path, std::string& error)
    {
        Descriptor file;
        uint64_t size = 0;
        if (!openRegular(path, m_options.maxFileBytes, file, size, error))
            return false;
        std::string buffer;
        resizePadded(buffer, size_t(std::min<uint64_t>(size, kStreamChunk)));
        ssize_t got = readUpTo(file.fd, buffer.data(), buffer.size(), error);
        if (got < 0)
            return false;
        buffer.resize(size_t(got));
        const Format format = resolveFormat(buffer, path, m_format);
        simdjson::dom::parser probe;
        const bool lines = (format == Format::OpenAi || format == Format::LangSmith)
            && !langsmith::looksLikeMultipartRuns(std::string_view(buffer).substr(0, 64 * 1024))
            && json::isJsonLines(buffer, probe);
        if (!lines) {
            const size_t have = buffer.size();
            resizePadded(buffer, size_t(std::max<uint64_t>(size, have)));
            got = readUpTo(file.fd, buffer.data() + have, buffer.size() - have, error);
            if (got < 0)
                return false;
            buffer.resize(have + size_t(got));
            addBytes(std::make_shared<const std::string>(std::move(buffer)), path, format);
            return true;
        }
        auto& builder = builderFor(format);
        builder.beginSource(path);
        builder.expectBytes(size);
        const auto read = format == Format::OpenAi ? openai::lineReader(builder)
                                                   : langsmith::lineReader(builder);
        int64_t nextLine = 1;
        size_t capacity = std::max(kStreamChunk, buffer.size());
        // Up to the size the file had when opened, as a whole-file read: a file still being
        // written is not chased past it (nor past --max-bytes).
        uint64_t left = size - std::min<uint64_t>(size, buffer.size());
        bool atEnd = left == 0;
        buffer.erase(0, buffer.size() - json::withoutBom(buffer).size()); // not part of line 1
        for (;;) {
            // Whole lines now; a line cut at the end of the buffer waits for the next read.
            const size_t lastNewline = atEnd ? buffer.size() - 1 : buffer.rfind('\n');
            const size_t whole = lastNewline == std::string::npos ? 0 : lastNewline + 1;
            if (whole > 0) {
                nextLine += read(std::string_view(buffer.data(), whole), nextLine);
                buffer.erase(0, whole);
            }
            if (atEnd)
                return true;
            if (whole == 0 && buffer.size() == capacity)
                capacity *= 2; // a line longer than the buffer
            const size_t have = buffer.size();
            resizePadded(buffer, capacity);
            const size_t want = size_t(std::min<uint64_t>(capacity - have, left));
            got = readUpTo(file.fd, buffer.data() + have, want, error);
            if (got < 0)
                return false;
            buffer.resize(have + size_t(got));
            left -= uint64_t(got);
            atEnd = left == 0 || size_t(got) < want; // the file shrank: import what is there
        }
    }

    timeline::TraceSetBuilder& builderFor(Format format)
    {
        auto& slot = format == Format::OpenAi ? m_openAi : m_langSmith;
        if (!slot) {
            slot.emplace(
                format == Format::OpenAi ? timeline::Source::OpenAi : timeline::Source::LangSmith);
            slot->keepRecords(m_options.keepRecords);
        }
        return *slot;
    }

    Format m_format;
    ImportOptions m_options;
    std::optional<timeline::TraceSetBuilder> m_openAi;
    std::optional<timeline::TraceSetBuilder> m_langSmith;
    timeline::ImportResult m_result;
};

} // namespace

std::shared_ptr<const std::string> readFile(
    const std::string& path, std::string& error, uint64_t maxBytes)
{
    Descriptor file;
    uint64_t size = 0;
    if (!openRegular(path, maxBytes, file, size, error))
        return nullptr;
    // One read() straight into a buffer that already has the parser's padding.
    auto bytes = std::make_shared<std::string>();
    resizePadded(*bytes, size_t(size));
    const ssize_t got = readUpTo(file.fd, bytes->data(), bytes->size(), error);
    if (got < 0)
        return nullptr;
    bytes->resize(size_t(got));
    return bytes;
}

timeline::ImportResult importPaths(
    const std::vector<std::string>& paths, Format format, const ImportOptions& options)
{
    Import import(format, options);
    for (const auto& path : paths)
        import.addPath(path);
    return import.finish();
}

timeline::ImportResult importPath(const std::string& path, Format format)
{
    return importPaths({ path }, format);
}

} // namespace tt::importers
