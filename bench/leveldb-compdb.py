#!/usr/bin/env python3
"""Writes compile_commands.json for LevelDB 1.20's library (bench/sources/leveldb,
see fetch-sources.sh), the way its Makefile builds it on Linux.

The sources are those build_detect_platform lists: every .cc under db/, util/
and table/ except tests, benchmarks and leveldbutil, plus port/port_posix*.cc
and helpers/memenv/memenv.cc. --with-db-bench adds db/db_bench.cc and
util/testutil.cc: db_bench is the multi-threaded driver the runtime benchmarks
use. The flags are build_detect_platform's for Linux with <atomic> present and
the Makefile's default OPT.
"""

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["-std=c++0x", "-pthread", "-DOS_LINUX", "-DLEVELDB_PLATFORM_POSIX",
         "-DLEVELDB_ATOMIC_PRESENT", "-I.", "-I./include", "-O2", "-DNDEBUG"]


def library_sources(tree: Path):
    def is_library(path: Path):
        name = path.name
        return "test" not in name and not name.endswith("_bench.cc") and name != "leveldbutil.cc"

    sources = sorted(p for d in ("db", "util", "table") for p in (tree / d).rglob("*.cc") if is_library(p))
    return sources + [tree / "port/port_posix.cc", tree / "port/port_posix_sse.cc",
                      tree / "helpers/memenv/memenv.cc"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT / "bench/sources/leveldb")
    parser.add_argument("--compiler", default="clang++-16")
    parser.add_argument("--with-db-bench", action="store_true")
    parser.add_argument("--extra", action="append", default=[], help="add this flag to every command")
    args = parser.parse_args()

    tree = args.tree.resolve()
    sources = library_sources(tree)
    if args.with_db_bench:
        sources += [tree / "db/db_bench.cc", tree / "util/testutil.cc"]
    entries = [{"directory": str(tree), "file": str(source),
                "arguments": [args.compiler, *FLAGS, *args.extra, "-c", str(source.relative_to(tree)),
                              "-o", str(source.relative_to(tree).with_suffix(".o"))]}
               for source in sources]
    (tree / "compile_commands.json").write_text(json.dumps(entries, indent=1) + "\n")
    print(f"leveldb-compdb: {len(entries)} translation units in {tree / 'compile_commands.json'}")


if __name__ == "__main__":
    main()
