#!/usr/bin/env python3
"""Runtime benchmarks: each workload built natively, with conc (conc-cc /
conc-c++) and with ThreadSanitizer (clang's own runtime), and the native build
run under Helgrind and DRD, side by side in alternation in one run (the
machines are shared and noisy, so only ratios taken together mean anything).
Prints Markdown tables of medians and ratios and a comparison with the
previous bench/results.json, and writes the tables to docs/performance.md and
the raw figures to bench/results.json.

Valgrind runs every thread on one core and is 50-500x slower than native, so
Helgrind and DRD run each workload at a smaller size; a native run at that
size (variant native-small) is their reference, so every ratio compares equal
work.
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKLOADS_DIR = ROOT / "bench" / "workloads"
SOURCES = ROOT / "bench" / "sources"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass
class Program:
    """An executable built once per build variant from sources (each compiled
    with its extra flags, in the program's directory) and linked with libs."""
    sources: list  # (path, extra flags)
    libs: list = field(default_factory=list)
    cwd: Path | None = None


@dataclass
class Workload:
    """A table row: one process of a program. `args` and `small_args` (the
    Helgrind/DRD size) may contain {tmp}, a scratch directory per variant that
    the rows of one program share within a round, in order."""
    description: str
    program: str
    args: list
    small_args: list


def cpp(name):
    return Program([(WORKLOADS_DIR / f"{name}.cpp", [])])


def leveldb():
    """LevelDB 1.20's library and db_bench, with the flags and sources
    leveldb-compdb.py takes from build_detect_platform."""
    spec = importlib.util.spec_from_file_location("leveldb_compdb", ROOT / "bench" / "leveldb-compdb.py")
    compdb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compdb)
    tree = SOURCES / "leveldb"
    flags = [f for f in compdb.FLAGS if f not in ("-O2", "-pthread")]  # the variant sets these
    units = compdb.library_sources(tree) + [tree / "db/db_bench.cc", tree / "util/testutil.cc"]
    return Program([(unit, flags) for unit in units], cwd=tree)


def sqlite():
    tree = SOURCES / "sqlite"
    return Program([(tree / "sqlite3.c", ["-DSQLITE_THREADSAFE=1"]),
                    (WORKLOADS_DIR / "sqlite_wal.c", [f"-I{tree}"])], libs=["-lm"])


PROGRAMS = {name: (lambda name=name: cpp(name))
            for name in ("compute", "locks", "read_mostly", "atomics", "short_threads", "million_mutexes")}
PROGRAMS.update({"db_bench": leveldb, "sqlite_wal": sqlite})


def db_bench(benchmark, existing):
    def args(num):
        return ["--threads=4", f"--benchmarks={benchmark}", f"--num={num}", "--db={tmp}/leveldb",
                f"--use_existing_db={int(existing)}"]
    return args(25000), args(1000)


WORKLOADS = {
    "compute": Workload("compute without sharing (matrix product of this size, 4 threads)", "compute", ["720"],
                        ["160"]),
    "locks": Workload("lock-heavy (bounded queue with condition variables, this many items per producer, and a "
                      "contended counter; 6 threads)", "locks", ["100000"], ["2000"]),
    "read_mostly": Workload("read-mostly (std::shared_mutex cache, 4 threads, this many operations each, 1 update "
                            "in 64)", "read_mostly", ["200000"], ["2000"]),
    "atomics": Workload("atomics-heavy (reference counting, seq_cst and relaxed counters; 4 threads, this many "
                        "rounds each)", "atomics", ["500000"], ["5000"]),
    "short_threads": Workload("many short threads (this many, created and joined 8 at a time)", "short_threads",
                              ["10000"], ["100"]),
    "million_mutexes": Workload("sync-object churn (this many pthread and as many std::mutex objects created, "
                                "locked, destroyed; 2 threads)", "million_mutexes", ["1000000"], ["5000"]),
    "leveldb_fillrandom": Workload("LevelDB 1.20 db_bench, fillrandom on a fresh database", "db_bench",
                                   *db_bench("fillrandom", False)),
    "leveldb_readrandom": Workload("LevelDB 1.20 db_bench, readrandom on the database fillrandom left", "db_bench",
                                   *db_bench("readrandom", True)),
    "leveldb_readwhilewriting": Workload("LevelDB 1.20 db_bench, readwhilewriting (4 readers and a writer) on the "
                                         "same database", "db_bench", *db_bench("readwhilewriting", True)),
    "sqlite_wal": Workload("SQLite (better-sqlite3's amalgamation, SQLITE_THREADSAFE=1): 4 threads, one "
                           "connection each, insert batches and query a WAL database (bench/workloads/"
                           "sqlite_wal.c; database, rows per thread)", "sqlite_wal", ["{tmp}/wal.db", "2000"],
                           ["{tmp}/wal.db", "100"]),
}
# Programs whose sources bench/fetch-sources.sh downloads.
FETCHED = ("db_bench", "sqlite_wal")

