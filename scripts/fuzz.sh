#!/usr/bin/env bash
# `make fuzz`: builds conc-lint's libFuzzer targets with clang, ASan and UBSan
# in build-fuzz/, seeds them from the corpus and tests/fuzz/seeds-inputs, and
# runs each for half of SECONDS (default 600). A crash or timeout is saved as
# build-fuzz/artifacts/<target>-*; copy it to tests/fuzz/regressions/ as
# source-NAME or inputs-NAME once fixed, so `make test` replays it for good.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
llvm=$(tr -d '[:space:]' < "$root/cmake/llvm-version")
seconds=${1:-600}
build=$root/build-fuzz

test -f "$build/build.ninja" ||
  CC=clang-$llvm CXX=clang++-$llvm cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONC_FUZZ=ON >/dev/null
cmake --build "$build" --target lint_source_fuzzer lint_inputs_fuzzer

# Seeds: each corpus program with its language byte, and the input seeds.
seeds=$build/seeds-source
rm -rf "$seeds" && mkdir -p "$seeds" "$build/artifacts" "$build/corpus-source" "$build/corpus-inputs"
for program in "$root"/corpus/*/*.c "$root"/corpus/*/*.cpp; do
  language=x
  [[ $program == *.c ]] && language=c
  { printf '%s' "$language"; cat "$program"; } > "$seeds/$(basename "$program")"
done

status=0
run() { # TARGET WORK_CORPUS SEED_DIR...
  local target=$1 work=$2
  shift 2
  local log=$build/$target.log
  echo "fuzz: $target for $((seconds / 2)) s (log: $log)"
  # Leak checking is off: Clang 16's Sema leaks (e.g. MakeDeductionFailureInfo)
  # on ordinary C++ input, which is not ours to fix and would stop every run.
  if ! ASAN_OPTIONS=detect_leaks=0 "$build/bin/$target" -max_total_time=$((seconds / 2)) -timeout=30 -rss_limit_mb=4096 -detect_leaks=0 \
      -max_len=65536 -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1 \
      "$work" "$@" >"$log" 2>&1; then
    status=1
  fi
  grep -aE '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|Test unit written)' "$log" || true
}
run lint_source_fuzzer "$build/corpus-source" "$seeds" "$root/tests/fuzz/regressions"
run lint_inputs_fuzzer "$build/corpus-inputs" "$root/tests/fuzz/seeds-inputs"
if [ "$status" -ne 0 ]; then
  echo "fuzz: a target failed; inputs are in $build/artifacts/" >&2
fi
exit "$status"
