#!/usr/bin/env python3
"""Runtime benchmarks: each workload built natively, with conc (conc-c++) and
with ThreadSanitizer (clang's own runtime), run side by side in alternation in
one run (the machines are shared and noisy, so only ratios taken together
mean anything). Prints a Markdown table of medians and ratios, and writes it to
docs/performance.md and the raw figures to bench/results.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKLOADS = {
    "compute": "compute without sharing (matrix product, 4 threads)",
    "locks": "lock-heavy (bounded queue with condition variables, contended counter)",
    "atomics": "atomics-heavy (reference counting, seq_cst and relaxed counters)",
    "million_mutexes": "sync-object churn (1,000,000 pthread and 1,000,000 std::mutex created, locked, destroyed)",
}


def variants(bin_dir: Path, clangxx: str, baseline: Path | None):
    builds = {
        "native": [clangxx, "-O2", "-g", "-pthread"],
        "conc": [str(bin_dir / "conc-c++"), "-O2"],
        "tsan": [clangxx, "-O2", "-g", "-fsanitize=thread"],
    }
    if baseline:
        builds["conc-before"] = [str(baseline / "conc-c++"), "-O2"]
    return builds


# Variants that run another variant's executable with CONC_OPTIONS set:
# conc with its lock analyses off, to measure what they cost.
OPTION_VARIANTS = {"conc-races-only": ("conc", "lock_analyses=0")}


def run_once(exe: Path, env):
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one run of exe."""
    started = time.monotonic()
    process = subprocess.Popen([str(exe)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{exe.name} exited {code}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", type=Path, default=ROOT / "build" / "bin")
    parser.add_argument("--clangxx", default="clang++-16")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="comma-separated workload names")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ and results alone")
    parser.add_argument("--baseline", type=Path,
                        help="bin/ of an earlier build: its conc runs alongside, for before/after ratios")
    args = parser.parse_args()

    names = args.only.split(",") if args.only else list(WORKLOADS)
    builds = variants(args.bin, args.clangxx, args.baseline)
    env = dict(os.environ)
    env.pop("CONC_OPTIONS", None)
    env.pop("TSAN_OPTIONS", None)
    results = {}
    with tempfile.TemporaryDirectory(prefix="conc-bench-") as tmp:
        for name in names:
            source = ROOT / "bench" / "workloads" / f"{name}.cpp"
            exes = {}
            for variant, command in builds.items():
                exe = Path(tmp) / f"{name}-{variant}"
                print(f"bench: building {name} ({variant})", file=sys.stderr, flush=True)
                subprocess.run([*command, str(source), "-o", str(exe)], check=True)
                exes[variant] = exe
            runs = {variant: (exe, env) for variant, exe in exes.items()}
            for variant, (base, options) in OPTION_VARIANTS.items():
                runs[variant] = (exes[base], dict(env, CONC_OPTIONS=options))
            samples = {variant: [] for variant in runs}
            for run in range(args.runs):
                for variant, (exe, run_env) in runs.items():  # alternate variants within each round
                    print(f"bench: {name} {variant} run {run + 1}/{args.runs}", file=sys.stderr, flush=True)
                    samples[variant].append(run_once(exe, run_env))
            results[name] = {
                variant: {
                    "seconds": statistics.median(s[0] for s in runs),
                    "peak_mib": statistics.median(s[1] for s in runs),
                    "cpu_seconds": statistics.median(s[2] for s in runs),
                    "samples": runs,
                }
                for variant, runs in samples.items()
            }

    table = render(results, args.runs)
    print(table)
    if not args.no_write:
        (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        page = ROOT / "docs" / "performance.md"
        text = page.read_text() if page.exists() else "# Performance\n"
        start, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        block = f"{start}\n{table}{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            text += "\n" + block + "\n"
        page.write_text(text)


def render(results, runs):
    baseline = any("conc-before" in r for r in results.values())
    before_heads = " before / TSan time | before / TSan CPU | before / TSan memory |" if baseline else ""
    lines = [
        f"Medians of {runs} runs taken in alternation in one run (`make bench`); CPU is user + system time.",
        "",
        "| workload | native s | conc s | TSan s | conc slowdown | TSan slowdown | conc / TSan time "
        "| conc / TSan CPU | native MiB | conc MiB | TSan MiB | conc / TSan memory | conc races-only s "
        f"| lock analyses cost |{before_heads}",
        "|---|" + "---:|" * (13 + 3 * baseline),
    ]
    slow_ratio = []
    for name, r in results.items():
        n, c, t, ro = r["native"], r["conc"], r["tsan"], r["conc-races-only"]
        slow_ratio.append(c["seconds"] / t["seconds"])
        before = ""
        if baseline:
            b = r["conc-before"]
            before = (f" {b['seconds'] / t['seconds']:.2f} | {b['cpu_seconds'] / t['cpu_seconds']:.2f} | "
                      f"{b['peak_mib'] / t['peak_mib']:.2f} |")
        lines.append(
            f"| {name} | {n['seconds']:.2f} | {c['seconds']:.2f} | {t['seconds']:.2f} | "
            f"{c['seconds'] / n['seconds']:.1f}x | {t['seconds'] / n['seconds']:.1f}x | "
            f"{c['seconds'] / t['seconds']:.2f} | {c['cpu_seconds'] / t['cpu_seconds']:.2f} | "
            f"{n['peak_mib']:.0f} | {c['peak_mib']:.0f} | "
            f"{t['peak_mib']:.0f} | {c['peak_mib'] / t['peak_mib']:.2f} | {ro['seconds']:.2f} | "
            f"{c['seconds'] / ro['seconds']:.2f}x |{before}")
    geomean = statistics.geometric_mean(slow_ratio) if slow_ratio else float("nan")
    lines += ["", f"Geometric mean of conc / TSan time: {geomean:.2f}", ""]
    for name in results:
        lines.append(f"- `{name}`: {WORKLOADS[name]}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
