#!/usr/bin/env python3
"""The corpus driver: builds each labelled corpus program, runs conc's runtime
and conc-lint on it, and compares what they report with the program's header.

Header format (comment lines at the top of every corpus program):

    // conc-hazard: ROW short description        (row of shared/hazards.md)
    // conc-expect-runtime: KIND [KIND...] | none (runtime report kinds)
    // conc-expect-lint: CHECK:[FILE:]LINE [...] | none
    // conc-run: [timeout=SECONDS] [runs=N] [args=A,B,...] [options=K=V:K=V...]
    // conc-compilers: clang gcc                  (optional; default both)
    // conc-sources: other.cpp [...]              (optional; more files of the program)
    // conc-xfail: TOOL[/COMPILER] ... -- reason  (optional; a known miss)

A program spread over several files keeps its header in the main file and
lists the others in conc-sources (paths relative to the main file's folder);
they carry no header, are built and linted with it, and a lint label names
its file when it is not the main one. A racy program runs runs=N times (default
1) under each dynamic tool, and a kind counts as reported when any run reports
it.

A known miss (lit's XFAIL) keeps the true label in the header while a tool
cannot yet meet it: `check` reports it as "xfail" without failing, and fails
when the tool starts to match ("xpass") so that the marker is removed. The
scorer ignores the marker: a known miss still counts against the tool.

A program's category is its top folder under corpus/. `check` fails on any
mismatch and names the program, the expected and the actual findings. `score`
runs conc and the peer tools that are installed and prints precision and
recall per tool and per category, and a program-by-tool matrix, as Markdown
(docs/corpus.md explains how each peer is judged). `differential` runs
ThreadSanitizer itself beside conc's runtime on the kinds both can report and,
where they disagree, says which one the label backs; it fails only when conc is
the one that is wrong.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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
LINT_CHECKS = {
    "unguarded-access", "lock-order-inversion", "double-lock", "lock-leak", "wait-without-loop",
    "wait-without-lock", "blocking-under-lock", "thread-not-joined", "fork-in-threads",
    "livelock-retry", "check-then-act",
}
HEADER = re.compile(r"^//\s*conc-([a-z-]+):\s*(.*?)\s*$")


class CorpusError(Exception):
    """A malformed corpus header or a broken tool; reported as one line."""


@dataclass
class Program:
    path: Path                # the main source, which carries the header
    name: str                 # its path under corpus/
    category: str
    hazard: str = ""
    runtime: set = field(default_factory=set)
    lint: set = field(default_factory=set)  # (check, file relative to path's folder, line)
    timeout: float = 10.0
    runs: int = 1
    args: list = field(default_factory=list)
    options: str = ""  # extra CONC_OPTIONS for conc's runtime, e.g. starvation_ms=100
    compilers: list = field(default_factory=lambda: ["clang", "gcc"])
    extra_sources: list = field(default_factory=list)
    xfail: set = field(default_factory=set)  # "lint", "runtime" or "runtime/gcc"

    def expected_to_fail(self, tool):
        return tool in self.xfail or tool.split("/")[0] in self.xfail

    @property
    def sources(self):
        return [self.path, *self.extra_sources]

    @property
    def is_cxx(self):
        return self.path.suffix != ".c"

    def lint_finding(self, check, file, line):
        """A lint finding in the labels' terms: the file relative to the main
        source's folder."""
        return (check, os.path.relpath(Path(file).resolve(), self.path.parent.resolve()), line)


def parse_lint_label(program: Program, item: str, where: str):
    check, *place = item.split(":")
    if len(place) not in (1, 2) or not place[-1].isdigit() or check not in LINT_CHECKS:
        raise CorpusError(f"{where}: expected CHECK:[FILE:]LINE with a known check, got '{item}'")
    file = place[0] if len(place) == 2 else program.path.name
    return (check, file, int(place[-1]))


