#!/usr/bin/env python3
"""conc-lint under large and bad inputs, generated at test time in a
temporary folder (nothing large is committed). Each case checks one clear
line per bad part, findings for the rest, the exit status and the peak RSS.

usage: lint_stress.py --lint PATH/TO/conc-lint CASE
Exits 0 on success, 77 when the case cannot run here, 1 with a message on a
failure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

SKIP = 77
MIB = 1024 * 1024

# Two threads write a global without a lock: two unguarded-access findings.
RACY = """#include <pthread.h>
int counter;
static void* worker(void* arg) { counter++; return arg; }
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  counter++;
  pthread_join(t, 0);
  return counter;
}
"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Run:
    """One conc-lint run: exit status, output, peak RSS in bytes."""

    def __init__(self, status, stdout, stderr, peak):
        self.status, self.stdout, self.stderr, self.peak = status, stdout, stderr, peak

    def errors(self):
        return [line for line in self.stderr.splitlines() if line.startswith("conc-lint: error: ")]

    def summary(self):
        match = re.search(r"conc-lint: (\d+) findings? .* in (\d+) of (\d+) files? analyzed", self.stderr)
        check(match, f"no summary line:\n{self.stderr[-2000:]}")
        return tuple(int(n) for n in match.groups())


def lint(args, work, prefix=(), timeout=120):
    """Runs conc-lint in `work`; output goes to files (it can be megabytes)
    and wait4 gives this one process's peak RSS."""
    out_path, err_path = os.path.join(work, "lint.out"), os.path.join(work, "lint.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen([*prefix, LINT, *args], cwd=work, stdout=out, stderr=err)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    check(process.returncode != -9, f"conc-lint {' '.join(args)} did not finish in {timeout} s")
    with open(out_path, encoding="utf-8", errors="replace") as out, \
            open(err_path, encoding="utf-8", errors="replace") as err:
        run = Run(process.returncode, out.read(), err.read(), usage.ru_maxrss * 1024)
    print(f"exit {run.status}, peak RSS {run.peak / MIB:.0f} MiB, {len(run.errors())} error line(s)")
    return run


def bounded(run, limit_mib):
    check(run.peak < limit_mib * MIB, f"peak RSS {run.peak / MIB:.0f} MiB, over the {limit_mib} MiB bound")


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def unguarded_lines(run, name):
    return sorted({int(m) for m in re.findall(rf"{re.escape(name)}:(\d+):\d+: warning: .*\[unguarded-access\]",
                                              run.stdout)})


def case_many_files(work):
    # 10,000 files in 100 folders: 2,000 sources that include 4 headers
    # each, and 8,000 headers. One folder holds a race.
    for d in range(100):
        folder = os.path.join(work, "tree", f"mod{d}")
        for h in range(80):
            write(os.path.join(folder, f"h{h}.h"), f"#pragma once\nstatic inline int f_{d}_{h}(int x) {{ return x + {h}; }}\n")
        for s in range(20):
            includes = "".join(f'#include "h{(s * 4 + k) % 80}.h"\n' for k in range(4))
            body = f"int use_{d}_{s}(void) {{ return f_{d}_{(s * 4) % 80}({s}); }}\n"
            write(os.path.join(folder, f"s{s}.c"), includes + body)
    write(os.path.join(work, "tree", "mod0", "s0.c"), RACY)
    run = lint(["tree"], work, timeout=300)
    check(run.status == 1, f"exit {run.status}, want 1 (findings)\n{run.stderr[-2000:]}")
    check(run.summary() == (2, 2000, 2000), run.stderr[-2000:])
    check(unguarded_lines(run, "mod0/s0.c") == [3, 7], run.stdout)
    check(not run.errors(), run.errors()[:5])
    bounded(run, 1024)


def case_invalid_utf8(work):
    # Invalid UTF-8 in a comment, a string literal and a character literal
    # is legal C: the file is analyzed. In an identifier it is not: one line.
    write(os.path.join(work, "src", "comments.c"),
          b"// caf\xe9 \xff\xfe\n/* \xc3\x28 */\n" + RACY.encode() + b'const char* s = "\xe2\x28\xa1";\nchar c = \'\xff\';\n',
          "wb")
    write(os.path.join(work, "src", "ident.c"), b"int f\xe9(void) { return 0; }\n", "wb")
    # A file name that is not UTF-8.
    write(os.path.join(os.fsencode(work), b"src", b"na\xefve\xff.c"), RACY.encode(), "wb")
    run = lint(["--format=json", "src"], work)
    check(run.status == 1, f"exit {run.status}, want 1 (findings)\n{run.stderr}")
    check(run.summary() == (4, 2, 3), run.stderr)
    check(run.errors() == ["conc-lint: error: src/ident.c: could not be parsed (1 error); skipped"], run.stderr)
    report = json.loads(run.stdout)  # still valid JSON, whatever the names
    files = sorted({finding["file"] for finding in report["findings"]})
    check(files == ["src/comments.c", "src/na\ufffdve\ufffd.c"], files)
    bounded(run, 1024)


def case_big_compile_database(work):
    # 100,000 entries: 50,000 for files that do not exist, 50,000 duplicates
    # of the one real file's entry.
    write(os.path.join(work, "src", "real.c"), RACY)
    entries = [{"directory": work, "file": "src/real.c", "command": "cc -c src/real.c"}]
    entries += [{"directory": work, "file": f"src/gone{i}.c", "command": f"cc -c src/gone{i}.c"}
                for i in range(50000)]
    entries += [{"directory": work, "file": "src/real.c", "command": f"cc -DCOPY={i} -c src/real.c"}
                for i in range(49999)]
    write(os.path.join(work, "compile_commands.json"), json.dumps(entries))
    run = lint(["src"], work, timeout=120)
    check(run.status == 1, f"exit {run.status}, want 1 (findings)\n{run.stderr[-2000:]}")
    check(run.summary() == (2, 1, 1), run.stderr[-2000:])
    errors = run.errors()
    named = [e for e in errors if "compile_commands.json: entry for missing file" in e]
    check(len(named) == 10 and len(errors) == 11 and errors[-1].endswith(
        "compile_commands.json: 49990 more entries for missing files"), f"{len(errors)} error lines: {errors[:3]} .. {errors[-1:]}")
    check(unguarded_lines(run, "src/real.c") == [3, 7], run.stdout)
    bounded(run, 1024)


def case_unreadable(work):
    write(os.path.join(work, "src", "good.c"), RACY)
    write(os.path.join(work, "src", "secret.c"), RACY)
    write(os.path.join(work, "src", "locked", "hidden.c"), RACY)
    os.chmod(os.path.join(work, "src", "secret.c"), 0)
    os.chmod(os.path.join(work, "src", "locked"), 0)
    prefix = ()
    if os.geteuid() == 0:
        # chmod does not stop root: run conc-lint as nobody instead.
        setpriv = shutil.which("setpriv")
        if not setpriv:
            print("skipped: running as root and setpriv is missing, so chmod 000 cannot make a file unreadable")
            sys.exit(SKIP)
        prefix = (setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups")
        os.chmod(work, 0o755)
        if subprocess.run([*prefix, LINT, "--version"], capture_output=True).returncode != 0:
            print(f"skipped: nobody cannot run {LINT}")
            sys.exit(SKIP)
    run = lint(["src"], work, prefix)
    check(run.status == 1, f"exit {run.status}, want 1 (findings)\n{run.stderr}")
    check(run.summary() == (2, 1, 1), run.stderr)
    check(sorted(run.errors()) == ["conc-lint: error: src/locked: folder cannot be read (Permission denied); skipped",
                                   "conc-lint: error: src/secret.c: cannot be read (Permission denied); skipped"],
          run.stderr)
    bounded(run, 1024)


def case_symlink_loops(work):
    # Two links to parent folders (2^40 paths if followed blindly), a link
    # to a file already in the tree, a dangling link and a FIFO (opening it
    # would block forever).
    write(os.path.join(work, "tree", "src", "a.c"), RACY)
    os.symlink("..", os.path.join(work, "tree", "src", "up"))
    os.makedirs(os.path.join(work, "tree", "src", "deeper"))
    os.symlink("../..", os.path.join(work, "tree", "src", "deeper", "up2"))
    os.symlink("self", os.path.join(work, "tree", "self"))
    os.symlink("src/a.c", os.path.join(work, "tree", "alias.c"))
    os.symlink("nowhere.c", os.path.join(work, "tree", "dangling.c"))
    os.mkfifo(os.path.join(work, "tree", "pipe.c"))
    run = lint(["tree"], work, timeout=60)
    check(run.status == 1, f"exit {run.status}, want 1 (findings)\n{run.stderr[-2000:]}")
    check(run.summary() == (2, 1, 1), run.stderr[-2000:])
    check(sorted(run.errors()) == ["conc-lint: error: tree/dangling.c: dangling symbolic link; skipped",
                                   "conc-lint: error: tree/pipe.c: not a regular file; skipped"], run.stderr)
    bounded(run, 1024)


CASES = {
    "many_files": case_many_files,
    "invalid_utf8": case_invalid_utf8,
    "big_compile_database": case_big_compile_database,
    "unreadable": case_unreadable,
    "symlink_loops": case_symlink_loops,
}


def main():
    global LINT
    parser = argparse.ArgumentParser()
    parser.add_argument("--lint", required=True)
    parser.add_argument("case", choices=CASES)
    args = parser.parse_args()
    LINT = os.path.abspath(args.lint)
    work = tempfile.mkdtemp(prefix=f"conc-stress-{args.case}-")
    try:
        CASES[args.case](work)
    except Failure as failure:
        print(f"FAIL {args.case}: {failure}")
        return 1
    finally:
        for root, dirs, _ in os.walk(work):  # open what a case locked, so it can be removed
            for d in dirs:
                if not os.path.islink(os.path.join(root, d)):
                    os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(work, ignore_errors=True)
    print(f"ok {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
