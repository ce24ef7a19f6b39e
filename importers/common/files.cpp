// SPDX-License-Identifier: MIT
#include "files.h"

#include "jsonutil.h"

#include "importers/restate/restateimporter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tt::importers {

namespace fs = std::filesystem;

std::shared_ptr<const std::string> readFile(const std::string& path, std::string& error)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        error = "no such file";
        return nullptr;
    }
    if (!fs::is_regular_file(status)) {
        error = "not a regular file";
        return nullptr;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::strerror(errno);
        return nullptr;
    }
    const auto size = fs::file_size(path, ec);
    auto bytes = std::make_shared<std::string>();
    if (!ec)
        bytes->reserve(size_t(size) + simdjson::SIMDJSON_PADDING);
    bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        error = "read error";
        return nullptr;
    }
    json::reservePadding(*bytes);
    return bytes;
}

timeline::ImportResult importPath(const std::string& path, Format format)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (restate::isSnapshotFolder(path))
            return restate::importSnapshotFolder(path);
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(path, ec))
            if (entry.is_regular_file(ec))
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        timeline::ImportResult merged;
        if (files.empty())
            merged.warnings.push_back({ path, 0, "empty folder: nothing to import" });
        for (const auto& file : files) {
            auto part = importPath(file.string(), format);
            std::move(part.traces.begin(), part.traces.end(), std::back_inserter(merged.traces));
            std::move(
                part.warnings.begin(), part.warnings.end(), std::back_inserter(merged.warnings));
        }
        return merged;
    }
    std::string error;
    auto bytes = readFile(path, error);
    if (!bytes)
        return { {}, { { path, 0, "cannot read: " + error } } };
    return importBytes(std::move(bytes), path, format);
}

} // namespace tt::importers