def parse_program(path: Path, corpus: Path):
    """The program whose header opens path, or None when path has no conc-
    header (a further source of a multi-file program)."""
    relative = path.relative_to(corpus)
    program = Program(path=path, name=str(relative), category=relative.parts[0])
    seen = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = HEADER.match(line)
        if not match:
            if line.startswith("//"):
                continue
            break
        key, value = match.groups()
        where = f"{path}:{number}"
        seen.add(key)
        if key == "hazard":
            program.hazard = value
        elif key == "expect-runtime":
            kinds = set(value.split()) - {"none"}
            unknown = kinds - RUNTIME_KINDS
            if unknown:
                raise CorpusError(f"{where}: unknown runtime kind {sorted(unknown)}")
            program.runtime = kinds
        elif key == "expect-lint":
            program.lint = {parse_lint_label(program, item, where) for item in value.split() if item != "none"}
        elif key == "run":
            for item in value.split():
                name, _, setting = item.partition("=")
                if name == "timeout":
                    program.timeout = float(setting)
                elif name == "runs":
                    program.runs = int(setting)
                elif name == "args":
                    program.args = setting.split(",") if setting else []
                elif name == "options":
                    program.options = setting
                else:
                    raise CorpusError(f"{where}: unknown conc-run setting '{name}'")
        elif key == "compilers":
            program.compilers = value.split()
        elif key == "sources":
            program.extra_sources = [path.parent / name for name in value.split()]
            missing = [str(p) for p in program.extra_sources if not p.is_file()]
            if missing:
                raise CorpusError(f"{where}: conc-sources names missing files {missing}")
        elif key == "xfail":
            tools, _, reason = value.partition("--")
            if not reason.strip():
                raise CorpusError(f"{where}: conc-xfail needs '-- reason'")
            program.xfail = {"lint" if t == "conc-lint" else t for t in tools.split()}
        else:
            raise CorpusError(f"{where}: unknown header key 'conc-{key}'")
    if not seen:
        return None
    missing = {"hazard", "expect-runtime", "expect-lint"} - seen
    if missing:
        raise CorpusError(f"{path}: header lacks {', '.join('conc-' + m for m in sorted(missing))}")
    return program


def discover(corpus: Path, only=None):
    """The programs under corpus (with only: those whose path ends with it).
    Over the whole corpus, a source that is neither a program nor listed in a
    program's conc-sources is an error."""
    paths = sorted(p for p in corpus.rglob("*") if p.suffix in SOURCE_SUFFIXES)
    if only:
        paths = [p for p in paths if str(p).endswith(only)]
    programs, helpers = [], []
    for path in paths:
        program = parse_program(path, corpus)
        if program:
            programs.append(program)
        else:
            helpers.append(path)
    listed = {source.resolve() for program in programs for source in program.extra_sources}
    stray = [str(path) for path in helpers if path.resolve() not in listed]
    if stray and not only:
        raise CorpusError(f"{stray[0]}: no conc- header, and no program lists it in conc-sources")
    return programs


# ---------------------------------------------------------------------------
# Building and running.

_builds = {}
_builds_lock = threading.Lock()


