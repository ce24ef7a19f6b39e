// SPDX-License-Identifier: MIT
#include "stringstore.h"

#include <algorithm>
#include <functional>
#include <iterator>

namespace tt::timeline {

namespace {
constexpr size_t kMaxArena = StrRef::kSourceBit - 1;
}

StringStore::StringStore(std::shared_ptr<const std::string> source)
{
    addSource(std::move(source));
}

void StringStore::addSource(std::shared_ptr<const std::string> source)
{
    if (!source || source->empty())
        return;
    const size_t base
        = m_sources.empty() ? 0 : size_t(m_sources.back().base) + m_sources.back().bytes->size();
    // Past the offset range its text is copied instead (slice() finds no source for it).
    if (base + source->size() >= StrRef::kSourceBit)
        return;
    m_sources.push_back({ std::move(source), uint32_t(base) });
}

StrRef StringStore::add(std::string_view text)
{
    if (text.empty() || m_owned.size() >= kMaxArena)
        return {};
    const size_t room = kMaxArena - m_owned.size();
    const size_t size = std::min(text.size(), room);
    StrRef ref { static_cast<uint32_t>(m_owned.size()), static_cast<uint32_t>(size) };
    m_owned.append(text.data(), size);
    return ref;
}

StrRef StringStore::slice(std::string_view text)
{
    if (text.empty())
        return {};
    // The file being read is the last one added: look there first.
    for (auto source = m_sources.rbegin(); source != m_sources.rend(); ++source) {
        const char* begin = source->bytes->data();
        const char* end = begin + source->bytes->size();
        // std::less gives a total order on pointers even when they point into different objects.
        if (!std::less<const char*>()(text.data(), begin)
            && !std::less<const char*>()(end, text.data() + text.size())) {
            const auto offset = source->base + static_cast<uint32_t>(text.data() - begin);
            const auto size = static_cast<uint32_t>(text.size());
            return { offset, size | StrRef::kSourceBit };
        }
    }
    return add(text);
}

std::string_view StringStore::view(StrRef ref) const
{
    if (ref.empty())
        return {};
    if (ref.inSource()) {
        // The last source whose base is at or before the offset holds it.
        auto after = std::upper_bound(m_sources.begin(), m_sources.end(), ref.offset,
            [](uint32_t offset, const Source& source) { return offset < source.base; });
        if (after == m_sources.begin())
            return {};
        const Source& source = *std::prev(after);
        const size_t local = ref.offset - source.base;
        if (local + ref.size() > source.bytes->size())
            return {};
        return std::string_view(source.bytes->data() + local, ref.size());
    }
    if (size_t(ref.offset) + ref.size() > m_owned.size())
        return {};
    return std::string_view(m_owned.data() + ref.offset, ref.size());
}

void StringStore::compact()
{
    m_owned.shrink_to_fit();
}

} // namespace tt::timeline
