// SPDX-License-Identifier: MIT
// bench_genfile DIR SPANS [openai|langsmith]: writes the benchmarks' Writer-like trace file (reused
// when it exists) and prints its path, for the whole-process import figure in scripts/bench.sh.
#include "generate.h"

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_genfile DIR SPANS [openai|langsmith]\n");
        return 2;
    }
    const std::string directory = argv[1];
    const size_t spans = std::strtoull(argv[2], nullptr, 10);
    const std::string source = argc > 3 ? argv[3] : "openai";
    if (spans == 0 || (source != "openai" && source != "langsmith")) {
        std::fprintf(stderr, "bench_genfile: expected a span count and openai or langsmith\n");
        return 2;
    }
    const std::string path = source == "openai" ? tt::bench::openAiJsonLines(directory, spans)
                                                : tt::bench::langSmithJsonLines(directory, spans);
    std::printf("%s\n", path.c_str());
    return 0;
}
