// SPDX-License-Identifier: MIT
// libFuzzer entry point for one importer (TT_FUZZ_FORMAT). Whatever the bytes, importing must
// return, without a sanitizer report, spans whose end is not before their start and whose
// strings read back inside their store.
#include "importers/common/importer.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using tt::importers::Format;
    auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
    const auto result = tt::importers::importBytes(bytes, "fuzz", Format::TT_FUZZ_FORMAT);
    for (const auto& trace : result.traces) {
        for (const auto& span : trace.spans) {
            if (span.endNs < span.startNs)
                std::abort();
            if (span.parent >= int32_t(trace.spans.size()))
                std::abort();
            // Reading every string must stay in bounds (ASan checks the reads).
            volatile size_t total = trace.str(span.id).size() + trace.str(span.payload).size()
                + trace.str(span.error).size() + trace.spanName(span).size();
            (void)total;
        }
    }
    return 0;
}
