#!/usr/bin/env bash
# The main job on the bundled corpus: conc-lint over the corpus, then a racy
# and a deadlock-prone corpus program built with conc-cc/conc-c++ and run
# under the runtime. Prints the real reports of both tools.
set -uo pipefail

build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$root/$build/bin" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

banner "conc-lint corpus/"
"$bin/conc-lint" "$root/corpus"
echo "(conc-lint exit code $?: 1 means findings)"

run_program() {
  local source=$1 driver=$2
  local exe="$work/$(basename "${source%.*}")"
  banner "$driver ${source#$root/} && run it under libconcrt"
  "$bin/$driver" -O1 "$source" -o "$exe" || return
  "$exe"
  echo "(exit code $?: 66 means conc reported)"
}

run_program "$root/corpus/shared-data/counter_race.c" conc-cc
run_program "$root/corpus/locks/abba.cpp" conc-c++
exit 0