def build(program: Program, compiler: str, workdir: Path, flags=None, wrappers: Path = None) -> Path:
    """The program built with conc's wrappers (wrappers: their folder; compiler
    "gcc" makes them use gcc) or with the plain compiler and flags. Each build
    is made once per run of the driver."""
    key = (program.name, compiler, tuple(flags or ()), wrappers)
    with _builds_lock:
        if key in _builds:
            return _builds[key]
        exe = workdir / f"{program.path.stem}-{len(_builds)}"
    standard = ["-std=c++20"] if program.is_cxx else []
    sources = [str(s) for s in program.sources]
    if wrappers:
        driver = wrappers / ("conc-c++" if program.is_cxx else "conc-cc")
        env = dict(os.environ, CONC_COMPILER=compiler if compiler == "gcc" else "")
        command = [str(driver), *standard, "-O1", *sources, "-o", str(exe)]
    else:
        env = dict(os.environ)
        command = [compiler, *standard, *flags, "-O1", *sources, "-o", str(exe), "-pthread"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CorpusError(f"{program.name}: build with {compiler} failed:\n{result.stderr.strip()}")
    with _builds_lock:
        _builds[key] = exe
    return exe


@dataclass
class Outcome:
    returncode: int           # None when the run was killed at its time limit
    stdout: str
    stderr: str

    @property
    def timed_out(self):
        return self.returncode is None


def group_cpu_ticks(group: int) -> int:
    """CPU time (clock ticks, user + system) used so far by the live processes
    of a process group."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # fields after "(comm)": state, ppid, pgrp, ..., utime at 11, stime at 12
            total += int(fields[11]) + int(fields[12])
    return total


def run_with_timeout(command, env=None, timeout=None, cwd=None, idle=None) -> Outcome:
    """Runs command in its own process group; at the time limit kills the
    whole group (valgrind's and fork()ed children too) and keeps what the run
    printed until then. With idle, a group that used no CPU at all for idle
    seconds is taken as hung (deadlocked or waiting forever) and killed at
    once: no corpus program sleeps that long, and a hung peer then costs a
    second or two instead of its whole time limit."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, errors="replace", start_new_session=True)
    deadline = time.monotonic() + timeout if timeout else None
    ticks, still_since = -1, time.monotonic()
    while True:
        step = 0.25 if idle else None
        if deadline:
            step = min(step or timeout, max(deadline - time.monotonic(), 0))
        try:
            stdout, stderr = process.communicate(timeout=step)
            return Outcome(process.returncode, stdout, stderr)
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            if idle:
                used = group_cpu_ticks(process.pid)
                if used != ticks:
                    ticks, still_since = used, now
            if (deadline and now >= deadline) or (idle and now - still_since >= idle):
                break
    os.killpg(process.pid, signal.SIGKILL)
    stdout, stderr = process.communicate()
    return Outcome(None, stdout, stderr)


# ---------------------------------------------------------------------------
# conc's two tools. Each returns its findings in the labels' terms: runtime
# report kinds, or (check, file, line) for conc-lint.

def conc_runtime(program: Program, tools: Path, compiler: str, workdir: Path) -> set:
    exe = build(program, compiler, workdir, wrappers=tools)
    kinds = set()
    for run in range(program.runs):
        report = workdir / f"{exe.name}.{run}.jsonl"
        options = f"report_format=json:report_path={report}" + (f":{program.options}" if program.options else "")
        env = dict(os.environ, CONC_OPTIONS=options)
        outcome = run_with_timeout([str(exe), *program.args], env, program.timeout)
        if outcome.timed_out:
            kinds.add("timeout")
        elif outcome.returncode not in (0, 66):
            kinds.add(f"exit-{outcome.returncode}")
        if report.exists():
            for line in report.read_text().splitlines():
                kinds.add(json.loads(line)["kind"])
    return kinds


def conc_lint(program: Program, tools: Path) -> set:
    result = subprocess.run([str(tools / "conc-lint"), "--format=json", *map(str, program.sources)],
                            capture_output=True, text=True)
    if result.returncode < 0:
        raise CorpusError(f"{program.name}: conc-lint crashed (signal {-result.returncode})\n{result.stderr.strip()}")
    if result.returncode not in (0, 1):
        raise CorpusError(f"{program.name}: conc-lint exited {result.returncode}: {result.stderr.strip()}")
    try:
        findings = json.loads(result.stdout)["findings"]
    except (ValueError, KeyError) as error:
        raise CorpusError(f"{program.name}: conc-lint printed no JSON findings ({error})")
    return {program.lint_finding(f["check"], f["file"], f["line"]) for f in findings}


# ---------------------------------------------------------------------------
# Peer adapters. Each maps a peer's diagnostics to the catalogue's terms with
# a short list of (regular expression, kind); a diagnostic no pattern matches
# is not a finding of any catalogue kind and is ignored. docs/corpus.md lists
# the mappings and why.

@dataclass
class DynamicPeer:
    """A peer that watches a run: builds the program with its own compiler and
    flags, runs it (under prefix) and maps its report text to runtime kinds."""
    name: str
    flags: list
    prefix: list
    patterns: list            # (regex over stderr, runtime kind)
    time_limit: float         # seconds per run; a hung run is killed, its output kept
    env: dict = field(default_factory=dict)
    gcc: bool = False         # build with gcc (valgrind cannot read clang's DWARF 5)
    half = "runtime"

    @property
    def covers(self):
        return {kind for _, kind in self.patterns}

    def missing(self, clang):
        needed = self.prefix[0] if self.prefix else clang
        return None if shutil.which(needed) else f"{needed} is not installed"

    def findings(self, program: Program, clang: str, workdir: Path) -> set:
        if self.gcc:
            compiler = "g++" if program.is_cxx else "gcc"
        else:
            compiler = clang.replace("clang", "clang++") if program.is_cxx else clang
        exe = build(program, compiler, workdir, flags=self.flags)
        kinds = set()
        for _ in range(program.runs):
            outcome = run_with_timeout([*self.prefix, str(exe), *program.args], dict(os.environ, **self.env),
                                       self.time_limit, idle=PEER_IDLE_LIMIT)
            kinds |= {kind for pattern, kind in self.patterns if re.search(pattern, outcome.stderr)}
        return kinds


THREAD_SANITIZER = DynamicPeer(
    name="ThreadSanitizer", flags=["-fsanitize=thread", "-g"], prefix=[], time_limit=5,
    env={"TSAN_OPTIONS": "report_signal_unsafe=0"},
    patterns=[
        (r"ThreadSanitizer: data race", "data-race"),
        (r"ThreadSanitizer: lock-order-inversion", "lock-order-inversion"),
        (r"ThreadSanitizer: (unlock of an unlocked|destroy of a locked|double lock of a|"
         r"read lock of a write locked|read unlock of a write locked) mutex", "mutex-misuse"),
        (r"ThreadSanitizer: thread leak", "thread-leak"),
    ])

HELGRIND = DynamicPeer(
    name="Helgrind", flags=["-g", "-gdwarf-4"], gcc=True, time_limit=10,
    prefix=["valgrind", "--tool=helgrind", "-q", "--error-exitcode=0"],
    patterns=[
        (r"Possible data race during", "data-race"),
        (r"lock order \".*\" violated", "lock-order-inversion"),
        (r"unlocked a not-locked lock|unlocked lock .* currently held by|re-lock a non-recursive lock|"
         r"pthread_mutex_destroy of a locked mutex|associated with a different mutex|"
         r"pthread_cond_\w+: dubious|pthread_barrier_\w+: ", "mutex-misuse"),
        (r"Exiting thread still holds", "abandoned-lock"),
    ])

DRD = DynamicPeer(
    name="DRD", flags=["-g", "-gdwarf-4"], gcc=True, time_limit=10,
    prefix=["valgrind", "--tool=drd", "-q", "--error-exitcode=0"],
    patterns=[
        (r"Conflicting (load|store) by thread", "data-race"),
        (r"Mutex not locked|Destroying locked mutex|Recursive locking not allowed|"
         r"Probably a race condition: condition variable|Barrier reinitialization|"
         r"not locked by calling thread", "mutex-misuse"),
    ])

# clang-style diagnostics: "file:line:col: level: message [flag]" (cppcheck is
# given a template that prints the same), each followed by its notes.
DIAGNOSTIC = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:\d+:)? (?P<level>[a-z]+): (?P<message>.*)$")


def diagnostics(text: str, sources: list):
    """(message, file, line) per diagnostic. One located outside the program
    (in a system header) is placed at the last step of its note path inside
    the program: for a lock taken by std::lock_guard, the lock_guard line."""
    ours = {source.resolve() for source in sources}
    found = []  # [message, place in the program or None, last note's place in the program]
    for line in text.splitlines():
        match = DIAGNOSTIC.match(line)
        if not match:
            continue
        place = (match["file"], int(match["line"])) if Path(match["file"]).resolve() in ours else None
        if match["level"] != "note":
            found.append([match["message"], place, None])
        elif found and place:
            found[-1][2] = place
    return [(message, *(place or note)) for message, place, note in found if place or note]


@dataclass
class StaticPeer:
    """A peer that reads the source: runs commands (one per invocation) and
    maps each diagnostic to a conc-lint check at the diagnostic's line."""
    name: str
    executable: str
    commands: object          # (peer, program) -> [[argv], ...]
    patterns: list            # (regex over "message [flag]", conc-lint check)
    half = "lint"

    @property
    def covers(self):
        return {check for _, check in self.patterns}

    def missing(self, clang):
        return None if shutil.which(self.executable) else f"{self.executable} is not installed"

    def findings(self, program: Program, clang: str, workdir: Path) -> set:
        found = set()
        for command in self.commands(self, program):
            outcome = run_with_timeout(command, timeout=120, cwd=workdir)
            for message, file, line in diagnostics(outcome.stdout + outcome.stderr, program.sources):
                for pattern, check in self.patterns:
                    if re.search(pattern, message):
                        found.add(program.lint_finding(check, file, line))
        return found


def language_flags(program: Program):
    return ["-x", "c++", "-std=c++20"] if program.is_cxx else ["-x", "c", "-std=gnu17"]


THREAD_SAFETY = StaticPeer(
    name="clang -Wthread-safety", executable="clang-16",
    commands=lambda peer, program: [[peer.executable, "-fsyntax-only", "-Wthread-safety", "-Wthread-safety-beta",
                                     *language_flags(program), *map(str, program.sources)]],
    patterns=[
        (r"(reading|writing) (variable|the value pointed to by) .* requires holding|"
         r"calling function .* requires holding|passing .* requires holding", "unguarded-access"),
        (r"still held at the end of|not held on every path", "lock-leak"),
        (r"acquiring .* that is already held|releasing .* that was not held", "double-lock"),
        (r"must be acquired before|cycle in acquired_before", "lock-order-inversion"),
    ])

CLANG_ANALYZER = StaticPeer(
    name="clang static analyzer", executable="clang-16",
    commands=lambda peer, program: [
        [peer.executable, "--analyze", "-Xclang", "-analyzer-output=text",
         "-Xclang", "-analyzer-checker=alpha.unix.PthreadLock,alpha.unix.BlockInCriticalSection,alpha.core.C11Lock",
         *language_flags(program), str(source), "-o", os.devnull] for source in program.sources],
    patterns=[
        (r"lock has already been acquired|lock has already been unlocked", "double-lock"),
        (r"not the most recently acquired lock", "lock-order-inversion"),
        (r"lock is still locked|lock is still in use", "lock-leak"),
        (r"inside of critical section", "blocking-under-lock"),
    ])

CPPCHECK = StaticPeer(
    name="cppcheck", executable="cppcheck",
    commands=lambda peer, program: [[
        peer.executable, "--quiet", "--enable=warning,style,performance,portability",
        "--language=" + ("c++" if program.is_cxx else "c"), "--std=" + ("c++20" if program.is_cxx else "c11"),
        "--template={file}:{line}:{column}: {severity}: {message} [{id}]", *map(str, program.sources)]],
    patterns=[
        (r"\[(localMutex|unusedScopedObject)\]", "unguarded-access"),
        (r"\[globalLockGuard\]", "lock-leak"),
    ])

CLANG_TIDY = StaticPeer(
    name="clang-tidy", executable="clang-tidy-16",
    commands=lambda peer, program: [[
        peer.executable, "--quiet",
        "--checks=-*,concurrency-*,bugprone-spuriously-wake-up-functions,bugprone-unused-raii",
        *map(str, program.sources), "--", *language_flags(program)[2:], "-pthread"]],
    patterns=[
        (r"\[bugprone-spuriously-wake-up-functions\]", "wait-without-loop"),
        (r"\[bugprone-unused-raii\]", "unguarded-access"),
    ])

DYNAMIC_PEERS = [THREAD_SANITIZER, HELGRIND, DRD]
# A peer's run that uses no CPU for this long is hung (see run_with_timeout).
PEER_IDLE_LIMIT = 1.5
STATIC_PEERS = [THREAD_SAFETY, CLANG_ANALYZER, CPPCHECK, CLANG_TIDY]
# The kinds ThreadSanitizer can report at all: the differential test compares only these.
TSAN_KINDS = THREAD_SANITIZER.covers


# ---------------------------------------------------------------------------

def show(findings, program: Program = None):
    """Findings as in the header: kinds, or CHECK:LINE (CHECK:FILE:LINE
    outside the main file)."""
    def one(finding):
        if isinstance(finding, str):
            return finding
        check, file, line = finding
        return f"{check}:{line}" if program and file == program.path.name else f"{check}:{file}:{line}"
    items = sorted(map(one, findings))
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
                    line += f": expected {show(expected, program)}, got {show(actual, program)}"
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


# ---------------------------------------------------------------------------
# The scoreboard.

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)


