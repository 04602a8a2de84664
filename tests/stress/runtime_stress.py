#!/usr/bin/env python3
"""Runtime stress programs: build one program of programs/ natively and
through conc-cc/conc-c++ with the same compiler, run both with the same
arguments, and require the same exit status, byte-identical stdout and no
conc report.

usage: runtime_stress.py --bin BINDIR --compiler clang|gcc --work DIR PROGRAM [ARG...]
Exits 0 on success; prints what went wrong otherwise.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = {("clang", "c"): "clang", ("clang", "cpp"): "clang++", ("gcc", "c"): "gcc", ("gcc", "cpp"): "g++"}
FLAGS = ["-O1", "-g", "-pthread"]


def build(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        sys.exit(f"build failed: {' '.join(command)}\n{result.stderr}")


def run(argv, env):
    started = time.monotonic()
    result = subprocess.run(argv, env=env, capture_output=True, timeout=120)
    return result, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--compiler", choices=["clang", "gcc"], required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("program")
    parser.add_argument("args", nargs="*")
    args = parser.parse_args()
    source = os.path.join(HERE, "programs", args.program)
    language = "cpp" if source.endswith(".cpp") else "c"
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    native = os.path.join(args.work, "native")
    watched = os.path.join(args.work, "conc")
    build([NATIVE[(args.compiler, language)], *FLAGS, "-o", native, source])
    driver = os.path.join(os.path.abspath(args.bin), "conc-c++" if language == "cpp" else "conc-cc")
    build([driver, *FLAGS, "-o", watched, source], dict(os.environ, CONC_COMPILER=args.compiler))

    env = {k: v for k, v in os.environ.items() if k != "CONC_OPTIONS"}
    expected, native_seconds = run([native, *args.args], env)
    actual, conc_seconds = run([watched, *args.args], env)
    print(f"native {native_seconds:.1f} s, conc {conc_seconds:.1f} s: {actual.stdout.decode(errors='replace')}")
    problems = []
    if expected.returncode != 0:
        problems.append(f"the native run failed (exit {expected.returncode}): the program itself is wrong")
    if actual.returncode != expected.returncode:
        problems.append(f"exit {actual.returncode} under conc, {expected.returncode} natively")
    if actual.stdout != expected.stdout:
        problems.append(f"stdout differs:\n  native: {expected.stdout!r}\n  conc:   {actual.stdout!r}")
    if b"WARNING: conc:" in actual.stderr:
        problems.append("conc reported something")
    if problems:
        print("\n".join(problems))
        print(actual.stderr.decode(errors="replace")[-4000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
