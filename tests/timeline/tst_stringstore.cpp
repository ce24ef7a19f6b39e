// SPDX-License-Identifier: MIT
#include "importers/timeline/stringstore.h"

#include <gtest/gtest.h>

using namespace tt::timeline;

TEST(StringStore, AddedTextReadsBack)
{
    StringStore store;
    const StrRef a = store.add("alpha");
    const StrRef b = store.add("beta");
    EXPECT_EQ(store.view(a), "alpha");
    EXPECT_EQ(store.view(b), "beta");
    EXPECT_FALSE(a.inSource());
    EXPECT_TRUE(store.add("").empty());
}

TEST(StringStore, SliceOfTheSourceIsNotCopied)
{
    auto source = std::make_shared<const std::string>("{\"id\":\"span_1\"}\n{\"id\":\"span_2\"}");
    StringStore store(source);
    const std::string_view line(source->data() + 16, 15);
    const StrRef ref = store.slice(line);
    EXPECT_TRUE(ref.inSource());
    EXPECT_EQ(store.view(ref), "{\"id\":\"span_2\"}");
    EXPECT_EQ(store.view(ref).data(), source->data() + 16);
    EXPECT_EQ(store.ownedBytes(), 0u);
}

TEST(StringStore, SliceOfOtherMemoryIsCopied)
{
    auto source = std::make_shared<const std::string>("abc");
    StringStore store(source);
    const std::string elsewhere = "elsewhere";
    const StrRef ref = store.slice(elsewhere);
    EXPECT_FALSE(ref.inSource());
    EXPECT_EQ(store.view(ref), "elsewhere");
    EXPECT_NE(store.view(ref).data(), elsewhere.data());
}

TEST(StringStore, ForgedReferencesReadAsEmpty)
{
    StringStore store;
    store.add("abc");
    EXPECT_TRUE(store.view(StrRef { 2, 10 }).empty());
    EXPECT_TRUE(store.view(StrRef { 0, 3 | StrRef::kSourceBit }).empty());
}

TEST(StringStore, SlicesOfSeveralSourcesReadBackFromTheirOwnBytes)
{
    auto first = std::make_shared<const std::string>("first file");
    auto second = std::make_shared<const std::string>("second file");
    StringStore store(first);
    store.addSource(second);
    const StrRef a = store.slice(std::string_view(first->data() + 6, 4));
    const StrRef b = store.slice(std::string_view(second->data(), 6));
    const StrRef c = store.slice(std::string_view(second->data() + 7, 4));
    EXPECT_TRUE(a.inSource());
    EXPECT_TRUE(b.inSource());
    EXPECT_EQ(store.view(a).data(), first->data() + 6);
    EXPECT_EQ(store.view(b).data(), second->data());
    EXPECT_EQ(store.view(c), "file");
    EXPECT_EQ(store.view(c).data(), second->data() + 7);
    EXPECT_EQ(store.ownedBytes(), 0u);
}