def digest(*parts) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else str(part).encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def program_fingerprint(program: Program) -> str:
    """The program's sources and the local headers they include, with their
    names: what a tool's findings on it depend on."""
    seen, pending, parts = set(), list(program.sources), []
    while pending:
        path = pending.pop().resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        text = path.read_bytes()
        parts += [os.path.relpath(path, program.path.parent.resolve()), text]
        pending += [path.parent / name for name in INCLUDE.findall(text.decode(errors="replace"))]
    return digest(*parts)


def files_fingerprint(paths) -> str:
    return digest(*(part for path in paths for part in (path.name, Path(path).read_bytes())))


def version_of(executable: str) -> str:
    result = subprocess.run([executable, "--version"], capture_output=True, text=True)
    return result.stdout + result.stderr


class ResultCache:
    """Each tool's findings on each program, kept between runs of `score` in a
    folder: a result is reused while the program's sources, the tool (its
    binaries or version and its adapter) and this driver are unchanged, so a
    score after a change to conc re-runs only conc. Runs that failed are not
    kept. Peers' nondeterministic verdicts are one run's, as without a cache."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.reused = 0
        self.driver = files_fingerprint([Path(__file__)])

    def _path(self, tool, program: Program) -> Path:
        return self.folder / digest(self.driver, tool.name, tool.fingerprint, program_fingerprint(program))

    def get(self, tool, program: Program):
        try:
            entry = json.loads(self._path(tool, program).read_text())
        except (OSError, ValueError):
            return None
        self.reused += 1
        return {f if isinstance(f, str) else tuple(f) for f in entry["found"]}, entry["seconds"]

    def put(self, tool, program: Program, found: set, seconds: float):
        path = self._path(tool, program)
        scratch = path.with_suffix(f".{threading.get_ident()}")
        scratch.write_text(json.dumps({"found": sorted(found, key=str), "seconds": seconds}))
        scratch.replace(path)  # whole entries only, even when two scores share the folder


@dataclass
class Tool:
    """One column of the scoreboard: a dynamic tool is judged by the runtime
    labels, a static one by the lint labels, each only on the kinds it claims
    (covers); the rest of its half's labels are outside its reach."""
    name: str
    half: str                 # "runtime" or "lint"
    covers: set
    find: object              # (program, workdir) -> findings
    fingerprint: str          # changes whenever the tool's findings may change (for ResultCache)


