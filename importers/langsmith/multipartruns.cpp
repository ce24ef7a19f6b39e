// SPDX-License-Identifier: MIT
#include "multipartruns.h"

#include <gmime/gmime.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace tt::importers::langsmith {

namespace {

using nlohmann::json;

constexpr int kMaxDepth = 128; // traces nest a few levels

// GObject references released on scope exit.
struct Unref
{
    void operator()(gpointer object) const { g_object_unref(object); }
};
template <typename T> using GPtr = std::unique_ptr<T, Unref>;

std::string_view firstLine(std::string_view text)
{
    std::string_view line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

std::string partContent(GMimePart* part)
{
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content)
        return {};
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, out.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

} // namespace

json parseBounded(const std::string& text)
{
    bool tooDeep = false;
    json value = json::parse(
        text,
        [&tooDeep](int depth, json::parse_event_t, json&) {
            if (depth > kMaxDepth)
                tooDeep = true;
            return !tooDeep;
        },
        false);
    return tooDeep ? json(json::value_t::discarded) : value;
}

bool looksLikeMultipartRuns(std::string_view head)
{
    const std::string_view boundary = firstLine(head);
    if (boundary.size() < 3 || boundary.substr(0, 2) != "--")
        return false;
    return head.find("name=\"post.") != std::string_view::npos
        || head.find("name=\"patch.") != std::string_view::npos;
}

std::vector<MultipartPart> splitMultipartBody(std::string_view body, std::string& error)
{
    const std::string_view boundaryLine = firstLine(body);
    if (boundaryLine.size() < 3 || boundaryLine.substr(0, 2) != "--") {
        error = "expected a multipart body starting with a --BOUNDARY line";
        return {};
    }
    static std::once_flag initialised;
    std::call_once(initialised, []() { g_mime_init(); });
    // The saved body lacks the request's Content-Type header: give GMime one naming the boundary.
    std::string entity = "Content-Type: multipart/form-data; boundary=\""
        + std::string(boundaryLine.substr(2)) + "\"\r\n\r\n";
    entity.append(body);
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(entity.data(), entity.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GPtr<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
    if (!root || !GMIME_IS_MULTIPART(root.get())) {
        error = "expected a multipart body: GMime found no parts";
        return {};
    }
    auto* multipart = GMIME_MULTIPART(root.get());
    std::vector<MultipartPart> parts;
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) {
        GMimeObject* object = g_mime_multipart_get_part(multipart, i);
        if (!GMIME_IS_PART(object))
            continue;
        const char* name = g_mime_object_get_content_disposition_parameter(object, "name");
        parts.push_back({ name ? name : "", partContent(GMIME_PART(object)) });
    }
    if (parts.empty())
        error = "the multipart body has no parts";
    return parts;
}

std::string runsAsJsonLines(
    const std::vector<MultipartPart>& parts, int& runs, std::vector<std::string>& problems)
{
    std::map<std::string, json> byName; // "post.<id>" -> run, in name order
    std::vector<std::pair<std::string, std::pair<std::string, json>>> fields;
    for (const auto& [name, content] : parts) {
        const size_t first = name.find('.');
        const std::string kind = name.substr(0, first);
        if (first == std::string::npos || (kind != "post" && kind != "patch"))
            continue;
        auto value = parseBounded(content);
        if (value.is_discarded()) {
            problems.push_back("part \"" + name + "\" is not JSON");
            continue;
        }
        const size_t second = name.find('.', first + 1);
        if (second == std::string::npos)
            byName[name] = std::move(value);
        else
            fields.push_back(
                { name.substr(0, second), { name.substr(second + 1), std::move(value) } });
    }
    for (auto& [run, field] : fields) {
        auto it = byName.find(run);
        if (it == byName.end())
            it = byName.emplace(run, json { { "id", run.substr(run.find('.') + 1) } }).first;
        if (it->second.is_object())
            it->second[field.first] = std::move(field.second);
    }
    std::string lines;
    for (auto& [name, run] : byName) {
        if (!run.is_object()) {
            problems.push_back("part \"" + name + "\" is not a run object");
            continue;
        }
        if (!run.contains("id"))
            run["id"] = name.substr(name.find('.') + 1);
        lines += run.dump() + "\n";
        ++runs;
    }
    return lines;
}

} // namespace tt::importers::langsmith
