#!/usr/bin/env bash
# TwinTrace's main job on its embedded default. Until the experiment engine lands this opens the
# window on the bundled sample runs of the Writer; without a display it says so and does the same
# job headless (imports the samples and lines the two runs up step by step).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
samples=resources/samples
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
  exec build/bin/twintrace "$samples/writer-clean" "$samples/writer-rate-limited" "$@"
fi
echo "No display found (DISPLAY is not set): running the same job headless."
exec build/bin/twintrace demo "$@"