def kind_of(finding):
    return finding if isinstance(finding, str) else finding[0]


@dataclass
class Verdict:
    expected: set             # the labels within the tool's claim
    found: set
    unclaimed: int            # labels of the tool's half outside its claim
    seconds: float
    error: str = None         # the tool failed on the program

    @property
    def cell(self):
        """The program-by-tool matrix's cell (legend in score())."""
        missed, false = self.expected - self.found, self.found - self.expected
        if not self.expected:
            mark = "–" if self.unclaimed else "·"
        elif not missed:
            mark = "✓"
        elif missed == self.expected:
            mark = "✗"
        else:
            mark = f"{len(self.expected) - len(missed)}/{len(self.expected)}"
        return f"{mark} FP" if false else mark


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    labels: int = 0           # every label of the tool's half, claimed or not
    seconds: float = 0.0

    def add(self, verdict: Verdict):
        self.tp += len(verdict.expected & verdict.found)
        self.fp += len(verdict.found - verdict.expected)
        self.fn += len(verdict.expected - verdict.found)
        self.labels += len(verdict.expected) + verdict.unclaimed
        self.seconds += verdict.seconds

    def row(self):
        return (f"{self.tp} | {self.fp} | {self.fn} | {ratio(self.tp, self.tp + self.fp)} | "
                f"{ratio(self.tp, self.tp + self.fn)}")


