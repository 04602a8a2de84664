#!/usr/bin/env python3
"""conc-run's pictures and the fix lines of runtime reports, end to end.

Builds tests/runtime/programs/abba.c (a lock-order inversion) and race.c (a
data race) with conc-cc, runs them under conc-run and checks:
  * every text and JSON report has a one-line fix naming the program's own
    functions and locks, and a docs page that exists;
  * --graph=FILE.dot is a DOT lock-order graph with both locks (named, with
    their sites) and the inverted edges in red; Graphviz accepts it;
  * --graph=FILE.svg is SVG when Graphviz is installed, else DOT beside it
    with a message saying why;
  * --report-html=DIR writes one self-contained page with the finding, its
    fix, its stacks, the lock graph and the contention table, which headless
    Chromium renders into a non-blank screenshot (kept as DIR/screenshot.png).
A deadlock (corpus/locks/abba_deadlock.cpp) halts the program and still
writes the HTML report, with the wait-for cycle as deadlock-1.dot. A
symbolic link planted in the report folder is not followed.
Every report kind has its docs page (docs/reports/<kind>.md).

usage: runtime_outputs_test.py BINDIR SOURCE_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import pictures  # noqa: E402

bindir, source, work = (os.path.abspath(a) for a in sys.argv[1:4])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
programs = os.path.join(source, "tests", "runtime", "programs")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def build(name):
    exe = os.path.join(work, name)
    subprocess.run([os.path.join(bindir, "conc-cc"), "-o", exe, os.path.join(programs, name + ".c")], check=True,
                   timeout=300)
    return exe


def conc_run(*args):
    env = {k: v for k, v in os.environ.items() if k != "CONC_OPTIONS"}
    return subprocess.run([os.path.join(bindir, "conc-run"), *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=work)


# Every report kind has its page.
model = open(os.path.join(source, "runtime", "reports", "report_model.cpp")).read()
kind_name = model[model.index("kind_name("):model.index("kind_message(")]
kinds = sorted(set(re.findall(r'return "([a-z-]+)";', kind_name)) - {"unknown"})
check(len(kinds) >= 10, f"report kinds not found in report_model.cpp: {kinds}")
for kind in kinds:
    check(os.path.exists(os.path.join(source, "docs", "reports", kind + ".md")), f"no docs/reports/{kind}.md")

abba, race = build("abba"), build("race")

# Text reports: a Fix line naming the functions and locks, a Docs line.
text = conc_run("--", race).stderr
fix = re.search(r"^  Fix: (.*)$", text, re.M)
if check(fix, f"race report without a Fix line:\n{text}"):
    check("`counter`" in fix[1] and "`worker`" in fix[1] and "std::atomic" in fix[1], f"race fix: {fix[1]}")
docs = re.search(r"^  Docs: (.*)$", text, re.M)
if check(docs, f"race report without a Docs line:\n{text}"):
    check(docs[1].endswith("/reports/data-race.md") and os.path.exists(docs[1]), f"race docs page: {docs[1]}")

# JSON reports carry the same; the inversion's fix gives the lock order.
jsonl = os.path.join(work, "abba.jsonl")
conc_run("--report-format=json", "--report-path=" + jsonl, "--", abba)
reports = [json.loads(line) for line in open(jsonl)]
inversions = [r for r in reports if r["kind"] == "lock-order-inversion"]
if check(inversions, f"no lock-order-inversion in {reports}"):
    r = inversions[0]
    check(re.search(r"always lock M0 `[ab]` before M1 `[ab]`", r.get("fix", "")), f"inversion fix: {r.get('fix')}")
    check("`backward`" in r["fix"] or "`forward`" in r["fix"], f"inversion fix names no function: {r['fix']}")
    check(os.path.exists(r.get("docs", "")) and r["docs"].endswith("lock-order-inversion.md"), f"docs: {r.get('docs')}")

# --graph as DOT.
dot_file = os.path.join(work, "locks.dot")
conc_run("--graph=" + dot_file, "--", abba)
graph = pictures.Graph(open(dot_file).read())
labels = {n: graph.label(n) for n in graph.nodes}
check(len(graph.nodes) == 2 and len(graph.edges) == 2, f"abba's graph: {labels} {graph.edges}")
for node, label in labels.items():
    check(re.match(r"[ab] \(0x[0-9a-f]+\)\n(created|first locked) in \w+ at abba\.c:\d+$", label),
          f"node label: {label!r}")
check(all(e["red"] for e in graph.edges) and all(n["red"] for n in graph.nodes.values()),
      "the inverted edges and their locks are not drawn as the cycle")
check({e["label"].split(":")[0] for e in graph.edges} == {"T1", "T2"}, f"edge labels: {graph.edges}")
if pictures.dot_available():
    pictures.dot_to_svg(dot_file)

# --graph as SVG, or DOT with a reason.
svg_file = os.path.join(work, "locks.svg")
result = conc_run("--graph=" + svg_file, "--", abba)
if pictures.dot_available():
    check(os.path.exists(svg_file) and "<svg" in open(svg_file).read(), "no SVG lock graph")
else:
    check(os.path.exists(svg_file + ".dot") and "Graphviz's dot is not installed" in result.stderr,
          f"without Graphviz: no DOT fallback or message:\n{result.stderr}")

# The HTML report.
html_dir = os.path.join(work, "html")
result = conc_run("--report-html=" + html_dir, "--contention-report", "--", abba)
page_file = os.path.join(html_dir, "index.html")
check("HTML report written to" in result.stderr, f"no HTML message:\n{result.stderr}")
page = open(page_file).read()
check(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"), "not a whole HTML page")
check(not re.search(r'(src|href)="https?:', page), "the page fetches something from the network")
check("lock-order-inversion (potential deadlock)" in page and "<b>Fix:</b> always lock" in page, "finding or fix missing")
check("abba.c:13" in page and "Stacks" in page, "stacks missing")
check("<h2>Lock contention</h2>\n<table>" in page or "No lock was ever waited for" in page, "contention table missing")
check(os.path.exists(os.path.join(html_dir, "cycle-1.dot")), "no cycle-1.dot for the inversion")
pictures.Graph(open(os.path.join(html_dir, "cycle-1.dot")).read())
if pictures.dot_available():
    check(page.count("<svg") == 2, "the lock graph and the cycle are not inline SVG")
if pictures.chromium():
    png = os.path.join(html_dir, "screenshot.png")
    pictures.screenshot(page_file, png)
    inked, colours = pictures.ink(png)
    print(f"screenshot {png}: {inked:.1%} of pixels inked, {colours} colours")
    check(0.01 < inked < 0.9 and colours > 8, "the rendered page looks blank or broken")
else:
    print("skipped: no chromium to render the HTML report")

# A symbolic link planted in the report folder is not followed: the file it
# points to, outside the folder, is left alone.
trap_dir = os.path.join(work, "trap-html")
os.makedirs(trap_dir)
outside = os.path.join(work, "outside.txt")
with open(outside, "w") as f:
    f.write("precious\n")
os.symlink(outside, os.path.join(trap_dir, "index.html"))
result = conc_run("--report-html=" + trap_dir, "--", abba)
check(open(outside).read() == "precious\n", "the report was written through a symbolic link")
check("index.html: it is a symbolic link, not followed" in result.stderr, f"no message for the link:\n{result.stderr}")
check(os.path.exists(os.path.join(trap_dir, "lock-graph.dot")), "the rest of the report folder was not written")

# A deadlock halts the program; the HTML report is still written, with the
# wait-for cycle as a picture.
deadlock = os.path.join(work, "abba_deadlock")
subprocess.run([os.path.join(bindir, "conc-c++"), "-o", deadlock,
                os.path.join(source, "corpus", "locks", "abba_deadlock.cpp")], check=True, timeout=300)
deadlock_dir = os.path.join(work, "deadlock-html")
result = conc_run("--report-html=" + deadlock_dir, "--", deadlock)
check(result.returncode == 66 and "WARNING: conc: deadlock" in result.stderr, f"no deadlock report:\n{result.stderr}")
if check(os.path.exists(os.path.join(deadlock_dir, "deadlock-1.dot")), "no deadlock-1.dot"):
    cycle = pictures.Graph(open(os.path.join(deadlock_dir, "deadlock-1.dot")).read())
    threads = {n for n in cycle.nodes if cycle.label(n).startswith("thread T")}
    locks = {n for n in cycle.nodes if cycle.label(n).startswith("lock 0x")}
    check(len(threads) == 2 and len(locks) == 2 and len(cycle.edges) == 4, f"deadlock cycle: {cycle.nodes}")
    check(all((e["from"] in threads) == (e["to"] in locks) for e in cycle.edges), f"not a wait-for cycle: {cycle.edges}")
    check(all(re.search(r"abba_deadlock\.cpp:\d+$", e["label"]) for e in cycle.edges), f"edge sites: {cycle.edges}")
    if pictures.dot_available():
        pictures.dot_to_svg(os.path.join(deadlock_dir, "deadlock-1.dot"))
        check("<svg" in open(os.path.join(deadlock_dir, "index.html")).read(), "the deadlock page has no picture")

for failure in failures:
    print("FAIL:", failure)
print("PASS" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
