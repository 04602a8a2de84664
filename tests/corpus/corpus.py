#!/usr/bin/env python3
"""The corpus driver: builds each labelled corpus program, runs conc's runtime
and conc-lint on it, and compares what they report with the program's header.

Header format (comment lines at the top of every corpus program):

    // conc-hazard: ROW short description        (row of shared/hazards.md)
    // conc-expect-runtime: KIND [KIND...] | none (runtime report kinds)
    // conc-expect-lint: CHECK:LINE [CHECK:LINE...] | none
    // conc-run: [timeout=SECONDS] [runs=N] [args=A,B,...]
    // conc-compilers: clang gcc                  (optional; default both)
    // conc-xfail: TOOL[/COMPILER] ... -- reason  (optional; a known miss)

A known miss (lit's XFAIL) keeps the true label in the header while a tool
cannot yet meet it: `check` reports it as "xfail" without failing, and fails
when the tool starts to match ("xpass") so that the marker is removed. The
scorer ignores the marker: a known miss still counts against the tool.

A program's category is its folder under corpus/. `check` fails on any
mismatch and names the program, the expected and the actual findings. `score`
prints precision and recall per tool and per category as a Markdown table.
`differential` runs ThreadSanitizer itself beside conc's runtime on the kinds
both can report and, where they disagree, says which one the label backs; it
fails only when conc is the one that is wrong.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = {
    "shared-data": "Shared data",
    "locks": "Locks",
    "waiting": "Waiting and signalling",
    "threads": "Threads and processes",
}
SOURCE_SUFFIXES = {".c", ".cc", ".cpp", ".cxx"}
RUNTIME_KINDS = {
    "data-race", "lock-order-inversion", "deadlock", "abandoned-lock", "starvation",
    "livelock", "hang", "mutex-misuse", "thread-leak",
}
HEADER = re.compile(r"^//\s*conc-([a-z-]+):\s*(.*?)\s*$")


class CorpusError(Exception):
    """A malformed corpus header or a broken tool; reported as one line."""


@dataclass
class Program:
    path: Path
    category: str
    hazard: str = ""
    runtime: set = field(default_factory=set)
    lint: set = field(default_factory=set)
    timeout: float = 10.0
    runs: int = 1
    args: list = field(default_factory=list)
    compilers: list = field(default_factory=lambda: ["clang", "gcc"])
    xfail: set = field(default_factory=set)  # "lint", "runtime" or "runtime/gcc"

    def expected_to_fail(self, tool):
        return tool in self.xfail or tool.split("/")[0] in self.xfail

    @property
    def name(self):
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def is_cxx(self):
        return self.path.suffix != ".c"


def parse_program(path: Path) -> Program:
    program = Program(path=path, category=path.parent.name)
    seen = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = HEADER.match(line)
        if not match:
            if line.startswith("//"):
                continue
            break
        key, value = match.groups()
        seen.add(key)
        if key == "hazard":
            program.hazard = value
        elif key == "expect-runtime":
            kinds = set(value.split()) - {"none"}
            unknown = kinds - RUNTIME_KINDS
            if unknown:
                raise CorpusError(f"{path}:{number}: unknown runtime kind {sorted(unknown)}")
            program.runtime = kinds
        elif key == "expect-lint":
            program.lint = set()
            for item in value.split():
                if item == "none":
                    continue
                check, _, lineno = item.partition(":")
                if not lineno.isdigit():
                    raise CorpusError(f"{path}:{number}: expected CHECK:LINE, got '{item}'")
                program.lint.add((check, int(lineno)))
        elif key == "run":
            for item in value.split():
                name, _, setting = item.partition("=")
                if name == "timeout":
                    program.timeout = float(setting)
                elif name == "runs":
                    program.runs = int(setting)
                elif name == "args":
                    program.args = setting.split(",") if setting else []
                else:
                    raise CorpusError(f"{path}:{number}: unknown conc-run setting '{name}'")
        elif key == "compilers":
            program.compilers = value.split()
        elif key == "xfail":
            tools, _, reason = value.partition("--")
            if not reason.strip():
                raise CorpusError(f"{path}:{number}: conc-xfail needs '-- reason'")
            program.xfail = {"lint" if t == "conc-lint" else t for t in tools.split()}
        else:
            raise CorpusError(f"{path}:{number}: unknown header key 'conc-{key}'")
    missing = {"hazard", "expect-runtime", "expect-lint"} - seen
    if missing:
        raise CorpusError(f"{path}: header lacks {', '.join('conc-' + m for m in sorted(missing))}")
    return program


def discover(corpus: Path, only=None):
    paths = sorted(p for p in corpus.rglob("*") if p.suffix in SOURCE_SUFFIXES)
    if only:
        paths = [p for p in paths if str(p).endswith(only)]
    return [parse_program(p) for p in paths]


# ---------------------------------------------------------------------------
# Tools. Each returns the set of findings in the catalogue's terms.

def build(program: Program, tools: Path, compiler: str, workdir: Path, flags=None, tag="conc") -> Path:
    """With flags=None: conc's wrappers (CONC_COMPILER picks gcc); otherwise
    the plain compiler with the peer's flags."""
    exe = workdir / f"{program.path.stem}-{tag}-{Path(compiler).name}"
    standard = ["-std=c++20"] if program.is_cxx else []
    if flags is None:
        driver = tools / ("conc-c++" if program.is_cxx else "conc-cc")
        env = dict(os.environ, CONC_COMPILER=compiler if compiler == "gcc" else "")
        command = [str(driver), *standard, "-O1", str(program.path), "-o", str(exe)]
    else:
        env = dict(os.environ)
        command = [compiler, *standard, *flags, "-O1", str(program.path), "-o", str(exe), "-pthread"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CorpusError(f"{program.name}: build with {compiler} failed:\n{result.stderr.strip()}")
    return exe


def run_with_timeout(command, env, timeout):
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout), False
    except subprocess.TimeoutExpired:
        return None, True