def ratio(num, den):
    return f"{num / den:.2f}" if den else "-"


def scoreboard_tools(tools: Path, clang: str, skip_lint: bool):
    """The tools that can run here, in the scoreboard's order, and a note for
    each peer that cannot. (This driver's own code, with every adapter, is part
    of each cached result's key: see ResultCache.)"""
    runtime_files = [tools / "conc-cc", tools / "conc-c++", *sorted(tools.parent.glob("lib*/libconcrt*"))]
    conc = [Tool("conc runtime", "runtime", RUNTIME_KINDS,
                 lambda program, tmp: conc_runtime(program, tools, "clang", tmp),
                 digest(files_fingerprint(runtime_files), version_of(clang), version_of("gcc")))]
    if not skip_lint:
        conc.append(Tool("conc-lint", "lint", LINT_CHECKS, lambda program, tmp: conc_lint(program, tools),
                         digest(files_fingerprint([tools / "conc-lint"]), version_of(clang))))
    peers, skipped = [], []
    for peer in DYNAMIC_PEERS + STATIC_PEERS:
        reason = peer.missing(clang)
        if reason:
            skipped.append(f"{peer.name} ({reason})")
            continue
        executables = [peer.executable] if peer.half == "lint" else [*peer.prefix[:1], "gcc" if peer.gcc else clang]
        peers.append(Tool(peer.name, peer.half, peer.covers,
                          lambda program, tmp, peer=peer: peer.findings(program, clang, tmp),
                          digest(*map(version_of, executables))))
    return sorted(conc + peers, key=lambda tool: tool.half != "runtime"), skipped  # dynamic ones first


