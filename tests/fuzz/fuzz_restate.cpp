// SPDX-License-Identifier: MIT
// Any request body through the endpoint's path: journal parsing, then an attempt of a handler
// that runs steps and sleeps, replaying whatever the body claims. Must never crash, whatever the
// frames say.
#include "agents/restate/context.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace tt::restate;
    Journal journal;
    std::string error;
    if (!parseJournal(
            std::string_view(reinterpret_cast<const char*>(data), size), journal, error, 1u << 20))
        return 0;
    const Handler handler = [](Context& ctx) {
        std::string out = ctx.input();
        for (int i = 0; i < 3; ++i)
            out += ctx.run("call LLM", [] { return std::string("fresh"); });
        ctx.sleep("nap", std::chrono::milliseconds(1));
        return out;
    };
    std::string response;
    runAttempt(journal, handler, [&](std::string_view bytes) {
        response.append(bytes);
        return true;
    });
    return 0;
}