def conc_runtime(program: Program, tools: Path, compiler: str, workdir: Path) -> set:
    exe = build(program, tools, compiler, workdir)
    kinds = set()
    for run in range(program.runs):
        report = workdir / f"{exe.name}.{run}.jsonl"
        env = dict(os.environ, CONC_OPTIONS=f"report_format=json:report_path={report}")
        result, timed_out = run_with_timeout([str(exe), *program.args], env, program.timeout)
        if timed_out:
            kinds.add("timeout")
        elif result.returncode not in (0, 66):
            kinds.add(f"exit-{result.returncode}")
        if report.exists():
            for line in report.read_text().splitlines():
                kinds.add(json.loads(line)["kind"])
    return kinds


@dataclass
class Peer:
    """A peer tool whose text output is mapped to the catalogue's kinds: a
    small adapter of regular expressions, each to a kind (None: not a finding
    of any catalogue kind, ignored)."""
    name: str
    flags: list               # compile flags (the peer builds with its own compiler)
    prefix: list              # command run before the program
    patterns: list            # (regex, kind)
    env: dict = field(default_factory=dict)
    gcc: bool = False         # build with gcc (valgrind cannot read clang's DWARF 5)

    def findings(self, program: Program, clang: str, workdir: Path) -> set:
        if self.gcc:
            compiler = "g++" if program.is_cxx else "gcc"
        else:
            compiler = clang.replace("clang", "clang++") if program.is_cxx else clang
        exe = build(program, Path(), compiler, workdir, flags=self.flags, tag=self.name)
        kinds = set()
        for _ in range(program.runs):
            env = dict(os.environ, **self.env)
            result, timed_out = run_with_timeout([*self.prefix, str(exe), *program.args], env,
                                                 program.timeout * 10)
            if timed_out:
                kinds.add("timeout")
                continue
            for pattern, kind in self.patterns:
                if kind and re.search(pattern, result.stderr):
                    kinds.add(kind)
        return kinds


