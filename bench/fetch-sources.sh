#!/usr/bin/env bash
# Fetches the real programs the benchmarks and evaluations run on, from the
# npm registry, into bench/sources/ (never committed):
#   leveldb/  LevelDB 1.20, from classic-level@1.4.1 (deps/leveldb)
#   sqlite/   the SQLite amalgamation, from better-sqlite3 (deps/sqlite3)
# Idempotent: does nothing for what is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sources=$root/bench/sources
mkdir -p "$sources"

fetch() {  # fetch PACKAGE SUBDIR DEST
  local package=$1 subdir=$2 dest=$3
  [ -d "$sources/$dest" ] && return
  command -v npm >/dev/null || { echo "fetch-sources: npm is needed (apt-get install npm)" >&2; exit 1; }
  local tmp
  tmp=$(mktemp -d)
  echo "fetch-sources: npm pack $package" >&2
  (cd "$tmp" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz)
  mv "$tmp/package/$subdir" "$sources/$dest"
  rm -rf "$tmp"
}

fetch classic-level@1.4.1 deps/leveldb/leveldb-1.20 leveldb
fetch better-sqlite3 deps/sqlite3 sqlite
