#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) and runs each for SECONDS (default 60),
# seeded with the real-format fixtures. Crashes land in build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/setup.sh fuzz >/dev/null
mkdir -p build-fuzz/crashes
declare -A seeds=(
  [openai]=tests/fixtures/openai [langsmith]=tests/fixtures/langsmith
  [tracelog]=tests/fixtures/agentic [runlog]=tests/fixtures/agentic
  [benchmark]=tests/fixtures/agentic [gpu]=tests/fixtures/gpu [auto]=tests/fixtures
  [restate]=tests/fixtures/restate-protocol
)
for target in openai langsmith tracelog runlog benchmark gpu auto restate; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  find "${seeds[$target]}" -type f -size -1M -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  echo "== fuzz_$target for ${seconds}s"
  build-fuzz/bin/fuzz_$target "$corpus" -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=4096 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 2>&1 \
    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==.*ERROR|SUMMARY)|Done [0-9]+ runs" || true
done
