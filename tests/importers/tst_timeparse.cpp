// SPDX-License-Identifier: MIT
#include "importers/common/timeparse.h"

#include <gtest/gtest.h>

using tt::importers::parseTimestamp;

namespace {
// 2026-02-09T10:15:00Z in Unix seconds.
constexpr int64_t kBase = 1770632100;
constexpr int64_t kNs = 1'000'000'000;
} // namespace

TEST(ParseTimestamp, EveryFormTheSourcesWrite)
{
    struct Case
    {
        const char* text;
        int64_t expected;
    };
    const Case cases[] = {
        { "2026-02-09T10:15:00.120000+00:00", kBase * kNs + 120'000'000 }, // Python isoformat
        { "2026-02-09T10:15:00.120Z", kBase * kNs + 120'000'000 }, // JS toISOString
        { "2026-02-09 10:15:00.120000", kBase * kNs + 120'000'000 }, // str(datetime), naive = UTC
        { "2026-02-09 10:15:00,123", kBase * kNs + 123'000'000 }, // logging asctime
        { "2026-02-09 10:15:00", kBase * kNs }, // datefmt to the second
        { "2026-02-09T10:15:00+00:00", kBase * kNs }, // isoformat drops a zero fraction
        { "2026-02-09T12:15:00.5+02:00", kBase * kNs + 500'000'000 }, // a zone east of UTC
        { "2026-02-09T10:15:00.123456789123Z", kBase * kNs + 123'456'789 }, // digits past ns
        { "1970-01-01T00:00:00Z", 0 },
        { "1969-12-31T23:59:59Z", -kNs },
    };
    for (const auto& c : cases) {
        const auto parsed = parseTimestamp(c.text);
        ASSERT_TRUE(parsed.has_value()) << c.text;
        EXPECT_EQ(*parsed, c.expected) << c.text;
    }
}

TEST(ParseTimestamp, RejectsWhatIsNotATime)
{
    for (const char* bad :
        { "", "yesterday", "2026-02-09", "2026-13-09T10:15:00Z", "2026-02-09T25:15:00Z",
            "2026-02-09T10:15:00Zjunk", "2026-02-09T10:15", "2026-02-09T10:15:00+99:00", "None" })
        EXPECT_FALSE(parseTimestamp(bad).has_value()) << bad;
}

TEST(EpochToNs, TellsTheUnitFromTheMagnitude)
{
    using tt::importers::epochToNs;
    EXPECT_EQ(epochToNs(int64_t(kBase)), kBase * kNs); // seconds
    EXPECT_EQ(epochToNs(int64_t(kBase * 1000 + 120)), kBase * kNs + 120'000'000); // LangSmith JS
    EXPECT_EQ(epochToNs(int64_t(kBase * 1'000'000 + 7)), kBase * kNs + 7'000); // microseconds
    EXPECT_EQ(epochToNs(int64_t(kBase * kNs + 9)), kBase * kNs + 9); // nanoseconds
    EXPECT_EQ(epochToNs(double(kBase) + 0.25), kBase * kNs + 250'000'000); // Python time.time()
    EXPECT_EQ(epochToNs(double(kBase) * 1000 + 0.5), kBase * kNs + 500'000); // fractional ms
    EXPECT_FALSE(epochToNs(int64_t(-1)).has_value());
    EXPECT_FALSE(epochToNs(-1.0).has_value());
    EXPECT_FALSE(epochToNs(1e300).has_value());
    EXPECT_FALSE(epochToNs(5e10).has_value()); // seconds past 2262 overflow nanoseconds
    EXPECT_FALSE(epochToNs(int64_t(5e10)).has_value());
}

TEST(ParseTimestamp, AnyNumberOfFractionDigitsAndZoneForms)
{
    const char* forms[] = { "2026-02-09T10:15:00Z", "2026-02-09T10:15:00.0Z",
        "2026-02-09T10:15:00.000000+00:00", "2026-02-09T10:15:00.000000000Z",
        "2026-02-09T11:15:00+0100", "2026-02-09T05:15:00-05:00", "2026-02-09T10:15:00" };
    for (const char* form : forms)
        EXPECT_EQ(parseTimestamp(form), kBase * kNs) << form;
}