THREAD_SANITIZER = Peer(
    name="ThreadSanitizer", flags=["-fsanitize=thread", "-g"], prefix=[],
    env={"TSAN_OPTIONS": "report_signal_unsafe=0"},
    patterns=[
        (r"ThreadSanitizer: data race", "data-race"),
        (r"ThreadSanitizer: lock-order-inversion", "lock-order-inversion"),
        (r"ThreadSanitizer: (unlock of an unlocked|destroy of a locked|double lock of a|"
         r"read lock of a write locked|read unlock of a write locked) mutex", "mutex-misuse"),
        (r"ThreadSanitizer: thread leak", "thread-leak"),
    ])

HELGRIND = Peer(
    name="Helgrind", flags=["-g", "-gdwarf-4"], gcc=True,
    prefix=["valgrind", "--tool=helgrind", "-q", "--error-exitcode=0"],
    patterns=[
        (r"Possible data race during", "data-race"),
        (r"lock order \".*\" violated", "lock-order-inversion"),
        (r"unlocked a not-locked lock|unlocked lock .* currently held by|re-lock a non-recursive lock|"
         r"pthread_mutex_destroy of a locked mutex|associated with a different mutex|"
         r"pthread_cond_\w+: dubious|pthread_barrier_\w+: ", "mutex-misuse"),
        (r"Exiting thread still holds", "abandoned-lock"),
    ])

DRD = Peer(
    name="DRD", flags=["-g", "-gdwarf-4"], gcc=True,
    prefix=["valgrind", "--tool=drd", "-q", "--error-exitcode=0"],
    patterns=[
        (r"Conflicting (load|store) by thread", "data-race"),
        (r"Mutex not locked|Destroying locked mutex|Recursive locking not allowed|"
         r"Probably a race condition: condition variable|Barrier reinitialization|"
         r"not locked by calling thread", "mutex-misuse"),
    ])

PEERS = [THREAD_SANITIZER, HELGRIND, DRD]
# The kinds a peer can report at all: the differential test compares only these.
TSAN_KINDS = {"data-race", "lock-order-inversion", "mutex-misuse", "thread-leak"}


def conc_lint(program: Program, tools: Path) -> set:
    result = subprocess.run([str(tools / "conc-lint"), "--format=json", str(program.path)],
                            capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise CorpusError(f"{program.name}: conc-lint exited {result.returncode}: {result.stderr.strip()}")
    try:
        findings = json.loads(result.stdout)["findings"]
    except (ValueError, KeyError) as error:
        raise CorpusError(f"{program.name}: conc-lint printed no JSON findings ({error})")
    return {(f["check"], f["line"]) for f in findings}


# ---------------------------------------------------------------------------

def show(findings):
    items = sorted(":".join(map(str, f)) if isinstance(f, tuple) else f for f in findings)
    return " ".join(items) if items else "none"


def check(programs, tools: Path, compilers, skip_lint: bool) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="conc-corpus-") as tmp:
        for program in programs:
            results = []
            for compiler in compilers:
                if compiler not in program.compilers:
                    continue
                actual = conc_runtime(program, tools, compiler, Path(tmp))
                results.append((f"runtime/{compiler}", program.runtime, actual))
            if not skip_lint:
                results.append(("lint", program.lint, conc_lint(program, tools)))
            for tool, expected, actual in results:
                matched = expected == actual
                known_miss = program.expected_to_fail(tool)
                status = {(True, False): "ok", (False, False): "FAIL",
                          (False, True): "xfail", (True, True): "XPASS"}[(matched, known_miss)]
                failures += status in ("FAIL", "XPASS")
                line = f"{status:5} {program.name} [{tool}]"
                if not matched:
                    line += f": expected {show(expected)}, got {show(actual)}"
                elif known_miss:
                    line += ": matches now; remove its conc-xfail marker"
                print(line, flush=True)
    return failures


