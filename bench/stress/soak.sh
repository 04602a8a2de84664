#!/usr/bin/env bash
# Runs soak.cpp under libconcrt for SECONDS (default 600) and natively for
# 10 s (its output does not depend on the duration), samples the watched process's RSS every 10 s into soak-rss.csv, and checks
# that both runs exit alike with byte-identical stdout.
# usage: bench/stress/soak.sh [SECONDS] [BUILD_DIR]   (run by hand: nice -n 19)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-600}
bin=$(cd "${2:-$here/../../build}/bin" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O1 -g -pthread -o "$work/native" "$here/soak.cpp"
"$bin/conc-c++" -O1 -g -o "$work/conc" "$here/soak.cpp"

status=0
"$work/native" 10 >"$work/native.out" || status=$?
echo "native: exit $status, $(cat "$work/native.out")"

csv=${SOAK_CSV:-$PWD/soak-rss.csv}
echo "seconds,rss_kib" >"$csv"
"$work/conc" "$seconds" >"$work/conc.out" 2>"$work/conc.err" &
pid=$!
started=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$rss" ] && echo "$((SECONDS - started)),$rss" >>"$csv"
  sleep 10
done
conc_status=0
wait "$pid" || conc_status=$?
echo "conc:   exit $conc_status, $(cat "$work/conc.out")"
sort -t, -k2 -n "$csv" | tail -1 | awk -F, '{print "peak sampled RSS " $2 " KiB at " $1 " s"}'
awk -F, 'NR > 1 && $1 >= 60 && $1 < 70 {print "RSS after the first minute " $2 " KiB"}' "$csv"
cmp -s "$work/native.out" "$work/conc.out" && [ "$status" = "$conc_status" ] && ! grep -q "WARNING: conc" "$work/conc.err" ||
  { echo "soak: runs differ or conc reported"; head -50 "$work/conc.err"; exit 1; }
echo "soak: identical output, nothing reported; RSS samples in $csv"