def judge(program: Program, tool: Tool, workdir: Path, cache: ResultCache = None) -> Verdict:
    """The tool's verdict on the program. A tool that fails (a build error, a
    crash) finds nothing and its failure counts as one false finding; the
    scoreboard lists the failures."""
    error = None
    cached = cache.get(tool, program) if cache else None
    if cached:
        found, seconds = cached
    else:
        started = time.monotonic()
        try:
            found = tool.find(program, workdir)
        except CorpusError as failure:
            error = str(failure).splitlines()[0]
            print(f"corpus: warning: {tool.name}: {error}", file=sys.stderr)
            found = {"tool-error" if tool.half == "runtime" else ("tool-error", program.path.name, 0)}
        seconds = time.monotonic() - started
        if cache and not error:
            cache.put(tool, program, found, seconds)
    labels = program.runtime if tool.half == "runtime" else program.lint
    expected = {label for label in labels if kind_of(label) in tool.covers}
    return Verdict(expected, found, len(labels - expected), seconds, error)


def legend(tools, skipped, programs, jobs):
    repeated = [p for p in programs if p.runs > 1]
    lines = [
        "# Scoreboard",
        "",
        "Written by `make score` (tests/corpus/corpus.py; docs/corpus.md explains the adapters). "
        f"{len(programs)} corpus programs; dynamic tools are judged by each program's "
        "`conc-expect-runtime` kinds, static tools by its `conc-expect-lint` check:line labels, "
        "each only on the kinds it claims to find (its `claims` below). "
        "A tool's recall over all labels counts the labels outside its claim as misses.",
        "",
        f"Each dynamic tool runs each program once, or `runs=N` times where the header says so "
        f"({len(repeated)} programs: {', '.join(f'{p.name} ×{p.runs}' for p in repeated) or 'none'}); "
        "a kind counts as reported when any run reports it. Peers' runs are killed after "
        f"{THREAD_SANITIZER.time_limit:g} s (ThreadSanitizer) or {HELGRIND.time_limit:g} s (valgrind), or "
        f"once they have used no CPU for {PEER_IDLE_LIMIT:g} s (hung), "
        "and what they printed until then still counts; conc's runtime has the header's timeout. "
        f"Wall time is the sum over programs of building, running and reading the tool's output, "
        f"with {jobs} programs at a time.",
    ]
    if skipped:
        lines += ["", "Not installed, so not scored: " + "; ".join(skipped) + "."]
    lines += ["", "| tool | judged by | claims |", "|---|---|---|"]
    lines += [f"| {t.name} | {t.half} labels | {', '.join(sorted(t.covers))} |" for t in tools]
    return lines


