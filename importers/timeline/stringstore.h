// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tt::timeline {

// A string held by a StringStore: 8 bytes instead of a std::string's 32 plus its heap block.
// The top bit of m_size says the bytes live in the store's source buffer (zero copy).
struct StrRef
{
    uint32_t offset = 0;
    uint32_t sizeAndFlag = 0;

    static constexpr uint32_t kSourceBit = 0x80000000u;
    uint32_t size() const { return sizeAndFlag & ~kSourceBit; }
    bool inSource() const { return (sizeAndFlag & kSourceBit) != 0; }
    bool empty() const { return size() == 0; }
};

// All strings of one import in one place: an owned arena for text the importer builds, plus the
// imported bytes themselves, kept so that payloads are sliced instead of copied. An import that
// reads several files together keeps each file's bytes; their slices share one 2 GiB offset range
// (file after file), beyond which text is copied. A store is filled while importing and read-only
// afterwards (views stay valid once compact() ran).
class StringStore
{
public:
    explicit StringStore(std::shared_ptr<const std::string> source = {});

    // Keeps another file's bytes so that text inside them is sliced, not copied.
    void addSource(std::shared_ptr<const std::string> source);
    // Copies text into the arena. Text beyond the 2 GiB arena limit is cut.
    StrRef add(std::string_view text);
    // Refers to text without copying when it lies inside a source buffer; copies it otherwise.
    StrRef slice(std::string_view text);
    std::string_view view(StrRef ref) const;

    // Room for this many more bytes of text, so that a large import's arena is not copied
    // each time it doubles (untouched room costs address space, not memory).
    void reserve(size_t bytes) { m_owned.reserve(m_owned.size() + bytes); }
    // Releases the arena's spare capacity once importing is done.
    void compact();
    size_t ownedBytes() const { return m_owned.empty() ? 0 : m_owned.capacity(); }

private:
    struct Source
    {
        std::shared_ptr<const std::string> bytes;
        uint32_t base = 0; // where its slices' offsets start
    };
    std::vector<Source> m_sources; // bases ascending
    std::string m_owned;
};

} // namespace tt::timeline
