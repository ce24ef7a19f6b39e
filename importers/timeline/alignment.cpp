// SPDX-License-Identifier: MIT
#include "alignment.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <unordered_map>

namespace tt::timeline {

std::string_view toString(RowStatus status)
{
    switch (status) {
    case RowStatus::Same:
        return "same";
    case RowStatus::Slower:
        return "slower";
    case RowStatus::Faster:
        return "faster";
    case RowStatus::Changed:
        return "changed";
    case RowStatus::OnlyLeft:
        return "only_left";
    case RowStatus::OnlyRight:
        return "only_right";
    }
    return "same";
}

namespace {

using Pairs = std::vector<std::pair<int32_t, int32_t>>;

// Myers' middle-snake bisection on a[aLo, aHi) x b[bLo, bHi): common prefix and suffix are
// matched directly, the rest is split where the forward and backward furthest-reaching paths
// meet, and each half is solved the same way. O((n+m)*d) time, O(n+m) space per level.
class MyersDiff
{
public:
    MyersDiff(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, Pairs& out)
        : m_a(a)
        , m_b(b)
        , m_out(out)
    { }

    void solve(int32_t aLo, int32_t aHi, int32_t bLo, int32_t bHi)
    {
        while (aLo < aHi && bLo < bHi && m_a[aLo] == m_b[bLo])
            m_out.emplace_back(aLo++, bLo++);
        int32_t suffix = 0;
        while (aLo < aHi - suffix && bLo < bHi - suffix
            && m_a[aHi - 1 - suffix] == m_b[bHi - 1 - suffix])
            ++suffix;
        aHi -= suffix;
        bHi -= suffix;
        if (aLo < aHi && bLo < bHi) {
            int32_t x = 0;
            int32_t y = 0;
            if (bisect(aLo, aHi, bLo, bHi, x, y)) {
                solve(aLo, aLo + x, bLo, bLo + y);
                solve(aLo + x, aHi, bLo + y, bHi);
            }
        }
        for (int32_t i = 0; i < suffix; ++i)
            m_out.emplace_back(aHi + i, bHi + i);
    }

private:
    // Finds a point (x, y), relative to (aLo, bLo), on an optimal edit path. False when the two
    // ranges have nothing in common.
    bool bisect(
        int32_t aLo, int32_t aHi, int32_t bLo, int32_t bHi, int32_t& splitX, int32_t& splitY)
    {
        const int64_t n = aHi - aLo;
        const int64_t m = bHi - bLo;
        const int64_t maxD = (n + m + 1) / 2;
        const int64_t offset = maxD;
        const int64_t length = 2 * maxD + 2;
        m_forward.assign(size_t(length), -1);
        m_backward.assign(size_t(length), -1);
        m_forward[size_t(offset + 1)] = 0;
        m_backward[size_t(offset + 1)] = 0;
        const int64_t delta = n - m;
        const bool front = (delta % 2) != 0;
        int64_t k1start = 0, k1end = 0, k2start = 0, k2end = 0;
        auto& v1 = m_forward;
        auto& v2 = m_backward;
        for (int64_t d = 0; d < maxD; ++d) {
            for (int64_t k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
                const int64_t k1o = offset + k1;
                int64_t x1 = (k1 == -d || (k1 != d && v1[k1o - 1] < v1[k1o + 1])) ? v1[k1o + 1]
                                                                                  : v1[k1o - 1] + 1;
                int64_t y1 = x1 - k1;
                while (x1 < n && y1 < m && m_a[aLo + x1] == m_b[bLo + y1]) {
                    ++x1;
                    ++y1;
                }
                v1[k1o] = x1;
                if (x1 > n) {
                    k1end += 2;
                } else if (y1 > m) {
                    k1start += 2;
                } else if (front) {
                    const int64_t k2o = offset + delta - k1;
                    if (k2o >= 0 && k2o < length && v2[k2o] != -1 && x1 >= n - v2[k2o]) {
                        splitX = int32_t(x1);
                        splitY = int32_t(y1);
                        return true;
                    }
                }
            }
            for (int64_t k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
                const int64_t k2o = offset + k2;
                int64_t x2 = (k2 == -d || (k2 != d && v2[k2o - 1] < v2[k2o + 1])) ? v2[k2o + 1]
                                                                                  : v2[k2o - 1] + 1;
                int64_t y2 = x2 - k2;
                while (x2 < n && y2 < m && m_a[aHi - 1 - x2] == m_b[bHi - 1 - y2]) {
                    ++x2;
                    ++y2;
                }
                v2[k2o] = x2;
                if (x2 > n) {
                    k2end += 2;
                } else if (y2 > m) {
                    k2start += 2;
                } else if (!front) {
                    const int64_t k1o = offset + delta - k2;
                    if (k1o >= 0 && k1o < length && v1[k1o] != -1) {
                        const int64_t x1 = v1[k1o];
                        const int64_t y1 = offset + x1 - k1o;
                        if (x1 >= n - x2) {
                            splitX = int32_t(x1);
                            splitY = int32_t(y1);
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    const std::vector<uint32_t>& m_a;
    const std::vector<uint32_t>& m_b;
    Pairs& m_out;
    std::vector<int64_t> m_forward;
    std::vector<int64_t> m_backward;
};

// Gives equal keys equal numbers across both runs, so the diff compares integers.
class KeyNumbers
{
public:
    uint32_t operator()(const std::string& key)
    {
        return m_numbers.try_emplace(key, uint32_t(m_numbers.size())).first->second;
    }

private:
    std::unordered_map<std::string, uint32_t> m_numbers;
};

// Pairs keys that occur once on each side and keeps the largest set of pairs in the same order
// on both sides (a longest increasing subsequence, O(n log n)). (kind, name, occurrence) keys are
// unique within a run, so this is the exact-key pass; unlike a diff over those keys it does not
// degrade when one extra call renumbers every later call of that name.
Pairs uniqueKeyAnchors(const std::vector<uint32_t>& left, const std::vector<uint32_t>& right)
{
    std::unordered_map<uint32_t, int32_t> rightIndex;
    rightIndex.reserve(right.size());
    for (size_t j = 0; j < right.size(); ++j)
        rightIndex.emplace(right[j], int32_t(j));
    Pairs candidates;
    for (size_t i = 0; i < left.size(); ++i) {
        auto it = rightIndex.find(left[i]);
        if (it != rightIndex.end())
            candidates.emplace_back(int32_t(i), it->second);
    }
    // Patience sorting on the right indices, remembering each candidate's predecessor.
    std::vector<int32_t> tails; // index into candidates of the smallest tail of each length
    std::vector<int32_t> previous(candidates.size(), -1);
    for (size_t c = 0; c < candidates.size(); ++c) {
        const int32_t j = candidates[c].second;
        auto pos = std::lower_bound(tails.begin(), tails.end(), j,
            [&](int32_t tail, int32_t value) { return candidates[size_t(tail)].second < value; });
        if (pos != tails.begin())
            previous[c] = *(pos - 1);
        if (pos == tails.end())
            tails.push_back(int32_t(c));
        else
            *pos = int32_t(c);
    }
    Pairs anchors(tails.size());
    for (int32_t c = tails.empty() ? -1 : tails.back(), k = int32_t(tails.size()) - 1; c >= 0;
         c = previous[size_t(c)], --k)
        anchors[size_t(k)] = candidates[size_t(c)];
    return anchors;
}

std::string exactKey(const Step& step)
{
    return std::to_string(int(step.kind)) + '\x1f' + step.name + '\x1f'
        + std::to_string(step.occurrence);
}

std::string looseKey(const Step& step)
{
    return std::to_string(int(step.kind)) + '\x1f' + step.name;
}

AlignedRow matchedRow(
    const Step& left, const Step& right, int32_t l, int32_t r, const AlignOptions& options)
{
    AlignedRow row { l, r, RowStatus::Same, right.durationNs() - left.durationNs() };
    const bool leftFailed = left.status == SpanStatus::Error;
    const bool rightFailed = right.status == SpanStatus::Error;
    if (leftFailed != rightFailed) {
        row.status = RowStatus::Changed;
        return row;
    }
    const auto tolerance = std::max<int64_t>(options.absoluteToleranceNs,
        int64_t(options.relativeTolerance * double(left.durationNs())));
    if (row.deltaNs > tolerance)
        row.status = RowStatus::Slower;
    else if (row.deltaNs < -tolerance)
        row.status = RowStatus::Faster;
    return row;
}

} // namespace

std::vector<std::pair<int32_t, int32_t>> commonSubsequence(
    const std::vector<uint32_t>& a, const std::vector<uint32_t>& b)
{
    Pairs pairs;
    MyersDiff diff(a, b, pairs);
    diff.solve(0, int32_t(a.size()), 0, int32_t(b.size()));
    return pairs;
}

std::vector<AlignedRow> alignSteps(
    const std::vector<Step>& left, const std::vector<Step>& right, const AlignOptions& options)
{
    KeyNumbers exact;
    KeyNumbers loose;
    std::vector<uint32_t> leftExact, rightExact, leftLoose, rightLoose;
    for (const auto& step : left) {
        leftExact.push_back(exact(exactKey(step)));
        leftLoose.push_back(loose(looseKey(step)));
    }
    for (const auto& step : right) {
        rightExact.push_back(exact(exactKey(step)));
        rightLoose.push_back(loose(looseKey(step)));
    }
    const Pairs anchors = uniqueKeyAnchors(leftExact, rightExact);

    std::vector<AlignedRow> rows;
    rows.reserve(left.size() + right.size());
    int32_t l = 0;
    int32_t r = 0;
    // Between two anchors, pair what is left by (kind, name), then emit the gap in order.
    auto fillGap = [&](int32_t lEnd, int32_t rEnd) {
        const int32_t lStart = l;
        const int32_t rStart = r;
        const std::vector<uint32_t> a(leftLoose.begin() + lStart, leftLoose.begin() + lEnd);
        const std::vector<uint32_t> b(rightLoose.begin() + rStart, rightLoose.begin() + rEnd);
        for (const auto& [i, j] : commonSubsequence(a, b)) {
            for (; l < lStart + i; ++l)
                rows.push_back({ l, -1, RowStatus::OnlyLeft, 0 });
            for (; r < rStart + j; ++r)
                rows.push_back({ -1, r, RowStatus::OnlyRight, 0 });
            rows.push_back(matchedRow(left[l], right[r], l, r, options));
            ++l;
            ++r;
        }
        for (; l < lEnd; ++l)
            rows.push_back({ l, -1, RowStatus::OnlyLeft, 0 });
        for (; r < rEnd; ++r)
            rows.push_back({ -1, r, RowStatus::OnlyRight, 0 });
    };
    for (const auto& [i, j] : anchors) {
        fillGap(i, j);
        rows.push_back(matchedRow(left[i], right[j], i, j, options));
        l = i + 1;
        r = j + 1;
    }
    fillGap(int32_t(left.size()), int32_t(right.size()));
    return rows;
}

} // namespace tt::timeline
