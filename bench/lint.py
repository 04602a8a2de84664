#!/usr/bin/env python3
"""Static-analysis benchmark: conc-lint against `clang -fsyntax-only` over the
same translation units at the same parallelism, plus clang-tidy (concurrency-*
checks) and cppcheck, on LevelDB 1.20's library and on the SQLite
amalgamation (bench/sources, see fetch-sources.sh). Medians of alternating
runs (the machines are shared and noisy: compare the ratios of one run).
Prints a Markdown table and writes it to docs/performance.md between the
lint-bench markers and the raw figures to bench/lint-results.json.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "bench" / "sources"
BEGIN, END = "<!-- lint-bench:begin -->", "<!-- lint-bench:end -->"
TOOLS = ("clang-fsyntax-only", "conc-lint", "clang-tidy", "cppcheck")


def prepare_leveldb():
    """LevelDB's library: (directory, compile commands)."""
    tree = SOURCES / "leveldb"
    subprocess.run([sys.executable, str(ROOT / "bench" / "leveldb-compdb.py"), "--tree", str(tree)],
                   check=True, stdout=subprocess.DEVNULL)
    return tree, json.loads((tree / "compile_commands.json").read_text())


def prepare_sqlite():
    """The amalgamation as one unit, built the way its docs suggest for threads."""
    tree = SOURCES / "sqlite"
    source = tree / "sqlite3.c"
    entries = [{"directory": str(tree), "file": str(source),
                "arguments": ["clang-16", "-std=gnu17", "-pthread", "-O2", "-DSQLITE_THREADSAFE=1",
                              "-c", "sqlite3.c", "-o", "sqlite3.o"]}]
    (tree / "compile_commands.json").write_text(json.dumps(entries, indent=1) + "\n")
    return tree, entries


TARGETS = {"leveldb": ("LevelDB 1.20 library", prepare_leveldb),
           "sqlite": ("SQLite amalgamation", prepare_sqlite)}


def run_process(command, cwd):
    """(exit status, peak RSS in MiB, stdout, stderr) of one process; wait4
    rather than communicate() so that the rusage is the child's own."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
    out_chunks, err_chunks = [], []
    readers = [threading.Thread(target=lambda s=s, c=c: c.append(s.read()))
               for s, c in ((process.stdout, out_chunks), (process.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    decode = lambda chunks: b"".join(chunks).decode(errors="replace")
    return process.returncode, usage.ru_maxrss / 1024, decode(out_chunks), decode(err_chunks)


def per_unit(entries, make_command, jobs):
    """Runs one process per unit, `jobs` at a time: (peak RSS of any, outputs)."""
    def one(entry):
        return run_process(make_command(entry), entry["directory"])
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, entries))
    return max(r[1] for r in results), [r[2] + r[3] for r in results]


def syntax_only(entry):
    args = list(entry["arguments"])
    compiler = "clang++-16" if args[0].startswith("clang++") or not entry["file"].endswith(".c") else "clang-16"
    kept, skip = [], False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg == "-o":
            skip = True
        elif arg != "-c":
            kept.append(arg)
    return [compiler, "-fsyntax-only", *kept]


def unique_lines(outputs, pattern):
    found = set()
    for text in outputs:
        found.update(m.group(0) for m in re.finditer(pattern, text, re.M))
    return len(found)


def measure(tool, tree, entries, args):
    """(wall seconds, peak RSS MiB, findings or None)."""
    files = [e["file"] for e in entries]
    started = time.monotonic()
    if tool == "clang-fsyntax-only":
        rss, _ = per_unit(entries, syntax_only, args.jobs)
        findings = None
    elif tool == "conc-lint":
        code, rss, out, err = run_process(
            [str(args.bin / "conc-lint"), f"-j{args.jobs}", "-p", str(tree), "--format=json", *files], tree)
        if code not in (0, 1):
            raise RuntimeError(f"conc-lint exited {code}:\n{err[-2000:]}")
        findings = json.loads(out)["stats"]["findings"]
    elif tool == "clang-tidy":
        rss, outputs = per_unit(entries, lambda e: ["clang-tidy-16", "-p", str(tree), "--quiet",
                                                    "--checks=-*,concurrency-*", e["file"]], args.jobs)
        findings = unique_lines(outputs, r"^\S+:\d+:\d+: warning: .*\[concurrency-[^\]]*\]$")
    else:  # cppcheck: its own -j over the project
        code, rss, out, err = run_process(
            ["cppcheck", f"--project={tree / 'compile_commands.json'}", f"-j{args.jobs}", "--quiet",
             "--enable=warning", "--template={file}:{line}:{severity}:{id}"], tree)
        findings = unique_lines([err], r"^\S+:\d+:(error|warning):\w+$")
    return time.monotonic() - started, rss, findings


def table(results, targets):
    lines = ["| program | tool | wall (s) | vs clang -fsyntax-only | peak RSS (MiB) | findings |",
             "|---|---|---:|---:|---:|---:|"]
    for target in targets:
        base = results[target]["tools"]["clang-fsyntax-only"]["wall"]
        for tool, row in results[target]["tools"].items():
            findings = "—" if row["findings"] is None else str(row["findings"])
            lines.append(f"| {TARGETS[target][0]} ({results[target]['units']} TUs) | {tool} | "
                         f"{row['wall']:.1f} | {row['wall'] / base:.2f}x | {row['rss']:.0f} | {findings} |")
    return "\n".join(lines)


def write_docs(markdown, args):
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text() if doc.exists() else "# Performance\n"
    section = (f"{BEGIN}\n"
               f"Medians of {args.runs} alternating runs, -j{args.jobs}, `python3 bench/lint.py`. "
               "Peak RSS: conc-lint and cppcheck are one process for all units; for clang and "
               "clang-tidy it is the largest single per-unit process.\n\n"
               f"{markdown}\n{END}")
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Static analysis (conc-lint)\n\n" + section + "\n"
    doc.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", type=Path, default=ROOT / "build" / "bin")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--only", help="comma-separated programs: " + ",".join(TARGETS))
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ and results alone")
    args = parser.parse_args()
    args.bin = args.bin.resolve()

    targets = args.only.split(",") if args.only else list(TARGETS)
    tools = [t for t in TOOLS if t in args.tools.split(",")]
    if "clang-fsyntax-only" not in tools:
        parser.error("clang-fsyntax-only is the reference and must run")
    results = {}
    for target in targets:
        tree, entries = TARGETS[target][1]()
        samples = {tool: [] for tool in tools}
        for run in range(args.runs):
            for tool in tools:  # alternating, so drifts in load hit every tool alike
                wall, rss, findings = measure(tool, tree, entries, args)
                samples[tool].append((wall, rss, findings))
                print(f"{target} run {run + 1}: {tool} {wall:.1f}s {rss:.0f}MiB findings={findings}",
                      file=sys.stderr)
        results[target] = {"units": len(entries), "tools": {}}
        for tool, runs in samples.items():
            results[target]["tools"][tool] = {"wall": statistics.median(r[0] for r in runs),
                                     "rss": statistics.median(r[1] for r in runs),
                                     "findings": runs[-1][2], "walls": [r[0] for r in runs]}
    markdown = table(results, targets)
    print(markdown)
    if not args.no_write:
        write_docs(markdown, args)
        (ROOT / "bench" / "lint-results.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
