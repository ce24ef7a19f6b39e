// SPDX-License-Identifier: MIT
// An import that keeps no records (twintrace import's summary) reads OpenAI and LangSmith JSON
// lines a few MiB at a time. It must read what a whole-file import reads: the same traces, spans,
// times and parents, and warnings on the same lines, whether a line is cut by a piece's end or
// is longer than a piece.
#include <importers/common/files.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace tt::importers;

namespace {

struct StreamedImport : ::testing::Test
{
    std::filesystem::path path;
    void SetUp() override
    {
        path = std::filesystem::temp_directory_path()
            / ("tt-streamed-" + std::to_string(::getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl");
    }
    void TearDown() override { std::filesystem::remove(path); }
    void write(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
};

std::string openAiSpan(int trace, int span, const std::string& extra = {})
{
    std::ostringstream line;
    line << R"({"object":"trace.span","id":"span_)" << trace << '_' << span
         << R"(","trace_id":"trace_)" << trace << R"(","parent_id":)"
         << (span == 0 ? std::string("null") : "\"span_" + std::to_string(trace) + "_0\"")
         << R"(,"started_at":"2026-02-09T10:15:0)" << span % 10 << R"(.000123Z","ended_at":)"
         << (span == 0 ? "\"2026-02-09T10:15:59.5Z\""
                       : "\"2026-02-09T10:15:0" + std::to_string(span % 10) + ".5Z\"")
         << R"(,"span_data":{"type":"function","name":"step)" << span << '"' << extra
         << R"(},"error":null})" << '\n';
    return line.str();
}

// Traces of 10 spans, about 10 MB in all: three pieces of 4 MiB, lines cut at both seams.
std::string manyTraces(int traces)
{
    std::string text;
    for (int t = 0; t < traces; ++t) {
        text += R"({"object":"trace","id":"trace_)" + std::to_string(t)
            + R"(","workflow_name":"Writer"})" + "\n";
        for (int s = 0; s < 10; ++s)
            text += openAiSpan(t, s);
    }
    return text;
}

void expectSameImport(
    const tt::timeline::ImportResult& whole, const tt::timeline::ImportResult& streamed)
{
    ASSERT_EQ(whole.traces.size(), streamed.traces.size());
    EXPECT_EQ(whole.spanCount(), streamed.spanCount());
    for (size_t t = 0; t < whole.traces.size(); ++t) {
        const auto& a = whole.traces[t];
        const auto& b = streamed.traces[t];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.name, b.name);
        ASSERT_EQ(a.spans.size(), b.spans.size());
        for (size_t s = 0; s < a.spans.size(); ++s) {
            EXPECT_EQ(a.spans[s].startNs, b.spans[s].startNs);
            EXPECT_EQ(a.spans[s].endNs, b.spans[s].endNs);
            EXPECT_EQ(a.spans[s].parent, b.spans[s].parent);
            EXPECT_EQ(a.spanName(a.spans[s]), b.spanName(b.spans[s]));
        }
        // Only the whole-file import keeps each span's record.
        EXPECT_FALSE(a.strings->view(a.spans[0].payload).empty());
        EXPECT_TRUE(b.strings->view(b.spans[0].payload).empty());
    }
    ASSERT_EQ(whole.warnings.size(), streamed.warnings.size());
    for (size_t w = 0; w < whole.warnings.size(); ++w) {
        EXPECT_EQ(whole.warnings[w].line, streamed.warnings[w].line);
        EXPECT_EQ(whole.warnings[w].message, streamed.warnings[w].message);
    }
}

ImportOptions withoutRecords()
{
    ImportOptions options;
    options.keepRecords = false;
    return options;
}

} // namespace

