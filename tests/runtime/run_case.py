#!/usr/bin/env python3
"""End-to-end tests of libconcrt: build a small program from programs/ with
conc-cc / conc-c++ under one compiler, run it, check exit code and reports.

usage: run_case.py --bin BINDIR --compiler clang|gcc --work DIR CASE
Exits 0 on success; prints what went wrong otherwise.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
TIMEOUT = 30


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Case:
    def __init__(self, args):
        self.bin = os.path.abspath(args.bin)
        self.lib = os.path.normpath(os.path.join(self.bin, "..", "lib"))
        self.compiler = args.compiler
        self.work = os.path.abspath(args.work)
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)

    def path(self, name):
        return os.path.join(self.work, name)

    def marker_line(self, program, marker):
        with open(os.path.join(PROGRAMS, program)) as f:
            for number, line in enumerate(f, 1):
                if marker in line:
                    return number
        raise Failure(f"no {marker} in {program}")

    def build(self, program, *flags):
        source = os.path.join(PROGRAMS, program)
        driver = "conc-c++" if program.endswith(".cpp") else "conc-cc"
        out = self.path(os.path.splitext(program)[0])
        env = dict(os.environ, CONC_COMPILER=self.compiler)
        cmd = [os.path.join(self.bin, driver), *flags, "-o", out, source]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        check(result.returncode == 0, f"build failed: {' '.join(cmd)}\n{result.stderr}")
        ldd = subprocess.run(["ldd", out], capture_output=True, text=True).stdout
        check("libconcrt.so" in ldd, f"{out} does not load libconcrt:\n{ldd}")
        check("libtsan" not in ldd, f"{out} loads libtsan:\n{ldd}")
        return out

    def run(self, argv, options=None, extra_env=None):
        env = dict(os.environ)
        env.pop("CONC_OPTIONS", None)
        if options is not None:
            env["CONC_OPTIONS"] = options
        env.update(extra_env or {})
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT)

    def json_reports(self, path):
        with open(path) as f:
            lines = f.read().splitlines()
        return [json.loads(line) for line in lines]

    @staticmethod
    def frames(report):
        stacks = [a["stack"] for a in report.get("accesses", [])]
        stacks += [e[k] for e in report.get("cycle", []) for k in ("stack", "held_stack")]
        loc = report.get("location") or {}
        stacks.append(loc.get("stack", []))
        stacks += [e["stack"] for e in report.get("events", [])]
        return [f for s in stacks for f in s]

    def has_line(self, report, program, line):
        return any(f["file"].endswith(program) and f["line"] == line for f in self.frames(report))


def case_race_text(c):
    exe = c.build("race.c")
    r = c.run([exe])
    check(r.returncode == 66, f"exit {r.returncode}, want 66\n{r.stderr}")
    line = c.marker_line("race.c", "RACE-LINE")
    check("WARNING: conc: data race (pid=" in r.stderr, r.stderr)
    check(re.search(rf"#0 worker \S*race\.c:{line}:\d+ \(race\+0x[0-9a-f]+\)", r.stderr), r.stderr)
    check("Location is global 'counter' of size 8" in r.stderr, r.stderr)
    check(f"SUMMARY: conc: data race" in r.stderr and f"race.c:{line} in worker" in r.stderr, r.stderr)
    # The interceptor's frame tops creation stacks, as in ThreadSanitizer's reports.
    check(re.search(r"created by main thread at:\n    #0 pthread_create \(libconcrt\.so\+0x[0-9a-f]+\)\n"
                    r"    #1 main \S*race\.c:\d+", r.stderr), r.stderr)
    check(re.search(r"counter = \d+", r.stdout), f"program output lost: {r.stdout!r}")  # racy: any count


def case_race_json(c):
    exe = c.build("race.c")
    out = c.path("reports.jsonl")
    r = c.run([exe], f"report_format=json:report_path={out}")
    check(r.returncode == 66, f"exit {r.returncode}\n{r.stderr}")
    check("WARNING" not in r.stderr, f"report went to stderr:\n{r.stderr}")
    reports = c.json_reports(out)
    check(reports, "no report in the JSON file")
    line = c.marker_line("race.c", "RACE-LINE")
    for rep in reports:
        check(rep["kind"] == "data-race", rep)
        check(len(rep["accesses"]) == 2 and rep["accesses"][0]["size"] == 8, rep)
        check(rep["location"]["type"] == "global" and rep["location"]["name"] == "counter", rep)
        check({t["id"] for t in rep["threads"]} >= {a["thread"] for a in rep["accesses"]}, rep)
        for t in rep["threads"]:
            if t["parent"] is not None:
                top = t["created_at"][0]
                check(top["function"] == "pthread_create" and top["module"].endswith("libconcrt.so"), t)
    check(any(c.has_line(rep, "race.c", line) for rep in reports), f"no frame at race.c:{line}: {reports}")


def case_crash_flush(c):
    # Reports are written as they are found, one whole line each, so a crash or
    # a kill afterwards loses none of them.
    exe = c.build("crash_after_race.c")
    line = c.marker_line("crash_after_race.c", "RACE-LINE")
    for how, sig in (("segv", signal.SIGSEGV), ("abort", signal.SIGABRT), ("sigterm", signal.SIGTERM),
                     ("sigkill", signal.SIGKILL)):
        out = c.path(f"{how}.jsonl")
        r = c.run([exe, how], f"report_format=json:report_path={out}")
        check(r.returncode == -sig, f"{how}: exit {r.returncode}, want -{int(sig)}\n{r.stderr}")
        with open(out) as f:
            text = f.read()
        check(text.endswith("\n"), f"{how}: the last line is cut: {text[-200:]!r}")
        reports = c.json_reports(out)
        check(reports and all(rep["kind"] == "data-race" for rep in reports), f"{how}: {reports}")
        check(all(c.has_line(rep, "crash_after_race.c", line) for rep in reports), f"{how}: {reports}")
        r = c.run([exe, how])
        check("WARNING: conc: data race (pid=" in r.stderr, f"{how} (text): {r.stderr}")


def case_fixed_silent(c):
    exe = c.build("race_fixed.c")
    out = c.path("reports.jsonl")
    r = c.run([exe], f"report_format=json:report_path={out}")
    check(r.returncode == 0, f"exit {r.returncode}\n{r.stderr}")
    check(os.path.getsize(out) == 0, open(out).read())
    check(r.stdout.strip() == "counter = 200", r.stdout)


def case_exitcode(c):
    exe = c.build("race.c")
    r = c.run([exe], "exitcode=7")
    check(r.returncode == 7, f"exit {r.returncode}, want 7")


def case_halt_on_error(c):
    exe = c.build("race.c")
    r = c.run([exe], "halt_on_error=1")
    check(r.returncode == 66, f"exit {r.returncode}")
    check(r.stderr.count("WARNING: conc:") == 1, r.stderr)
    check("counter =" not in r.stdout, "the program kept running after the first report")


def case_halt_on_error_file(c):
    exe = c.build("race.c")
    out = c.path("reports.jsonl")
    r = c.run([exe], f"report_format=json:report_path={out}:halt_on_error=1")
    check(r.returncode == 66, f"exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)  # complete lines: the file was written out before the exit
    check(len(reports) == 1 and reports[0]["kind"] == "data-race", reports)


def case_suppressions(c):
    exe = c.build("race.c")
    supp = c.path("supp.txt")
    with open(supp, "w") as f:
        f.write("# the counter race is known\nrace:^worker$\n")
    r = c.run([exe], f"suppressions={supp}")
    check(r.returncode == 0 and "WARNING" not in r.stderr, f"exit {r.returncode}\n{r.stderr}")
    with open(supp, "w") as f:
        f.write("deadlock:worker\n")  # another kind: does not apply to races
    r = c.run([exe], f"suppressions={supp}")
    check(r.returncode == 66, f"exit {r.returncode}")


def case_bad_options(c):
    exe = c.build("race_fixed.c")
    r = c.run([exe], "report_format=json:foo=1")
    want = "conc: CONC_OPTIONS: unknown option 'foo'; valid options: "
    check(r.stderr.count(want) == 1, r.stderr)
    check(r.returncode == 0 and r.stdout.strip() == "counter = 200", f"{r.returncode} {r.stdout}")
    r = c.run([exe], "exitcode=x")
    check("bad value 'x' for option 'exitcode'" in r.stderr and r.returncode == 0, r.stderr)


def case_abba(c):
    exe = c.build("abba.c")
    r = c.run([exe])
    check(r.returncode == 66, f"exit {r.returncode}\n{r.stderr}")
    check("WARNING: conc: lock-order-inversion (potential deadlock)" in r.stderr, r.stderr)
    check("Cycle in lock order graph: M0" in r.stderr, r.stderr)
    out = c.path("reports.jsonl")
    r = c.run([exe], f"report_format=json:report_path={out}")
    reports = c.json_reports(out)
    check(len(reports) == 1 and reports[0]["kind"] == "lock-order-inversion", reports)
    check(len(reports[0]["cycle"]) == 2, reports)
    for marker in ("AB-LINE", "BA-LINE"):
        check(c.has_line(reports[0], "abba.c", c.marker_line("abba.c", marker)), f"{marker}: {reports}")


def case_heap_race(c):
    exe = c.build("heap_race.c")
    out = c.path("reports.jsonl")
    r = c.run([exe], f"report_format=json:report_path={out}")
    check(r.returncode == 66, f"exit {r.returncode}\n{r.stderr}")
    rep = c.json_reports(out)[0]
    check(rep["location"]["type"] == "heap" and rep["location"]["size"] == 16, rep)
    check(c.has_line(rep, "heap_race.c", c.marker_line("heap_race.c", "RACE-LINE")), rep)
    alloc = c.marker_line("heap_race.c", "ALLOC-LINE")
    check(any(f["line"] == alloc for f in rep["location"]["stack"]), rep)


def case_memcpy_race(c):
    exe = c.build("memcpy_race.c")
    out = c.path("reports.jsonl")
    r = c.run([exe], f"report_format=json:report_path={out}")
    check(r.returncode == 66, f"exit {r.returncode}\n{r.stderr}")
    line = c.marker_line("memcpy_race.c", "RACE-LINE")
    check(any(c.has_line(rep, "memcpy_race.c", line) for rep in c.json_reports(out)), open(out).read())


def case_sync_silent(c):
    exe = c.build("sync_silent.cpp")
    r = c.run([exe])
    check(r.returncode == 0 and "WARNING" not in r.stderr, f"exit {r.returncode}\n{r.stderr}")


def case_fork(c):
    exe = c.build("fork.c")
    r = c.run([exe])
    check(r.returncode == 0 and "child exit 3" in r.stdout, f"exit {r.returncode}\n{r.stdout}{r.stderr}")
    # A lock the program's own prepare handler takes is not held by another thread at the fork.
    check_silent(c.run([exe, "atfork"]), "child exit 3")


def check_silent(r, want_stdout):
    check(r.returncode == 0 and "WARNING" not in r.stderr, f"exit {r.returncode}\n{r.stdout}{r.stderr}")
    check(r.stdout.strip() == want_stdout, f"stdout {r.stdout!r}, want {want_stdout!r}")


def case_memory_reuse(c):
    exe = c.build("memory_reuse.c")
    for mode in ("stacks", "mappings"):
        check_silent(c.run([exe, mode]), "ok")


def case_fd_sync(c):
    exe = c.build("fd_sync.c")
    check_silent(c.run([exe, "silent"]), "silent: ok")
    for mode, markers in (("racy", ["RACE-LINE"]), ("reuse", ["REUSE-WRITE-LINE", "REUSE-READ-LINE"])):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}")
        check(r.returncode == 66, f"{mode}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        reports = c.json_reports(out)
        check(len(reports) == 1, f"{mode}: {reports}")
        for marker in markers:
            check(c.has_line(reports[0], "fd_sync.c", c.marker_line("fd_sync.c", marker)), f"{marker}: {reports}")


def case_static_local(c):
    exe = c.build("static_local.cpp", "-O1")
    for _ in range(5):
        check_silent(c.run([exe]), "ok")


def case_signals(c):
    check_silent(c.run([c.build("signals.c")]), "ok")


def case_spawn(c):
    check_silent(c.run([c.build("spawn.c")]), "vfork 3 fork 4 posix_spawn 5 data 42")


def case_uninstrumented(c):
    source = os.path.join(PROGRAMS, "uninstrumented.c")
    cc = "clang-16" if c.compiler == "clang" else "gcc"
    linked, plain = c.path("linked"), c.path("plain")
    for out, flags in ((linked, [f"-L{c.lib}", f"-Wl,-rpath,{c.lib}", "-lconcrt"]), (plain, [])):
        r = subprocess.run([cc, "-g", "-pthread", "-o", out, source, *flags], capture_output=True, text=True)
        check(r.returncode == 0, r.stderr)
    note = "conc: this program was not compiled with -fsanitize=thread; data races cannot be seen"
    r = c.run([linked])
    check(r.returncode == 0 and r.stdout.strip() == "value = 2" and note in r.stderr, f"{r.returncode}\n{r.stderr}")
    r = c.run([os.path.join(c.bin, "conc-run"), "--preload", "--", plain])
    check(r.returncode == 0 and r.stdout.strip() == "value = 2" and note in r.stderr, f"{r.returncode}\n{r.stderr}")
    # Without --preload libconcrt never loads: conc-run itself says so, once, and runs the program.
    r = c.run([os.path.join(c.bin, "conc-run"), "--", plain])
    check(r.returncode == 0 and r.stdout.strip() == "value = 2", f"{r.returncode}\n{r.stderr}")
    check(r.stderr.splitlines() == [f"conc-run: {plain} is not linked with libconcrt, so nothing is watched; "
                                    "build it with conc-cc/conc-c++ or add --preload"], r.stderr)
    r = c.run([os.path.join(c.bin, "conc-run"), "--", linked])
    check("conc-run:" not in r.stderr, r.stderr)


def case_longjmp(c):
    exe = c.build("longjmp.c")
    for mode in ("longjmp", "_longjmp", "siglongjmp", "longjmp_chk", "signal"):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}")
        want = f"{mode}: 20000 jumps, resident growth under 1 MiB"
        check(r.returncode == 66 and r.stdout.strip() == want, f"{mode}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        reports = c.json_reports(out)
        check([rep["kind"] for rep in reports] == ["data-race"], reports)
        stacks = [[f["function"] for f in a["stack"]] for a in reports[0]["accesses"]]
        # The jumped-over level1..level3 frames must be gone from main's stack.
        main_stack = next((s for s in stacks if s[0] == "racy_write"), [])
        check(main_stack[:2] == ["racy_write", "main"] and not any(f.startswith("level") for f in main_stack),
              f"{mode}: {stacks}")


def case_annotations(c):
    src = "annotations.c"
    exe = c.build(src)

    def reports_of(mode, want_stdout):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}")
        check(want_stdout in r.stdout and f"{mode} done" in r.stdout, f"{mode}: {r.stdout}{r.stderr}")
        reports = c.json_reports(out) if os.path.exists(out) else []
        return r, reports

    # Benign races are silent on a global and a heap block until it is freed.
    r, reports = reports_of("benign", "reused 1")
    freed = c.marker_line(src, "FREED-LINE")
    check(reports and all(rep["kind"] == "data-race" and c.has_line(rep, src, freed) for rep in reports), reports)
    r, reports = reports_of("no_mutexes", "")
    check(r.returncode == 66 and [rep["kind"] for rep in reports] == ["mutex-misuse"], reports)
    check(reports[0]["detail"] == "mutex held in the wrong context", reports)
    check(c.has_line(reports[0], src, c.marker_line(src, "HELD-LINE")), reports)
    r, reports = reports_of("fiber_sync", "data 2")
    check(r.returncode == 0 and not reports, reports)
    r, reports = reports_of("fiber_nosync", "data 2")
    check(r.returncode == 66 and [rep["kind"] for rep in reports] == ["data-race"], reports)
    for marker in ("FIBER-LINE", "MAIN-FIBER-LINE"):
        check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{marker}: {reports}")
    check(len({a["thread"] for a in reports[0]["accesses"]}) == 2, reports)
    r, reports = reports_of("external", "")
    check(r.returncode == 66 and [rep["kind"] for rep in reports] == ["data-race"], reports)
    check(c.has_line(reports[0], src, c.marker_line(src, "EXTERNAL-LINE")), reports)


def case_finalize_hooks(c):
    r = c.run([c.build("finalize_hooks.c")])
    check(r.returncode == 0 and "WARNING: conc: data race" in r.stderr, f"exit {r.returncode}\n{r.stderr}")
    check(r.stdout.splitlines() == ["initialized", "finalize 1"], r.stdout)


def case_primitives(c):
    src = "primitives.cpp"
    exe = c.build(src, "-std=c++20")
    for mode in ("counting_semaphore", "barrier", "atomic_wait", "jthread_stop", "condition_variable_any",
                 "async_future", "named_semaphore"):
        check_silent(c.run([exe, mode]), f"{mode} 42")
    # Without the primitive the same accesses race.
    out = c.path("racy.jsonl")
    r = c.run([exe, "racy"], f"report_format=json:report_path={out}")
    check(r.returncode == 66 and r.stdout.strip() == "racy 42", f"exit {r.returncode}\n{r.stdout}{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["data-race"], reports)
    for marker in ("WRITE-LINE", "READ-LINE"):
        check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{marker}: {reports}")


def case_many_threads(c):
    exe = c.build("many_threads.cpp", "-O1")
    for _ in range(3):
        check_silent(c.run([exe]), "total 706 entries 100")


def case_verify(c):
    # verify=1 (the engine's self-checks) changes no outcome: races, inversions,
    # silence and output as without it, and no "conc: verify" failure.
    def run(argv):
        r = c.run(argv, "verify=1")
        check("conc: verify" not in r.stderr, r.stderr)
        return r
    r = run([c.build("race.c")])
    check(r.returncode == 66 and "WARNING: conc: data race" in r.stderr, f"race: exit {r.returncode}\n{r.stderr}")
    r = run([c.build("abba.c")])
    check(r.returncode == 66 and "lock-order-inversion" in r.stderr, f"abba: exit {r.returncode}\n{r.stderr}")
    check_silent(run([c.build("many_threads.cpp", "-O1")]), "total 706 entries 100")
    primitives = c.build("primitives.cpp", "-std=c++20")
    for mode in ("counting_semaphore", "barrier", "async_future"):
        check_silent(run([primitives, mode]), f"{mode} 42")


def case_other_sanitizer(c):
    cc = "clang-16" if c.compiler == "clang" else "gcc"
    part = c.path("asan_part.o")
    r = subprocess.run([cc, "-fsanitize=address", "-g", "-DASAN_PART", "-c", "-o", part,
                        os.path.join(PROGRAMS, "other_sanitizer.c")], capture_output=True, text=True)
    check(r.returncode == 0, r.stderr)
    if c.compiler == "gcc":
        asan_runtime = ["-lasan"]
    else:
        library = subprocess.run([cc, "-print-file-name=libclang_rt.asan-x86_64.so"], capture_output=True,
                                 text=True).stdout.strip()
        asan_runtime = [library, f"-Wl,-rpath,{os.path.dirname(library)}"]
    exe = c.build("other_sanitizer.c", part, *asan_runtime)
    r = c.run([exe])
    note = "conc: this program also carries AddressSanitizer (__asan_init is present)"
    check(r.returncode == 0 and r.stdout.strip() == "sum 6", f"exit {r.returncode}\n{r.stdout}{r.stderr}")
    messages = [line for line in r.stderr.splitlines() if line.startswith("conc:")]
    check(len(messages) == 1 and note in messages[0], r.stderr)


def case_shared_memory(c):
    src = "shared_memory.c"
    exe = c.build(src)
    for mode in ("waitpid", "waitid", "mutex", "semaphore", "atomic", "pipe"):
        check_silent(c.run([exe, mode]), f"{mode}: child exit 0")
    for mode in ("racy", "shm_open"):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}")
        check(r.returncode == 66 and r.stdout.strip() == f"{mode}: child exit 0",
              f"{mode}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        reports = c.json_reports(out)
        check([rep["kind"] for rep in reports] == ["data-race"], reports)
        pids = re.findall(r"process (\d+)", reports[0]["detail"])
        check(reports[0]["detail"].startswith("between processes") and len(set(pids)) == 2 and
              str(reports[0]["pid"]) in pids, reports)
        for marker in ("CHILD-LINE", "PARENT-LINE"):
            check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{mode} {marker}: {reports}")


def case_conc_run(c):
    exe = c.build("race.c")
    out = c.path("reports.jsonl")
    r = c.run([os.path.join(c.bin, "conc-run"), "--report-format=json", "--report-path", out, "--exitcode=9",
               "--", exe])
    check(r.returncode == 9, f"exit {r.returncode}\n{r.stderr}")
    check(c.json_reports(out)[0]["kind"] == "data-race", open(out).read())
    r = c.run([os.path.join(c.bin, "conc-run"), "--bogus", "--", exe])
    check(r.returncode == 2 and "unknown flag '--bogus'" in r.stderr, r.stderr)
    # Every option the runtime knows (its error message lists them) has a
    # flag in --help: all of them at once reach the program's CONC_OPTIONS.
    names = re.search(r"valid options: (.*)", c.run([exe], "x").stderr).group(1).split(", ")
    usage = c.run([os.path.join(c.bin, "conc-run"), "--help"]).stdout
    flags = re.findall(r"^  (--[a-z-]+)(\[=0\|1\]|=\S+)", usage, re.M)
    values = {"[=0|1]": "1", "=text|json": "text", "=FILE": c.path("f"), "=PATH": c.path("p")}
    argv = [f"{flag}={values.get(value, '7')}" for flag, value in flags if flag != "--preload"]
    r = c.run([os.path.join(c.bin, "conc-run"), *argv, "--", "/usr/bin/env"])
    passed = re.search(r"^CONC_OPTIONS=(.*)$", r.stdout, re.M)
    check(r.returncode == 0 and passed, f"{r.returncode}\n{r.stdout}\n{r.stderr}")
    check(sorted(item.split("=")[0] for item in passed.group(1).split(":")) == sorted(names), passed.group(1))
    # Values as the next argument or after '='; a switch alone means 1, "=0" turns it off.
    r = c.run([os.path.join(c.bin, "conc-run"), "--deadlock-timeout-ms", "50", "--hang-timeout-ms=60",
               "--starvation-ms=0", "--livelock-ms=70", "--contention-report", "--max-threads=8",
               "--deadlock-exit=0", "--lock-analyses=1", "--", "/usr/bin/env"])
    check(r.returncode == 0 and "CONC_OPTIONS=deadlock_timeout_ms=50:hang_timeout_ms=60:starvation_ms=0:"
          "livelock_ms=70:contention_report=1:max_threads=8:deadlock_exit=0:lock_analyses=1\n" in r.stdout,
          f"{r.returncode}\n{r.stdout}\n{r.stderr}")
    r = c.run([os.path.join(c.bin, "conc-run"), "--starvation-ms"])
    check(r.returncode == 2 and "--starvation-ms needs a value" in r.stderr, f"{r.returncode}\n{r.stderr}")


def case_abi_coverage(c):
    defined = set(subprocess.run(["nm", "-D", "--defined-only", os.path.join(c.lib, "libconcrt.so")],
                                 capture_output=True, text=True).stdout.split())
    flags = ["-O1", "-mcx16"] + (["-Wno-atomic-alignment"] if c.compiler == "clang" else [])
    for program in ("abi_coverage.c", "abi_coverage.cpp"):
        exe = c.build(program, *flags)
        undefined = subprocess.run(["nm", "-u", exe], capture_output=True, text=True).stdout.split()
        tsan = {s for s in undefined if s.startswith("__tsan_")}
        check(tsan, f"{program}: no __tsan_ symbols; was it instrumented?")
        check(tsan <= defined, f"{program}: unresolved {sorted(tsan - defined)}")
        r = c.run([exe])
        check(r.returncode == 0 and r.stdout.strip() == "ok", f"{program}: exit {r.returncode}\n{r.stdout}{r.stderr}")


def case_lock_hazards(c):
    exe = c.build("lock_hazards.c")
    src = "lock_hazards.c"
    out = c.path("deadlock.jsonl")
    r = c.run([exe, "deadlock"], f"report_format=json:report_path={out}:deadlock_timeout_ms=300")
    check(r.returncode == 66 and "done" not in r.stdout, f"exit {r.returncode}\n{r.stdout}{r.stderr}")
    reports = [rep for rep in c.json_reports(out) if rep["kind"] == "deadlock"]
    check(len(reports) == 1, open(out).read())
    for marker in ("AB-LINE", "BA-LINE"):
        check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{marker}: {reports}")
    r = c.run([exe, "deadlock"])
    check("WARNING: conc: deadlock (pid=" in r.stderr and "wait for each other" in r.stderr, r.stderr)
    for mode, kind, marker, frame in (("abandon", "abandoned-lock", "ABANDON-LINE", "^leave_locked$"),
                                      ("misuse", "mutex-misuse", "MISUSE-LINE", "^main$")):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}")
        check(r.returncode == 66 and "done" in r.stdout, f"{mode}: exit {r.returncode}\n{r.stderr}")
        reports = c.json_reports(out)
        check([rep["kind"] for rep in reports] == [kind], reports)
        check(c.has_line(reports[0], src, c.marker_line(src, marker)), reports)
        r = c.run([exe, mode], "lock_analyses=0")
        check(r.returncode == 0 and "WARNING" not in r.stderr, f"{mode} with lock_analyses=0: {r.stderr}")
        supp = c.path("supp.txt")
        with open(supp, "w") as f:
            f.write(f"{kind}:{frame}\n")
        r = c.run([exe, mode], f"suppressions={supp}")
        check(r.returncode == 0, f"{mode} suppressed: exit {r.returncode}\n{r.stderr}")


def case_std_waits(c):
    exe = c.build("std_waits.cpp", "-std=c++20")
    src = "std_waits.cpp"
    # Waits inside libstdc++'s own futex calls are blocked waits: a hang.
    for mode, marker in (("semaphore", "SEM-LINE"), ("barrier", "BARRIER-LINE")):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}:hang_timeout_ms=300")
        check(r.returncode == 66 and "done" not in r.stdout, f"{mode}: exit {r.returncode}\n{r.stderr}")
        reports = c.json_reports(out)
        check([rep["kind"] for rep in reports] == ["hang"], reports)
        check(any("blocks on futex word" in e["what"] for e in reports[0]["events"]), reports)
        check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{marker}: {reports}")
    # A timed wait ends by itself.
    r = c.run([exe, "timed"], "hang_timeout_ms=100")
    check(r.returncode == 0 and "done" in r.stdout and "WARNING" not in r.stderr, f"timed: {r.stderr}")
    # An exception that ends the process in std::terminate while its thread
    # holds a lock: abandoned-lock, then the report exit status.
    out = c.path("terminate.jsonl")
    r = c.run([exe, "terminate"], f"report_format=json:report_path={out}")
    check(r.returncode == 66 and "done" not in r.stdout, f"terminate: exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["abandoned-lock"], reports)
    check("std::runtime_error" in reports[0]["detail"], reports)
    check(c.has_line(reports[0], src, c.marker_line(src, "LOCK-LINE")), reports)
    # Without a lock held, abort() goes on.
    r = c.run([exe, "terminate_unlocked"])
    check(r.returncode == -6 and "WARNING" not in r.stderr, f"terminate_unlocked: exit {r.returncode}\n{r.stderr}")


def case_lock_statistics(c):
    exe = c.build("lock_statistics.c")
    src = "lock_statistics.c"
    # Each finding: its own kind, the lines that matter, its suppression type.
    for mode, options, kind, markers, frame in (
            ("starve", "starvation_ms=100", "starvation", ("WRITE-LINE", "READ-LINE"), "^writer$"),
            ("livelock", "livelock_ms=30", "livelock", ("TRY-LINE",), "^polite$")):
        out = c.path(f"{mode}.jsonl")
        r = c.run([exe, mode], f"report_format=json:report_path={out}:{options}")
        check(r.returncode == 66 and "done" in r.stdout, f"{mode}: exit {r.returncode}\n{r.stderr}")
        reports = c.json_reports(out)
        check([rep["kind"] for rep in reports] == [kind], reports)
        for marker in markers:
            check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{marker}: {reports}")
        r = c.run([exe, mode], options)
        check(f"WARNING: conc: {kind} (pid=" in r.stderr, r.stderr)
        supp = c.path("supp.txt")
        with open(supp, "w") as f:
            f.write(f"{kind}:{frame}\n")
        r = c.run([exe, mode], f"{options}:suppressions={supp}")
        check(r.returncode == 0 and "WARNING" not in r.stderr, f"{mode} suppressed: exit {r.returncode}\n{r.stderr}")
        r = c.run([exe, mode], f"{options}:lock_analyses=0")
        check(r.returncode == 0 and "WARNING" not in r.stderr, f"{mode} with lock_analyses=0: {r.stderr}")
    # A short critical section stretched by the load (its holder runnable, off the CPU) is none.
    check_silent(c.run([exe, "preempted_hold"], "starvation_ms=100"), "done")
    # A long critical section: the holder sleeps with the lock, nobody else takes it.
    out = c.path("long_hold.jsonl")
    r = c.run([exe, "long_hold"], f"report_format=json:report_path={out}:starvation_ms=100")
    check(r.returncode == 66 and "done" in r.stdout, f"long_hold: exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["starvation"], reports)
    check("held all that time" in reports[0]["detail"], reports)
    for marker in ("HOLD-LINE", "WAIT-LINE"):
        check(c.has_line(reports[0], src, c.marker_line(src, marker)), f"{marker}: {reports}")
    # Off by default for programs that run shorter than the default windows.
    r = c.run([exe, "starve"], "starvation_ms=0")
    check(r.returncode == 0 and "WARNING" not in r.stderr, f"starvation_ms=0: {r.stderr}")
    # The contention table is information: printed, but the exit status stays 0.
    out = c.path("contention.jsonl")
    r = c.run([exe, "contention"], f"report_format=json:report_path={out}:contention_report=1")
    check(r.returncode == 0 and "done" in r.stdout, f"contention: exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["contention"], reports)
    locks = reports[0]["locks"]
    check(len(locks) >= 1 and locks[0]["acquisitions"] == 400 and locks[0]["site_kind"] == "created", locks)
    check(0 < locks[0]["contended"] <= 400 and locks[0]["hold_total_ns"] >= 400 * 100000, locks)
    check(locks[0]["wait_max_ns"] <= locks[0]["wait_total_ns"], locks)
    check(any(f["line"] == c.marker_line(src, "INIT-LINE") for f in locks[0]["site"]), locks)
    r = c.run([exe, "contention"], "contention_report=1")
    check(r.returncode == 0 and "conc: lock contention at exit" in r.stderr and "created in main at" in r.stderr,
          r.stderr)
    r = c.run([exe, "contention"])
    check(r.returncode == 0 and "contention" not in r.stderr, r.stderr)
    # Readers are holders: a thread ending with a read lock abandons it.
    out = c.path("abandon_read.jsonl")
    r = c.run([exe, "abandon_read"], f"report_format=json:report_path={out}")
    check(r.returncode == 66 and "done" in r.stdout, f"abandon_read: exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["abandoned-lock"], reports)
    check(c.has_line(reports[0], src, c.marker_line(src, "READ-ABANDON-LINE")), reports)
    check("read lock" in reports[0]["events"][0]["what"], reports)
    # More threads alive at once than max_threads: one thread-leak report.
    out = c.path("spawn.jsonl")
    r = c.run([exe, "spawn"], f"report_format=json:report_path={out}:max_threads=8")
    check(r.returncode == 66 and "done" in r.stdout, f"spawn: exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["thread-leak"], reports)
    check("more than max_threads=8" in reports[0]["detail"], reports)
    check(c.has_line(reports[0], src, c.marker_line(src, "SPAWN-LINE")), reports)
    r = c.run([exe, "spawn"], "max_threads=0")
    check(r.returncode == 0 and "WARNING" not in r.stderr, f"max_threads=0: {r.stderr}")
    # A relock of a default mutex: one deadlock report, no mutex-misuse beside it.
    out = c.path("relock.jsonl")
    r = c.run([exe, "relock"], f"report_format=json:report_path={out}:deadlock_timeout_ms=200")
    check(r.returncode == 66 and "done" not in r.stdout, f"relock: exit {r.returncode}\n{r.stderr}")
    reports = c.json_reports(out)
    check([rep["kind"] for rep in reports] == ["deadlock"], reports)
    check(c.has_line(reports[0], src, c.marker_line(src, "RELOCK-LINE")), reports)


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--compiler", choices=["clang", "gcc"], required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("case", choices=sorted(CASES))
    args = parser.parse_args()
    try:
        CASES[args.case](Case(args))
    except (Failure, subprocess.TimeoutExpired) as e:
        print(f"FAIL {args.case} ({args.compiler}): {e}")
        return 1
    print(f"ok {args.case} ({args.compiler})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
