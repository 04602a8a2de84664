#!/usr/bin/env bash
# `make install` end to end: install into a temporary prefix, then build one
# small racy program by every documented route and check each build reports.
# Usage: install_test.sh BUILD_DIR PROJECT_DIR WORK_DIR "TOOL..."
set -euo pipefail
build=$1 project=$2 work=$3 tools=$4
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for tool in $tools; do
  test -x "$prefix/bin/$tool" || fail "$tool not installed"
done
test -f "$prefix/lib/libconcrt.so" || fail "libconcrt.so not installed"

# expect_race ROUTE EXE: the program reports a symbolized race and exits 66.
expect_race() {
  local route=$1 exe=$2 code
  set +e
  "$exe" 2>"$work/stderr.txt"
  code=$?
  set -e
  grep -q "WARNING: conc: data race" "$work/stderr.txt" || { cat "$work/stderr.txt"; fail "$route: no report"; }
  grep -q "racy.cpp:" "$work/stderr.txt" || { cat "$work/stderr.txt"; fail "$route: report not symbolized"; }
  [ "$code" -eq 66 ] || fail "$route: exit code $code, expected 66"
  echo "ok: $route"
}

# CMake: find_package(conc) + conc_instrument(), and conc_lint() as a gate.
cmake -S "$project" -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" --target racy >/dev/null
expect_race "cmake conc_instrument()" "$work/cmake/racy"
if [ -x "$prefix/bin/conc-lint" ]; then
  if cmake --build "$work/cmake" --target racy_conc_lint >"$work/lint.txt" 2>&1; then
    cat "$work/lint.txt"; fail "conc_lint(): the gate passed on a racy program"
  fi
  grep -q "racy.cpp:.*\[unguarded-access\]" "$work/lint.txt" || { cat "$work/lint.txt"; fail "conc_lint(): no finding"; }
  echo "ok: cmake conc_lint()"
fi

# Make with the compiler wrapper, outside any build tree.
make -s -C "$project" OUT="$work" CXX="$prefix/bin/conc-c++" >/dev/null
expect_race "make CXX=conc-c++" "$work/racy"
rm "$work/racy" "$work/racy.o"

# Make with pkg-config and the system g++ (the gcc route).
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
make -s -C "$project" OUT="$work" CXX=g++ CXXFLAGS="$(pkg-config --cflags concrt)" \
  LDLIBS="$(pkg-config --libs concrt)" >/dev/null
expect_race "make with pkg-config concrt (g++)" "$work/racy"

# Meson through the installed native file, when Meson is installed.
if command -v meson >/dev/null; then
  meson setup "$work/meson" "$project" --native-file "$prefix/share/conc/conc-native.ini" >/dev/null
  meson compile -C "$work/meson" >/dev/null
  expect_race "meson --native-file conc-native.ini" "$work/meson/racy"
else
  echo "skipped: meson is not installed"
fi
echo "PASS: every installed route builds an instrumented program that reports"