TEST_F(StreamedImport, ReadsWhatAWholeFileImportReads)
{
    const int traces = 9000;
    std::string text = manyTraces(traces);
    ASSERT_GT(text.size(), size_t(9) << 20);
    // A bad line late in the file: its warning must carry its own line number.
    text += "{\"object\":\"trace.span\",\"id\":\n";
    text += openAiSpan(traces, 0); // and a last line without its newline
    text.pop_back();
    write(text);
    const auto whole = importPaths({ path.string() });
    const auto streamed = importPaths({ path.string() }, Format::Auto, withoutRecords());
    ASSERT_EQ(streamed.traces.size(), size_t(traces) + 1);
    ASSERT_EQ(streamed.warnings.size(), 1u);
    EXPECT_EQ(streamed.warnings[0].line, int64_t(traces) * 11 + 1);
    expectSameImport(whole, streamed);
}

TEST_F(StreamedImport, ALineLongerThanAPieceImports)
{
    const std::string huge = R"(,"input":")" + std::string(size_t(9) << 20, 'x') + "\"";
    write(manyTraces(2) + openAiSpan(2, 0, huge) + openAiSpan(2, 1));
    const auto whole = importPaths({ path.string() });
    const auto streamed = importPaths({ path.string() }, Format::Auto, withoutRecords());
    ASSERT_EQ(streamed.traces.size(), 3u);
    EXPECT_EQ(streamed.traces[2].spans.size(), 2u);
    EXPECT_TRUE(streamed.warnings.empty());
    expectSameImport(whole, streamed);
}

TEST_F(StreamedImport, ADocumentThatIsNotJsonLinesIsReadWhole)
{
    write("[\n" + openAiSpan(0, 0) + "]\n");
    const auto streamed = importPaths({ path.string() }, Format::Auto, withoutRecords());
    ASSERT_EQ(streamed.traces.size(), 1u);
    EXPECT_EQ(streamed.spanCount(), 1u);
}

namespace {

// Everything a summary shows, payloads aside.
std::string digest(const tt::timeline::ImportResult& result)
{
    std::ostringstream out;
    for (const auto& trace : result.traces) {
        out << "T " << trace.id << " " << trace.name << " " << trace.spans.size() << "\n";
        for (const auto& span : trace.spans)
            out << "  " << trace.spanName(span) << " " << span.startNs << " " << span.endNs << " "
                << span.parent << " " << int(span.status) << " " << int(span.flags) << " "
                << trace.strings->view(span.error) << "\n";
    }
    for (const auto& warning : result.warnings)
        out << "W " << warning.line << " " << warning.message << "\n";
    return out.str();
}

} // namespace

// Every fixture a summary can read reads the same in pieces: traces, spans, times, parents,
// statuses, flags and warnings.
TEST_F(StreamedImport, EveryFixtureReadsTheSameInPieces)
{
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(TT_FIXTURES)) {
        if (!entry.is_regular_file())
            continue;
        ++files;
        const auto file = entry.path().string();
        EXPECT_EQ(digest(importPaths({ file })),
            digest(importPaths({ file }, Format::Auto, withoutRecords())))
            << file;
    }
    EXPECT_GT(files, 10);
}

// CRLF lines cut between their \r and \n at a piece's end, blank CRLF lines at the end, and a
// span id seen again pieces later (a duplicate with other fields: both kept, one warning).
TEST_F(StreamedImport, CrlfLinesAndDuplicatesAcrossPieces)
{
    std::string text;
    for (int t = 0; t < 9000; ++t)
        for (int s = 0; s < 3; ++s) {
            std::string line = openAiSpan(t, s);
            line.insert(line.size() - 1, "\r");
            text += line;
        }
    std::string again = openAiSpan(0, 1);
    again.replace(again.find("10:15:01.000123Z"), 16, "10:15:01.200123Z");
    text += again;
    text += "\r\n\r\n   \r\n";
    write(text);
    const auto streamed = importPaths({ path.string() }, Format::Auto, withoutRecords());
    EXPECT_EQ(streamed.spanCount(), 27001u);
    ASSERT_EQ(streamed.warnings.size(), 1u);
    EXPECT_EQ(streamed.warnings[0].line, 27001);
    EXPECT_NE(streamed.warnings[0].message.find("first seen on line 2"), std::string::npos);
    EXPECT_EQ(digest(importPaths({ path.string() })), digest(streamed));
}

