#!/usr/bin/env bash
# Installs conc's build and test dependencies from Debian packages, and with
# --bench also what `make bench` and `make bench-lint` need (npm, which
# fetches LevelDB's and SQLite's sources).
# Idempotent: does nothing when everything is present, otherwise names what it
# installs. The LLVM major version is read from cmake/llvm-version.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
llvm=$(tr -d '[:space:]' < "$root/cmake/llvm-version")

packages=(
  build-essential cmake ninja-build ccache git python3 make
  "clang-$llvm" "llvm-$llvm-dev" "libclang-$llvm-dev" "libclang-cpp$llvm-dev"
  "libclang-rt-$llvm-dev"          # clang's ThreadSanitizer/ASan/UBSan runtimes
  libfmt-dev libgtest-dev libgmock-dev
  "clang-format-$llvm" "clang-tidy-$llvm"  # make format, make lint
  valgrind                          # Helgrind and DRD, the peers on the scoreboard
  time                              # make bench: peak memory of each run
  cppcheck                          # the scoreboard's static peers (with clang and clang-tidy)
  pkgconf meson autoconf automake   # the install test builds with pkg-config, Meson and Autotools too
  graphviz chromium                 # lock graphs as SVG; the HTML report's rendering test
  python3-jsonschema                # the SARIF validation test
)

# npm may come from elsewhere (nodesource, nvm): only a missing command counts.
if [ "${1:-}" = "--bench" ] && ! command -v npm >/dev/null; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