def score(programs, tools: Path, clang: str, skip_lint: bool, jobs: int, cache: ResultCache = None) -> str:
    columns, skipped = scoreboard_tools(tools, clang, skip_lint)
    with tempfile.TemporaryDirectory(prefix="conc-score-") as tmp:
        def one_program(program):
            return [judge(program, tool, Path(tmp), cache) for tool in columns]
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            verdicts = dict(zip((p.name for p in programs), pool.map(one_program, programs)))
    by_category, totals = {}, {tool.name: Tally() for tool in columns}
    for program in programs:
        category = CATEGORIES.get(program.category, program.category)
        for tool, verdict in zip(columns, verdicts[program.name]):
            by_category.setdefault((category, tool.name), Tally()).add(verdict)
            totals[tool.name].add(verdict)
    order = list(CATEGORIES.values())
    lines = legend(columns, skipped, programs, jobs)
    if cache and cache.reused:
        lines += ["", f"{cache.reused} of {len(programs) * len(columns)} results (and their wall times) were "
                  "reused from an earlier run on the same sources with the same tools (the results cache)."]
    failures = [f"{tool.name} on {program.name}: {verdict.error}" for program in programs
                for tool, verdict in zip(columns, verdicts[program.name]) if verdict.error]
    if failures:
        lines += ["", "Tool failures (each counted as a false finding):", ""] + [f"- {f}" for f in failures]
    lines += ["", "## By hazard category", "",
              "| category | tool | TP | FP | FN | precision | recall |", "|---|---|---:|---:|---:|---:|---:|"]
    present = {category for category, _ in by_category}
    for category in [c for c in order if c in present] + sorted(present - set(order)):
        lines += [f"| {category} | {tool.name} | {by_category[(category, tool.name)].row()} |" for tool in columns]
    lines += ["", "## Per tool", "",
              "| tool | TP | FP | FN | precision | recall | recall over all labels | wall time (s) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for tool in columns:
        t = totals[tool.name]
        lines.append(f"| {tool.name} | {t.row()} | {ratio(t.tp, t.labels)} | {t.seconds:.1f} |")
    lines += ["", "## Per program", "",
              "✓ found every label the tool claims; ✗ found none of them; k/n found k of n; "
              "· nothing to find and silent (right); – the labels are all outside the tool's claim; "
              "FP a finding no label backs.", "",
              "| program | " + " | ".join(t.name for t in columns) + " |",
              "|---|" + "---|" * len(columns)]
    for program in programs:
        cells = " | ".join(v.cell for v in verdicts[program.name])
        lines.append(f"| {program.name} | {cells} |")
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
    parser.add_argument("--jobs", type=int, default=2, help="with score: programs scored at a time")
    parser.add_argument("--output", type=Path, help="with score: also write the tables here")
    parser.add_argument("--cache", type=Path,
                        help="with score: keep each tool's findings here and reuse them while nothing changed")
    args = parser.parse_args()
    try:
        programs = discover(args.corpus.resolve(), args.only)
        if not programs:
            raise CorpusError(f"no corpus program matches under {args.corpus}")
        if args.command == "list":
            for program in programs:
                print(program.name)
            return 0
        if args.command == "check":
            failures = check(programs, args.bin.resolve(), args.compilers.split(","), args.skip_lint)
            print(f"{failures} mismatch(es) in {len(programs)} program(s)")
            return 1 if failures else 0
        if args.command == "differential":
            wrong = differential(programs, args.bin.resolve(), args.clang)
            print(f"conc wrong where ThreadSanitizer is right or both wrong: {wrong} program(s)")
            return 1 if wrong else 0
        cache = ResultCache(args.cache) if args.cache else None
        table = score(programs, args.bin.resolve(), args.clang, args.skip_lint, args.jobs, cache)
        print(table, end="")
        if cache:
            print(f"corpus: {cache.reused} result(s) reused from {args.cache}; delete it to run every tool again",
                  file=sys.stderr)
        if args.output:
            args.output.write_text(table)
        return 0
    except CorpusError as error:
        print(f"corpus: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
