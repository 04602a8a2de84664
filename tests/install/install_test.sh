#!/usr/bin/env bash
# `make install` end to end: install into a temporary prefix, then build one
# small racy program by every documented route (CMake, Make, pkg-config,
# Autotools, Meson) and check each build reports, linking the installed docs.
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
for page in conc-lint conc-run conc-cc conc-c++; do
  test -f "$prefix/share/man/man1/$page.1" || fail "man page $page.1 not installed"
done
# Reports and findings link the installed docs pages.
test -f "$prefix/share/doc/conc/reports/data-race.md" || fail "docs/reports not installed"
test -f "$prefix/share/doc/conc/checks/unguarded-access.md" || fail "docs/checks not installed"

# expect_race ROUTE EXE: the program reports a symbolized race and exits 66.
expect_race() {
  local route=$1 exe=$2 code
  set +e
  "$exe" 2>"$work/stderr.txt"
  code=$?
  set -e
  grep -q "WARNING: conc: data race" "$work/stderr.txt" || { cat "$work/stderr.txt"; fail "$route: no report"; }
  grep -q "racy.cpp:" "$work/stderr.txt" || { cat "$work/stderr.txt"; fail "$route: report not symbolized"; }
  grep -q "^  Docs: $(cd "$prefix" && pwd -P)/share/doc/conc/reports/data-race.md$" "$work/stderr.txt" ||
    { cat "$work/stderr.txt"; fail "$route: the report does not link the installed docs page"; }
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

# Autotools: ./configure CC=conc-cc CXX=conc-c++ (configure's own test
# programs are built and run through the wrappers too), in a copy of the
# project since autoreconf writes into its source directory.
if command -v autoreconf >/dev/null && command -v automake >/dev/null; then
  mkdir -p "$work/autotools-src" "$work/autotools"
  cp "$(dirname "$0")/autotools/configure.ac" "$(dirname "$0")/autotools/Makefile.am" "$project/racy.cpp" \
    "$work/autotools-src/"
  (cd "$work/autotools-src" && autoreconf -i >/dev/null 2>&1) || fail "autoreconf failed"
  (cd "$work/autotools" && "$work/autotools-src/configure" CC="$prefix/bin/conc-cc" CXX="$prefix/bin/conc-c++" \
    >"$work/configure.txt" 2>&1) || { cat "$work/configure.txt"; fail "configure with conc-cc/conc-c++ failed"; }
  make -s -C "$work/autotools" >/dev/null
  expect_race "autotools ./configure CC=conc-cc CXX=conc-c++" "$work/autotools/racy"
else
  echo "skipped: autoconf/automake are not installed"
fi

# Meson through the installed native file, when Meson is installed.
if command -v meson >/dev/null; then
  meson setup "$work/meson" "$project" --native-file "$prefix/share/conc/conc-native.ini" >/dev/null
  meson compile -C "$work/meson" >/dev/null
  expect_race "meson --native-file conc-native.ini" "$work/meson/racy"
else
  echo "skipped: meson is not installed"
fi
echo "PASS: every installed route builds an instrumented program that reports"
