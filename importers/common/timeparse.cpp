// SPDX-License-Identifier: MIT
#include "timeparse.h"

#include <cmath>
#include <cstdint>

namespace tt::importers {

int64_t daysFromCivil(int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = unsigned(year - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

namespace {

// Seconds reach 1e11 only in the year 5138, milliseconds only before 1973 fall below it.
constexpr double kSecondsBelow = 1e11;
constexpr double kMillisecondsBelow = 1e14;
constexpr double kMicrosecondsBelow = 1e17;

// The factor from the value's unit to nanoseconds.
int64_t unitOf(double magnitude)
{
    if (magnitude < kSecondsBelow)
        return 1'000'000'000;
    if (magnitude < kMillisecondsBelow)
        return 1'000'000;
    if (magnitude < kMicrosecondsBelow)
        return 1'000;
    return 1;
}

class Cursor
{
public:
    explicit Cursor(std::string_view text)
        : m_text(text)
    { }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    // Exactly `digits` decimal digits.
    bool number(int digits, int& out)
    {
        out = 0;
        for (int i = 0; i < digits; ++i) {
            const char c = peek();
            if (c < '0' || c > '9')
                return false;
            out = out * 10 + (c - '0');
            ++m_pos;
        }
        return true;
    }
    // A fraction of a second of any length, to nanoseconds (digits past the ninth are dropped).
    int64_t fraction()
    {
        int64_t ns = 0;
        int digits = 0;
        while (peek() >= '0' && peek() <= '9') {
            if (digits < 9) {
                ns = ns * 10 + (peek() - '0');
                ++digits;
            }
            ++m_pos;
        }
        for (; digits < 9; ++digits)
            ns *= 10;
        return ns;
    }

private:
    std::string_view m_text;
    size_t m_pos = 0;
};

} // namespace

std::optional<int64_t> epochToNs(double value)
{
    // Negative, NaN and values past int64 nanoseconds are no times any source sends.
    if (!(value >= 0) || value >= 9.2e18)
        return std::nullopt;
    // Whole units and the fraction apart: value * 1e9 would round to 256 ns steps.
    const int64_t unit = unitOf(value);
    const double whole = std::floor(value);
    if (whole >= double(INT64_MAX / unit)) // past the year 2262 in nanoseconds
        return std::nullopt;
    return int64_t(whole) * unit + std::llround((value - whole) * double(unit));
}

std::optional<int64_t> epochToNs(int64_t value)
{
    if (value < 0)
        return std::nullopt;
    const int64_t unit = unitOf(double(value));
    // Whole units keep every digit; only sub-second float precision would be lost via double.
    if (value > INT64_MAX / unit)
        return std::nullopt;
    return value * unit;
}

std::optional<int64_t> parseTimestamp(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '"'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '"'))
        text.remove_suffix(1);
    Cursor in(text);
    int year, month, day, hour, minute, second;
    if (!in.number(4, year) || !in.take('-') || !in.number(2, month) || !in.take('-')
        || !in.number(2, day))
        return std::nullopt;
    if (!in.take('T') && !in.take(' ') && !in.take('t'))
        return std::nullopt;
    if (!in.number(2, hour) || !in.take(':') || !in.number(2, minute) || !in.take(':')
        || !in.number(2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    int64_t ns = 0;
    if (in.take('.') || in.take(','))
        ns = in.fraction();
    int64_t zoneSeconds = 0;
    if (in.take('Z') || in.take('z')) {
    } else if (in.peek() == '+' || in.peek() == '-') {
        const int sign = in.take('-') ? -1 : (in.take('+'), 1);
        int zh = 0, zm = 0;
        if (!in.number(2, zh))
            return std::nullopt;
        in.take(':');
        if (!in.atEnd() && !in.number(2, zm))
            return std::nullopt;
        if (zh > 23 || zm > 59)
            return std::nullopt;
        zoneSeconds = sign * (zh * 3600 + zm * 60);
    }
    if (!in.atEnd())
        return std::nullopt;
    const int64_t days = daysFromCivil(year, unsigned(month), unsigned(day));
    const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - zoneSeconds;
    return seconds * 1'000'000'000 + ns;
}

} // namespace tt::importers