# Run variants: (build variant, CONC_OPTIONS or None, run under valgrind tool or None, small size).
# conc-races-only is conc's executable with the lock analyses off: data races
# and lock-order inversions, what ThreadSanitizer reports by default.
RUN_VARIANTS = {
    "native": ("native", None, None, False),
    "conc": ("conc", None, None, False),
    "conc-races-only": ("conc", "lock_analyses=0", None, False),
    "tsan": ("tsan", None, None, False),
    "conc-before": ("conc-before", None, None, False),
    "native-small": ("native", None, None, True),
    "helgrind": ("native", None, "helgrind", True),
    "drd": ("native", None, "drd", True),
}
TOOLS = ("native", "conc", "conc-races-only", "tsan", "helgrind", "drd")
LABELS = {"native": "native", "conc": "conc", "conc-races-only": "conc races-only", "tsan": "TSan",
          "helgrind": "Helgrind", "drd": "DRD", "conc-before": "conc before", "native-small": "native small"}
# Lines that start one report in each tool's output.
REPORT_PATTERNS = {"conc": r"^WARNING: conc:", "tsan": r"^WARNING: ThreadSanitizer:"}


def reference(variant):
    """The native variant a variant's slowdown and memory are measured against."""
    return "native-small" if RUN_VARIANTS[variant][3] else "native"


class Builder:
    """Compiles and links the programs per build variant into a work directory.
    An object is reused when its command was already run in this directory
    (the directory is fresh for each run unless --work-dir keeps one), and
    compiles go through ccache when it is installed."""

    def __init__(self, work: Path, compilers, jobs):
        self.work, self.compilers, self.jobs = work, compilers, jobs
        self.ccache = shutil.which("ccache")

    def compile(self, variant, source: Path, flags, cwd):
        c, cxx, common = self.compilers[variant]
        command = [cxx if source.suffix in (".cc", ".cpp") else c, *common, *flags, "-c", str(source)]
        key = hashlib.sha1(json.dumps([command, str(cwd), source.stat().st_mtime_ns]).encode()).hexdigest()[:16]
        obj = self.work / "obj" / variant / f"{source.stem}-{key}.o"
        if not obj.exists():
            obj.parent.mkdir(parents=True, exist_ok=True)
            partial = obj.with_suffix(".partial.o")
            launcher = [self.ccache] if self.ccache else []
            subprocess.run([*launcher, *command, "-o", str(partial)], check=True, cwd=cwd)
            partial.rename(obj)
        return obj

    def build(self, name, program: Program, variant):
        print(f"bench: building {name} ({variant}, {len(program.sources)} units)", file=sys.stderr, flush=True)
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            objects = list(pool.map(lambda unit: self.compile(variant, unit[0], unit[1], program.cwd),
                                    program.sources))
        c, cxx, common = self.compilers[variant]
        cplusplus = any(source.suffix in (".cc", ".cpp") for source, _ in program.sources)
        exe = self.work / "bin" / f"{name}-{variant}"
        exe.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([cxx if cplusplus else c, *common, *map(str, objects), *program.libs, "-o", str(exe)],
                       check=True)
        return exe


def compilers(bin_dir: Path, clangxx: str, baseline: Path | None):
    """Per build variant: (C compiler, C++ compiler, flags for compiling and linking)."""
    clang = clangxx.replace("clang++", "clang")
    # DWARF 4: valgrind 3.19 (Debian 12) does not read all of clang 16's DWARF 5.
    result = {"native": (clang, clangxx, ["-O2", "-gdwarf-4", "-pthread"]),
              "conc": (str(bin_dir / "conc-cc"), str(bin_dir / "conc-c++"), ["-O2", "-g"]),
              "tsan": (clang, clangxx, ["-O2", "-g", "-fsanitize=thread"])}
    if baseline:
        result["conc-before"] = (str(baseline / "conc-cc"), str(baseline / "conc-c++"), ["-O2", "-g"])
    return result


