// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tt::importers {

// ISO 8601 and its Python variants, to Unix epoch nanoseconds:
//   2026-02-09T10:15:00.120000+00:00   (Python isoformat, microseconds)
//   2026-02-09T10:15:00.120Z           (JavaScript toISOString, milliseconds)
//   2026-02-09 10:15:00.120000         (str(datetime); no zone means UTC, as LangSmith writes)
//   2026-02-09 10:15:00,123            (Python logging asctime)
// Returns nothing for anything else, including out-of-range fields.
std::optional<int64_t> parseTimestamp(std::string_view text);

// A number of seconds, milliseconds, microseconds or nanoseconds since the Unix epoch, told
// apart by magnitude (any time from 1973 to 5138 reads right), to nanoseconds. LangSmith's JS
// client sends end_time as epoch milliseconds; Python clients may send float seconds.
std::optional<int64_t> epochToNs(double value);
std::optional<int64_t> epochToNs(int64_t value);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day);

} // namespace tt::importers
