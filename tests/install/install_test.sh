#!/usr/bin/env bash
# Usage: install_test.sh BUILD_DIR PROJECT_DIR WORK_DIR "TOOL..."
set -euo pipefail
build=$1 project=$2 work=$3 tools=$4
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
for tool in $tools; do
  test -x "$prefix/bin/$tool" || { echo "FAIL: $tool not installed"; exit 1; }
done
test -f "$prefix/lib/libconcrt.so" || { echo "FAIL: libconcrt.so not installed"; exit 1; }

cmake -S "$project" -B "$work/project" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/project" >/dev/null

# The racy program reports through the installed runtime and symbolizer.
set +e
"$work/project/racy" 2>"$work/stderr.txt"
code=$?
set -e
grep -q "WARNING: conc: data race" "$work/stderr.txt" || { echo "FAIL: no report"; cat "$work/stderr.txt"; exit 1; }
grep -q "racy.cpp:" "$work/stderr.txt" || { echo "FAIL: report not symbolized"; cat "$work/stderr.txt"; exit 1; }
[ "$code" -eq 66 ] || { echo "FAIL: exit code $code, expected 66"; exit 1; }

# The installed compiler wrapper works outside the build tree too.
"$prefix/bin/conc-c++" "$project/racy.cpp" -o "$work/racy-wrapped"
set +e
"$work/racy-wrapped" 2>/dev/null
code=$?
set -e
[ "$code" -eq 66 ] || { echo "FAIL: wrapped build exit code $code, expected 66"; exit 1; }
echo "PASS: installed package, conc_instrument() and conc-c++ work"