def count_reports(variant, stderr, build):
    if RUN_VARIANTS[variant][2]:
        match = re.search(r"ERROR SUMMARY: (\d+) errors", stderr)
        return int(match.group(1)) if match else 0
    pattern = REPORT_PATTERNS.get("conc" if build.startswith("conc") else build)
    return len(re.findall(pattern, stderr, re.M)) if pattern else 0


def measure(variant, exe: Path, args, env, timeout):
    """Wall seconds, peak RSS (MiB), CPU seconds (user + system) and reports of
    one run. The process is started by GNU time, whose own rusage is small:
    a child forked from this Python process would count Python's RSS as its
    own peak (Linux keeps the pre-exec high-water mark). A valgrind run is
    measured on the valgrind process, which is the client's too."""
    build, options, tool, _ = RUN_VARIANTS[variant]
    command = [str(exe), *args]
    if tool:
        command = ["valgrind", f"--tool={tool}", "--error-limit=no", *command]
    run_env = dict(env, CONC_OPTIONS=options) if options else env
    # stderr to a file, not a pipe: reports can be long.
    with tempfile.NamedTemporaryFile() as usage, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(["time", "-f", "%M %U %S", "-o", usage.name, *command], env=run_env,
                                   stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group: time and what it runs
            process.wait()
            raise RuntimeError(f"timed out after {timeout:.0f} s") from None
        elapsed = time.monotonic() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        fields = Path(usage.name).read_text().split()
    reports = count_reports(variant, stderr, build)
    if code not in (0, 66) or (code == 66 and not reports):
        raise RuntimeError(f"exited {code}: {stderr[-1500:]}")
    max_kib, user, system = (float(f) for f in fields[-3:])  # after "Command exited..." lines, if any
    return {"seconds": elapsed, "peak_mib": max_kib / 1024, "cpu_seconds": user + system, "reports": reports}


def fetch_sources():
    """True when bench/sources holds LevelDB and SQLite (fetching them if needed)."""
    if (SOURCES / "leveldb").is_dir() and (SOURCES / "sqlite").is_dir():
        return True
    return subprocess.run([str(ROOT / "bench" / "fetch-sources.sh")]).returncode == 0


def summarize(samples):
    ok = [s for s in samples if "error" not in s]
    if not ok:
        return {"error": samples[-1]["error"], "samples": samples}
    return {"seconds": statistics.median(s["seconds"] for s in ok),
            "peak_mib": statistics.median(s["peak_mib"] for s in ok),
            "cpu_seconds": statistics.median(s["cpu_seconds"] for s in ok),
            "reports": max(s["reports"] for s in ok),
            **({"failed_runs": len(samples) - len(ok)} if len(ok) < len(samples) else {}),
            "samples": samples}


def run_rows(rows, variants, exes, scratch_root: Path, args, env, loads):
    """Runs the rows of one program in rounds, the variants alternating within
    each round: {row: {variant: [sample...]}}. Each variant has its own scratch
    directory, where a row finds what the previous rows of its round left."""
    samples = {row: {v: [] for v in variants} for row in rows}
    for run in range(args.runs):
        for row in rows:
            for variant in variants:
                scratch = scratch_root / variant
                scratch.mkdir(parents=True, exist_ok=True)
                workload = WORKLOADS[row]
                row_args = [a.format(tmp=scratch)
                            for a in (workload.small_args if RUN_VARIANTS[variant][3] else workload.args)]
                loads.append(os.getloadavg()[0])
                try:
                    sample = measure(variant, exes[RUN_VARIANTS[variant][0]], row_args, env, args.timeout)
                    outcome = f"{sample['seconds']:.2f} s, {sample['peak_mib']:.0f} MiB, {sample['reports']} reports"
                except RuntimeError as error:
                    sample = {"error": str(error).splitlines()[0]}
                    outcome = str(error)
                print(f"bench: {row} {variant} run {run + 1}/{args.runs}: {outcome}", file=sys.stderr, flush=True)
                samples[row][variant].append(sample)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", type=Path, default=ROOT / "build" / "bin")
    parser.add_argument("--clangxx", default="clang++-16")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="comma-separated workloads: " + ",".join(WORKLOADS))
    parser.add_argument("--tools", default=",".join(TOOLS),
                        help="comma-separated tools (native always runs): " + ",".join(TOOLS))
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel compiles")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before one run is abandoned")
    parser.add_argument("--work-dir", type=Path, help="keep builds here and reuse them (default: a fresh temp dir)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ and results alone")
    parser.add_argument("--baseline", type=Path,
                        help="bin/ of an earlier build: its conc runs alongside, for before/after ratios")
    args = parser.parse_args()
    args.bin = args.bin.resolve()

    names = args.only.split(",") if args.only else list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    tools = ["native", *[t for t in args.tools.split(",") if t != "native"]]
    if unknown or any(t not in TOOLS for t in tools):
        parser.error(f"unknown workload or tool: {', '.join(unknown + [t for t in tools if t not in TOOLS])}")
    if not shutil.which("time"):
        parser.error("GNU time is needed to measure peak memory (scripts/install-deps.sh installs it)")
    notes = []
    if any(t in ("helgrind", "drd") for t in tools) and not shutil.which("valgrind"):
        notes.append("valgrind is not installed (scripts/install-deps.sh installs it): Helgrind and DRD skipped.")
        tools = [t for t in tools if t not in ("helgrind", "drd")]
    if any(WORKLOADS[n].program in FETCHED for n in names) and not fetch_sources():
        notes.append("bench/fetch-sources.sh failed (npm missing or offline): LevelDB and SQLite skipped.")
        names = [n for n in names if WORKLOADS[n].program not in FETCHED]
    for note in notes:
        print(f"bench: {note}", file=sys.stderr)
    variants = list(tools)
    if args.baseline:
        variants.insert(variants.index("conc") + 1 if "conc" in variants else 1, "conc-before")
    if any(RUN_VARIANTS[v][3] for v in variants):
        variants.append("native-small")

    env = {k: v for k, v in os.environ.items() if k not in ("CONC_OPTIONS", "TSAN_OPTIONS")}
    previous = ROOT / "bench" / "results.json"
    before = json.loads(previous.read_text()) if previous.exists() else None
    loads = [os.getloadavg()[0]]
    started = time.monotonic()
    results = {}
    with tempfile.TemporaryDirectory(prefix="conc-bench-") as tmp:
        work = args.work_dir.resolve() if args.work_dir else Path(tmp)
        builder = Builder(work, compilers(args.bin, args.clangxx, args.baseline), args.jobs)
        builds = sorted({RUN_VARIANTS[v][0] for v in variants}, key=list(RUN_VARIANTS).index)
        # Rows of one program run together so that later rows find the files earlier ones left.
        by_program = {}
        for name in names:
            by_program.setdefault(WORKLOADS[name].program, []).append(name)
        for program, rows in by_program.items():
            exes = {b: builder.build(program, PROGRAMS[program](), b) for b in builds}
            samples = run_rows(rows, variants, exes, Path(tmp) / "scratch", args, env, loads)
            for row in rows:
                results[row] = {variant: summarize(s) for variant, s in samples[row].items()}
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": git_head(), "runs": args.runs, "minutes": round((time.monotonic() - started) / 60, 1),
            "load_average": [round(min(loads), 1), round(statistics.median(loads), 1), round(max(loads), 1)],
            "cores": os.cpu_count(), "notes": notes,
            "arguments": {row: {"full": WORKLOADS[row].args, "helgrind_drd": WORKLOADS[row].small_args}
                          for row in results}}
    report = render(results, meta)
    print(report)
    if before:
        print(compare(before, results))
    if not args.no_write:
        previous.write_text(json.dumps({"meta": meta, "workloads": results}, indent=1) + "\n")
        write_docs(report)