// A LangSmith run posted at the start and patched with its end 10 MB later, in another piece.
TEST_F(StreamedImport, ALangSmithPatchInALaterPieceEndsItsRun)
{
    std::string text = R"({"id":"r0","trace_id":"r0","name":"root","run_type":"chain",)"
                       R"("start_time":"2026-02-09T10:15:00Z"})"
                       "\n";
    const std::string input(100, 'y');
    for (int i = 0; i < 60000; ++i)
        text += R"({"id":"c)" + std::to_string(i)
            + R"(","trace_id":"r0","parent_run_id":"r0","name":"child","run_type":"tool",)"
              R"("start_time":"2026-02-09T10:15:01Z","end_time":"2026-02-09T10:15:02Z",)"
              R"("inputs":{"x":")"
            + input + "\"}}\n";
    text += R"({"id":"r0","trace_id":"r0","end_time":"2026-02-09T10:16:00Z"})"
            "\n";
    ASSERT_GT(text.size(), size_t(9) << 20);
    write(text);
    const auto streamed = importPaths({ path.string() }, Format::Auto, withoutRecords());
    ASSERT_EQ(streamed.traces.size(), 1u);
    EXPECT_EQ(streamed.traces[0].spans.size(), 60001u);
    EXPECT_EQ(streamed.traces[0].spans[0].endNs - streamed.traces[0].spans[0].startNs,
        int64_t(60) * 1000000000);
    EXPECT_EQ(digest(importPaths({ path.string() })), digest(streamed));
}

// A key written twice in a span counts its first time, as the lookup by key before the one-pass
// reading did (simdjson's at_key finds the first).
TEST_F(StreamedImport, ASpanKeyWrittenTwiceCountsItsFirstTime)
{
    write(R"({"object":"trace.span","id":"a","id":"b","trace_id":"t","trace_id":"u",)"
          R"("started_at":"2026-02-09T10:15:00Z","started_at":"2026-02-09T10:15:05Z",)"
          R"("ended_at":"2026-02-09T10:15:10Z","span_data":{"type":"function","name":"f"},)"
          R"("span_data":{"type":"function","name":"g"},"error":null,"error":{"message":"x"}})"
          "\n");
    for (const bool keep : { true, false }) {
        ImportOptions options;
        options.keepRecords = keep;
        const auto result = importPaths({ path.string() }, Format::Auto, options);
        ASSERT_EQ(result.traces.size(), 1u);
        const auto& trace = result.traces[0];
        EXPECT_EQ(trace.id, "t");
        ASSERT_EQ(trace.spans.size(), 1u);
        EXPECT_EQ(trace.strings->view(trace.spans[0].id), "a");
        EXPECT_EQ(trace.spanName(trace.spans[0]), "f");
        EXPECT_EQ(trace.spans[0].endNs - trace.spans[0].startNs, int64_t(10) * 1000000000);
        EXPECT_EQ(trace.spans[0].status, tt::timeline::SpanStatus::Ok);
    }
}

// A UTF-8 byte order mark before the first record (a Windows editor's save) is not JSON: the
// records after it import, read whole or in pieces, as lines or as one document.
TEST_F(StreamedImport, AByteOrderMarkIsSkipped)
{
    for (const std::string& text : { manyTraces(2), "[\n" + openAiSpan(0, 0) + "]\n" }) {
        write("\xEF\xBB\xBF" + text);
        const auto whole = importPaths({ path.string() });
        EXPECT_TRUE(whole.warnings.empty()) << whole.warnings[0].message;
        EXPECT_EQ(whole.spanCount(), text[0] == '[' ? 1u : 20u);
        EXPECT_EQ(
            digest(whole), digest(importPaths({ path.string() }, Format::Auto, withoutRecords())));
    }
}