def differential(programs, tools: Path, clang: str) -> int:
    conc_wrong = 0
    with tempfile.TemporaryDirectory(prefix="conc-diff-") as tmp:
        for program in programs:
            if program.runtime - TSAN_KINDS:
                continue  # deadlocks, hangs, ...: outside what TSan reports (the scoreboard covers them)
            expected = program.runtime & TSAN_KINDS
            conc = conc_runtime(program, tools, "clang", Path(tmp)) & TSAN_KINDS
            tsan = THREAD_SANITIZER.findings(program, clang, Path(tmp)) & TSAN_KINDS
            if conc == tsan:
                print(f"agree {program.name}: {show(conc)}")
                continue
            right = [tool for tool, found in (("conc", conc), ("ThreadSanitizer", tsan)) if found == expected]
            verdict = f"{' and '.join(right)} right" if right else "both wrong"
            print(f"DIFFER {program.name}: conc {show(conc)}, ThreadSanitizer {show(tsan)}, "
                  f"label {show(expected)}: {verdict}")
            conc_wrong += conc != expected
    return conc_wrong


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0

    def add(self, expected, actual):
        self.tp += len(expected & actual)
        self.fp += len(actual - expected)
        self.fn += len(expected - actual)

    @staticmethod
    def ratio(num, den):
        return f"{num / den:.2f}" if den else "-"


def score(programs, tools: Path, clang: str, skip_lint: bool) -> str:
    tool_runs = {"conc (runtime)": lambda p, tmp: conc_runtime(p, tools, "clang", tmp)}
    for peer in PEERS:
        if peer.gcc and not shutil.which("valgrind"):
            continue
        tool_runs[peer.name] = lambda p, tmp, peer=peer: peer.findings(p, clang, tmp)
    if not skip_lint:
        tool_runs["conc-lint"] = lambda p, tmp: conc_lint(p, tools)
    tallies = {}
    totals = {tool: Tally() for tool in tool_runs}
    with tempfile.TemporaryDirectory(prefix="conc-score-") as tmp:
        for program in programs:
            category = CATEGORIES.get(program.category, program.category)
            for tool, run in tool_runs.items():
                started = time.monotonic()
                actual = run(program, Path(tmp))
                elapsed = time.monotonic() - started
                expected = program.lint if tool == "conc-lint" else program.runtime
                tallies.setdefault((category, tool), Tally()).add(expected, actual)
                totals[tool].add(expected, actual)
                totals[tool].seconds += elapsed
    lines = [
        "| category | tool | TP | FP | FN | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (category, tool), t in sorted(tallies.items()):
        lines.append(f"| {category} | {tool} | {t.tp} | {t.fp} | {t.fn} | "
                     f"{Tally.ratio(t.tp, t.tp + t.fp)} | {Tally.ratio(t.tp, t.tp + t.fn)} |")
    lines += ["", "| tool | TP | FP | FN | precision | recall | wall time (s) |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for tool, t in totals.items():
        lines.append(f"| {tool} | {t.tp} | {t.fp} | {t.fn} | {Tally.ratio(t.tp, t.tp + t.fp)} | "
                     f"{Tally.ratio(t.tp, t.tp + t.fn)} | {t.seconds:.1f} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "score", "differential", "list"])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "corpus")
    parser.add_argument("--bin", type=Path, required=True, help="folder with conc-cc, conc-c++, conc-lint")
    parser.add_argument("--only", help="run only the program whose path ends with this")
    parser.add_argument("--compilers", default="clang,gcc")
    parser.add_argument("--clang", default="clang-16", help="clang for the ThreadSanitizer peer")
    parser.add_argument("--skip-lint", action="store_true")
    parser.add_argument("--output", type=Path, help="with score: also write the table here")
    args = parser.parse_args()
    try:
        programs = discover(args.corpus, args.only)
        if not programs:
            raise CorpusError(f"no corpus program matches under {args.corpus}")
        if args.command == "list":
            for program in programs:
                print(program.name)
            return 0
        if args.command == "check":
            failures = check(programs, args.bin, args.compilers.split(","), args.skip_lint)
            print(f"{failures} mismatch(es) in {len(programs)} program(s)")
            return 1 if failures else 0
        if args.command == "differential":
            wrong = differential(programs, args.bin, args.clang)
            print(f"conc wrong where ThreadSanitizer is right or both wrong: {wrong} program(s)")
            return 1 if wrong else 0
        table = score(programs, args.bin, args.clang, args.skip_lint)
        print(table, end="")
        if args.output:
            args.output.write_text(table)
        return 0
    except CorpusError as error:
        print(f"corpus: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