def git_head():
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or None


def ratio(results, row, variant, base, key="seconds"):
    r = results[row]
    if variant not in r or base not in r or "error" in r[variant] or "error" in r[base]:
        return None
    return r[variant][key] / r[base][key]


def cell(value, suffix="x", digits=1):
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def render(results, meta):
    present = [v for v in (*TOOLS[1:4], "conc-before", *TOOLS[4:])
               if any(v in r for r in results.values())]
    heads = " | ".join(LABELS[v] for v in present)
    rate = " | ".join("---:" for _ in present)
    lo, median, hi = meta["load_average"]
    lines = [
        f"Medians of {meta['runs']} runs taken in alternation in one run (`make bench`, commit {meta['commit']}, "
        f"{meta['date']}, {meta['minutes']} min); {meta['cores']} cores shared with other work, load average "
        f"{lo}-{hi} (median {median}) during the run. Helgrind and DRD ran the native build at the smaller "
        "size given below, and their ratios are against a native run at that size. Subsets: "
        "`make bench BENCH_ARGS='--only compute,locks --tools conc,tsan'`.",
        "", *[f"Note: {n}\n" for n in meta["notes"]],
        "**Time** (slowdown against native; reports = reports printed by conc / conc races-only / TSan / "
        "Helgrind / DRD):", "",
        f"| workload | native s | {heads} | conc / TSan time | conc / TSan CPU | races-only / TSan time | reports |",
        f"|---|---:| {rate} | ---:| ---:| ---:|---|",
    ]
    for row, r in results.items():
        native = r["native"]
        slowdowns = " | ".join(cell(ratio(results, row, v, reference(v))) if "error" not in r.get(v, {}) else
                               "failed" for v in present)
        reports = "/".join(str(r[v].get("reports", "—")) if v in r else "—"
                           for v in ("conc", "conc-races-only", "tsan", "helgrind", "drd"))
        lines.append(f"| {row} | {cell(native.get('seconds'), '', 2)} | {slowdowns} | "
                     f"{cell(ratio(results, row, 'conc', 'tsan'), '', 2)} | "
                     f"{cell(ratio(results, row, 'conc', 'tsan', 'cpu_seconds'), '', 2)} | "
                     f"{cell(ratio(results, row, 'conc-races-only', 'tsan'), '', 2)} | {reports} |")
    lines += ["", "**Peak memory** (RSS; ratio against native):", "",
              f"| workload | native MiB | {heads} | conc / TSan | races-only / TSan |",
              f"|---|---:| {rate} | ---:| ---:|"]
    for row, r in results.items():
        ratios = " | ".join(cell(ratio(results, row, v, reference(v), "peak_mib")) for v in present)
        lines.append(f"| {row} | {cell(r['native'].get('peak_mib'), '', 0)} | {ratios} | "
                     f"{cell(ratio(results, row, 'conc', 'tsan', 'peak_mib'), '', 2)} | "
                     f"{cell(ratio(results, row, 'conc-races-only', 'tsan', 'peak_mib'), '', 2)} |")
    lines += ["", "**Geometric means** over the workloads each variant finished:", "",
              "| variant | slowdown vs native | memory vs native | time vs TSan | memory vs TSan |",
              "|---|---:|---:|---:|---:|"]
    for v in present:
        def geomean(base, key):
            values = [x for row in results if (x := ratio(results, row, v, base, key)) is not None]
            return statistics.geometric_mean(values) if values else None
        vs_tsan = v != "tsan" and not RUN_VARIANTS[v][3]
        lines.append(f"| {LABELS[v]} | {cell(geomean(reference(v), 'seconds'))} | "
                     f"{cell(geomean(reference(v), 'peak_mib'), 'x', 2)} | "
                     f"{cell(geomean('tsan', 'seconds') if vs_tsan else None, '', 2)} | "
                     f"{cell(geomean('tsan', 'peak_mib') if vs_tsan else None, '', 2)} |")
    def command(row, small):
        w = WORKLOADS[row]
        return " ".join([w.program, *(w.small_args if small else w.args)]).replace("{tmp}", "DIR")
    lines += ["", *[f"- `{row}`: {WORKLOADS[row].description}: `{command(row, False)}`, under Helgrind and DRD "
                    f"`{command(row, True)}`" for row in results]]
    return "\n".join(lines) + "\n"


