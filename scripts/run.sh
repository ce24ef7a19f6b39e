#!/usr/bin/env bash
# TwinTrace's main job on its embedded default: the experiment matrix (nominal, the transient LLM
# fault sweep k = 1..5, a crash inside every step; 3 runs per cell, both Writers) on a local
# restate-server and the LLM stand-in, then the results report in plannings/. Run it again to
# resume an interrupted experiment. Arguments go to `twintrace run` (see `twintrace run --help`);
# the full study is `scripts/run.sh --scenarios all --runs 10`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
out=plannings
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[i]}" == --out ]] && out="${args[i+1]}"
  [[ "${args[i]}" == --out=* ]] && out="${args[i]#--out=}"
done
status=0
build/bin/twintrace run --out "$out" "$@" || status=$?
echo "The report: $out/RESTATE_POC_RESULTS.md (full study: scripts/run.sh --scenarios all --runs 10)"
if [[ $status -eq 0 && -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
  # The experiment in the window, on the crash pair: the baseline above, the durable run below.
  exec build/bin/twintrace "$out" --scenario 'crash-at-llm_call#2'
fi
exit $status
