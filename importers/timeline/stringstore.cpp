// SPDX-License-Identifier: MIT
#include "stringstore.h"

#include <algorithm>
#include <functional>

namespace tt::timeline {

namespace {
constexpr size_t kMaxArena = StrRef::kSourceBit - 1;
}

StringStore::StringStore(std::shared_ptr<const std::string> source)
    : m_source(std::move(source))
{ }

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
    if (m_source && m_source->size() < StrRef::kSourceBit) {
        const char* begin = m_source->data();
        const char* end = begin + m_source->size();
        // std::less gives a total order on pointers even when they point into different objects.
        if (!std::less<const char*>()(text.data(), begin)
            && !std::less<const char*>()(end, text.data() + text.size())) {
            const auto offset = static_cast<uint32_t>(text.data() - begin);
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
        if (!m_source || size_t(ref.offset) + ref.size() > m_source->size())
            return {};
        return std::string_view(m_source->data() + ref.offset, ref.size());
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