def compare(before, after):
    """Slowdown and memory ratios of the previous results.json against this run's."""
    old = before.get("workloads", before)  # results.json before the meta block had the workloads at top level
    lines = ["Against the previous bench/results.json (slowdown vs native; memory vs native):", "",
             "| workload | variant | slowdown before | now | memory before | now |", "|---|---|---:|---:|---:|---:|"]
    for row, r in after.items():
        for v in r:
            if v.startswith("native") or row not in old or v not in old[row]:
                continue
            base = reference(v)
            if base not in old[row] or "error" in old[row][v]:
                continue
            was = {k: old[row][v][k] / old[row][base][k] for k in ("seconds", "peak_mib")}
            lines.append(f"| {row} | {LABELS[v]} | {was['seconds']:.1f}x | {cell(ratio(after, row, v, base))} | "
                         f"{was['peak_mib']:.2f}x | {cell(ratio(after, row, v, base, 'peak_mib'), 'x', 2)} |")
    return "\n".join(lines) + "\n"


def write_docs(report):
    page = ROOT / "docs" / "performance.md"
    text = page.read_text() if page.exists() else "# Performance\n"
    block = f"{BEGIN}\n{report}{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text += "\n" + block + "\n"
    page.write_text(text)


if __name__ == "__main__":
    main()
