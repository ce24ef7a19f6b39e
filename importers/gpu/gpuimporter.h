// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <memory>
#include <string>

namespace tt::importers::gpu {

// GPU samples as TwinTrace's sampler writes them (engine/gpu): JSON lines
// {"object":"twintrace.gpu_sample","time_ns":…,"device":0,"name":"…","utilization_pct":37,
//  "memory_utilization_pct":12,"memory_used_bytes":…,"memory_total_bytes":…,"period_ms":500}.
// One trace per device; each sample is a span until the next one, named by its load
// ("37 % · 12.3 GiB"), so that the timeline shows a GPU lane beside the run's steps.
timeline::ImportResult importSamples(std::shared_ptr<const std::string> bytes, std::string origin);

} // namespace tt::importers::gpu
