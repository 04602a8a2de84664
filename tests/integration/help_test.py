#!/usr/bin/env python3
"""Every option a tool parses appears in its --help and in its man page.

The options are read from the tools' sources, so a new flag without help
text or man page entry fails here: conc-run's come from libconcrt's option
table (runtime/abi/options.cpp) and its own `a == "--flag"` tests, conc-lint's
from its llvm::cl declarations (analyzer/driver/options.cpp), conc-cc's from
its `--conc-*` flags and the environment variables it reads.

usage: help_test.py BINDIR SOURCE_DIR
"""
import os
import re
import subprocess
import sys

bindir, source = sys.argv[1], sys.argv[2]
failures = []


def read(*parts):
    with open(os.path.join(source, *parts)) as f:
        return f.read()


def man_text(page):
    """The man page's text without roff escapes (\\- is -, \\fB is a font change)."""
    text = read("docs", "man", page)
    text = re.sub(r"\\f[BIRP]", "", text).replace("\\-", "-").replace("\\&", "")
    return text


def run(tool, *args):
    result = subprocess.run([os.path.join(bindir, tool), *args], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def mentions(text, option):
    """`option` as a word of its own: -o must not match inside --output."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def expect(tool, options, help_text, page):
    man = man_text(page)
    if len(options) < 3:
        failures.append(f"{tool}: found only {options} in the sources; the test's patterns are stale")
    for option in options:
        if not mentions(help_text, option):
            failures.append(f"{tool}: {option} is parsed but not in --help")
        if not mentions(man, option):
            failures.append(f"{tool}: {option} is parsed but not in docs/man/{page}")
    print(f"{tool}: {len(options)} options checked: {' '.join(options)}")


# conc-run: libconcrt's option table (flag and CONC_OPTIONS key) and its own flags.
options_cpp = read("runtime", "abi", "options.cpp")
table = re.findall(r'\{"([a-z_]+)",\s*"(--[a-z-]+)"', options_cpp)
run_options = [flag for _, flag in table] + [key for key, _ in table]
run_options += re.findall(r'a == "(--?[a-z][a-z-]*)"', read("runtime", "tools", "conc_run.cpp"))
run_help = run("conc-run", "--help")
# The keys are CONC_OPTIONS names: the man page lists them, --help need not.
expect("conc-run", [o for o in run_options if o.startswith("-")], run_help, "conc-run.1")
expect("conc-run (CONC_OPTIONS keys)", [o for o in run_options if not o.startswith("-")], man_text("conc-run.1"),
       "conc-run.1")

# conc-lint: llvm::cl options and aliases, and --color, which it parses itself.
lint_cpp = read("analyzer", "driver", "options.cpp")
lint_names = re.findall(r'cl::(?:opt|list|alias)\s*(?:<[^>]*>)?\s*\w+\(\s*"([a-z-]+)"', lint_cpp)
lint_names += re.findall(r'consume_front\("--([a-z-]+)=', lint_cpp)
lint_options = sorted({("-" if len(n) == 1 else "--") + n for n in lint_names} | {"--help", "--version"})
expect("conc-lint", lint_options, run("conc-lint", "--help"), "conc-lint.1")
version = run("conc-lint", "--version")
if not re.search(r"conc-lint \d+\.\d+", version):
    failures.append(f"conc-lint --version printed {version!r}")

# conc-cc / conc-c++: the wrapper's own flags and the environment it reads.
cc_cpp = read("runtime", "tools", "conc_cc.cpp")
cc_options = sorted(set(re.findall(r'"(--conc-[a-z-]+)"', cc_cpp)) | set(re.findall(r'getenv\("([A-Z_]+)"\)', cc_cpp)))
expect("conc-cc", cc_options, run("conc-cc", "--conc-help"), "conc-cc.1")
expect("conc-c++", cc_options, run("conc-c++", "--conc-help"), "conc-cc.1")

for tool in ("conc-run", "conc-cc", "conc-c++"):
    flag = "--version" if tool == "conc-run" else "--conc-version"
    if not re.search(rf"{re.escape(tool)} \d+\.\d+", run(tool, flag)):
        failures.append(f"{tool} {flag} does not print its version")

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
