#!/usr/bin/env bash
# Sets up, builds and runs every test. Usage: scripts/test.sh [PRESET]   (dev or asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
scripts/setup.sh "$preset"
builddir=build
[[ "$preset" == dev ]] || builddir="build-$preset"
# Windows are drawn offscreen in tests; the ctest properties say so too.
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$builddir" --output-on-failure -j"$(nproc)"
