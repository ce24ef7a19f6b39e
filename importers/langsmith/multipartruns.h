// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tt::importers::langsmith {

// Parses a request body or part, refusing what nests deeper than any trace does (discarded, like
// bad JSON): writing such JSON back out would recurse that deep.
nlohmann::json parseBounded(const std::string& text);

// One part of a LangSmith /runs/multipart body: its form-data name and its bytes.
struct MultipartPart
{
    std::string name;
    std::string content;
};

// A saved /runs/multipart request body: a "--BOUNDARY" line, then parts named post.<id>,
// post.<id>.inputs|outputs|extra|serialized|error|events, patch.<id>[.<field>], each
// "Content-Type: application/json; length=N". The request's own headers (and so the boundary
// parameter) are not in the file: the first line gives the boundary.
bool looksLikeMultipartRuns(std::string_view head);

// Splits such a body into its parts with GMime (a maintained MIME parser). Empty, plus a reason,
// when the bytes are not a multipart body.
std::vector<MultipartPart> splitMultipartBody(std::string_view body, std::string& error);

// The runs the parts carry, one JSON object per line: post.<id> and patch.<id> each make a run
// with their field parts (post.<id>.outputs ...) merged in, so that a patch completes its post
// downstream like the same runs sent through /runs/batch. Feedback and attachments are not runs.
// A part that is not JSON (or nests deeper than any run) is skipped and named in `problems`.
std::string runsAsJsonLines(
    const std::vector<MultipartPart>& parts, int& runs, std::vector<std::string>& problems);

} // namespace tt::importers::langsmith
