// SPDX-License-Identifier: MIT
#include "files.h"

#include "jsonutil.h"

#include "importers/langsmith/langsmithimporter.h"
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
    ~Descriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// The files of one import, read together: one builder per source whose traces may span files.
class Import
{
public:
    Import(Format format, uint64_t maxFileBytes)
        : m_format(format)
        , m_maxFileBytes(maxFileBytes)
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
        auto bytes = readFile(path, error, m_maxFileBytes);
        if (!bytes) {
            m_result.warnings.push_back({ path, 0, "cannot read: " + error });
            return;
        }
        switch (resolveFormat(*bytes, path, m_format)) {
        case Format::OpenAi:
            openai::readTraces(builder(m_openAi, timeline::Source::OpenAi), std::move(bytes), path);
            break;
        case Format::LangSmith:
            langsmith::readRuns(
                builder(m_langSmith, timeline::Source::LangSmith), std::move(bytes), path);
            break;
        default:
            m_result.append(importBytes(std::move(bytes), path, m_format));
        }
    }

    static timeline::TraceSetBuilder& builder(
        std::optional<timeline::TraceSetBuilder>& slot, timeline::Source source)
    {
        if (!slot)
            slot.emplace(source);
        return *slot;
    }

    Format m_format;
    uint64_t m_maxFileBytes;
    std::optional<timeline::TraceSetBuilder> m_openAi;
    std::optional<timeline::TraceSetBuilder> m_langSmith;
    timeline::ImportResult m_result;
};

} // namespace

std::shared_ptr<const std::string> readFile(
    const std::string& path, std::string& error, uint64_t maxBytes)
{
    Descriptor file { ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK) };
    struct stat status = {};
    if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
        error = errno == ENOENT ? "no such file" : std::strerror(errno);
        return nullptr;
    }
    if (!S_ISREG(status.st_mode)) {
        error = "not a regular file";
        return nullptr;
    }
    const auto size = uint64_t(status.st_size);
    if (size > maxBytes) {
        error = "the file is " + megabytes(size) + ", over the " + megabytes(maxBytes)
            + " limit (importing takes up to 1.8 bytes of memory per byte of file; raise "
              "--max-bytes to import it)";
        return nullptr;
    }
    // O_NONBLOCK: a FIFO must not block the open; it is refused just below.
    // Zero-filled padding past the end, kept as capacity; then one read() straight into place.
    auto bytes = std::make_shared<std::string>();
    bytes->reserve(size_t(size) + simdjson::SIMDJSON_PADDING);
    preferHugePages(bytes->data(), bytes->capacity());
    bytes->resize(size_t(size) + simdjson::SIMDJSON_PADDING, '\0');
    size_t done = 0;
    while (done < size) {
        const ssize_t got = ::read(file.fd, bytes->data() + done, size_t(size) - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            error = std::string("read error: ") + std::strerror(errno);
            return nullptr;
        }
        if (got == 0)
            break; // the file shrank while reading: import what is there
        done += size_t(got);
    }
    bytes->resize(done);
    return bytes;
}

timeline::ImportResult importPaths(
    const std::vector<std::string>& paths, Format format, uint64_t maxFileBytes)
{
    Import import(format, maxFileBytes);
    for (const auto& path : paths)
        import.addPath(path);
    return import.finish();
}

timeline::ImportResult importPath(const std::string& path, Format format)
{
    return importPaths({ path }, format);
}

} // namespace tt::importers
