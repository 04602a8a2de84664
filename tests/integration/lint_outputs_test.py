#!/usr/bin/env python3
"""conc-lint's output as users and CI see it, end to end.

  * Every finding has a one-line fix and an existing docs page: in SARIF
    over the whole corpus (properties.fix; every rule's helpUri is a file://
    URI of an existing page), in JSON on four lock programs (advice, docs), in
    text on abba.cpp (`note: fix:` / `note: docs:`); every check has its
    docs/checks page.
  * The SARIF validates against tests/integration/sarif-2.1.0-required.json
    (the specification's required structure; Debian ships no official schema).
  * The GitHub Actions workflow's conc-lint command (docs/ci/github-actions.yml)
    on a small CMake project with a baseline: exit 0 with only baselined
    findings, 1 with a new one, which alone is in the SARIF.
  * --graph: DOT of corpus/locks/abba.cpp's lock-order graph with the
    inversion in red, accepted by Graphviz; SVG for *.svg.
  * A summary line on stderr, and a progress line when stderr is a terminal.

usage: lint_outputs_test.py BINDIR SOURCE_DIR WORK_DIR
"""
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import pictures  # noqa: E402

bindir, source, work = (os.path.abspath(a) for a in sys.argv[1:4])
lint = os.path.join(bindir, "conc-lint")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def run(*args, cwd=work):
    return subprocess.run([lint, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


# Every check has its page.
checks_dir = os.path.join(source, "docs", "checks")
sarif_file = os.path.join(work, "corpus.sarif")
result = run("-j2", "--format=sarif", "-o", sarif_file, os.path.join(source, "corpus"))
check(result.returncode == 1, f"conc-lint on the corpus exited {result.returncode}: {result.stderr[-2000:]}")
sarif = json.load(open(sarif_file))
rules = sarif["runs"][0]["tool"]["driver"]["rules"]
check(len(rules) >= 11, f"only {len(rules)} rules")
for rule in rules:
    uri = rule.get("helpUri", "")
    path = urllib.parse.urlparse(uri).path
    check(uri.startswith("file:///") and path.endswith(f"/checks/{rule['id']}.md") and os.path.exists(path),
          f"rule {rule['id']}: helpUri {uri!r} is not its existing docs page")
    check(os.path.exists(os.path.join(checks_dir, rule["id"] + ".md")), f"no docs/checks/{rule['id']}.md")
results = sarif["runs"][0]["results"]
check(len(results) > 50, f"only {len(results)} findings on the corpus")
fired = set()
for r in results:
    fired.add(r["ruleId"])
    fix = r.get("properties", {}).get("fix", "")
    check(len(fix) > 10 and "\n" not in fix, f"SARIF result without a one-line fix: {r['ruleId']} {r['message']['text']}")
print(f"corpus: {len(results)} findings of {len(fired)} checks, each with a fix")

# The SARIF validates against the required structure.
schema = json.load(open(os.path.join(os.path.dirname(__file__), "sarif-2.1.0-required.json")))
try:
    import jsonschema
except ImportError:
    jsonschema = None
    print("skipped: python3-jsonschema is not installed, SARIF not validated")


def validate(log, name):
    if not jsonschema:
        return
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for error in validator.iter_errors(log):
        failures.append(f"{name}: SARIF invalid at {list(error.absolute_path)}: {error.message}")


validate(sarif, "corpus.sarif")
# The validator does reject what the specification forbids.
broken = json.loads(json.dumps(sarif))
broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
del broken["runs"][0]["tool"]["driver"]["name"]
if jsonschema:
    check(len(list(jsonschema.Draft7Validator(schema).iter_errors(broken))) == 2, "the schema accepts a broken log")

# JSON and text: the same fix and docs for every finding (a few programs are
# enough: the writers share fixAdvice and docsPage with SARIF).
locks = os.path.join(source, "corpus", "locks")
report = json.loads(run("-j2", "--format=json", *(os.path.join(locks, f) for f in (
    "abba.cpp", "lock_leak_early_return.cpp", "sleep_under_lock.cpp", "self_deadlock.c"))).stdout)
check(len({f["check"] for f in report["findings"]}) >= 3, f"too few checks fired: {report['findings']}")
for f in report["findings"]:
    check(f.get("advice") and os.path.exists(f.get("docs", "")), f"JSON finding without advice or docs: {f['check']}")
text = run("--color=never", os.path.join(source, "corpus", "locks", "abba.cpp")).stdout
warnings = len(re.findall(r": warning: ", text))
check(warnings > 0 and len(re.findall(r": note: fix: ", text)) == warnings
      and len(re.findall(r": note: docs: .*/checks/lock-order-inversion\.md$", text, re.M)) == warnings,
      f"text findings without fix or docs notes:\n{text}")
check("always lock `audit_mutex` before `accounts_mutex`" in text or "always lock `accounts_mutex` before `audit_mutex`"
      in text, f"the inversion's fix does not name the order:\n{text}")

# The documented workflow's conc-lint command, on a small project with a baseline.
workflow = open(os.path.join(source, "docs", "ci", "github-actions.yml")).read()
command = re.search(r"run: /opt/conc/bin/conc-lint (.*)$", workflow, re.M)
if check(command, "no conc-lint step in docs/ci/github-actions.yml"):
    project = os.path.join(work, "project")
    os.makedirs(os.path.join(project, "src"))
    with open(os.path.join(project, "CMakeLists.txt"), "w") as f:
        f.write("cmake_minimum_required(VERSION 3.25)\nproject(ci_check CXX)\nfind_package(Threads)\n"
                "file(GLOB sources src/*.cpp)\nadd_executable(app ${sources})\n"
                "target_link_libraries(app Threads::Threads)\n")
    shutil.copy(os.path.join(source, "corpus", "shared-data", "bank_balance.cpp"), os.path.join(project, "src"))
    subprocess.run(["cmake", "-S", ".", "-B", "build-ci", "-G", "Ninja", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"],
                   cwd=project, check=True, capture_output=True)
    args = command[1].split()
    baseline = [a.split("=", 1)[1] for a in args if a.startswith("--baseline=")][0]
    run(f"--write-baseline={baseline}", "-p", "build-ci", "src/", cwd=project)
    accepted = run(*args, cwd=project)
    out = os.path.join(project, "conc-lint.sarif")
    check(accepted.returncode == 0, f"the baselined project fails the job: {accepted.returncode} {accepted.stderr}")
    check(json.load(open(out))["runs"][0]["results"] == [], "baselined findings are in the SARIF")
    shutil.copy(os.path.join(source, "corpus", "locks", "abba.cpp"), os.path.join(project, "src"))
    subprocess.run(["cmake", "build-ci"], cwd=project, check=True, capture_output=True)
    new = run(*args, cwd=project)
    check(new.returncode == 1, f"a new finding does not fail the job: exit {new.returncode} {new.stderr}")
    log = json.load(open(out))
    validate(log, "workflow SARIF")
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    check(files == {"src/abba.cpp"}, f"the workflow's SARIF holds {files}, expected the new finding in src/abba.cpp")

# --graph.
abba = os.path.join(source, "corpus", "locks", "abba.cpp")
dot_file = os.path.join(work, "abba.dot")
result = run("--graph=" + dot_file, abba)
graph = pictures.Graph(open(dot_file).read())
labels = sorted(graph.label(n).split("\n")[0] for n in graph.nodes)
check(labels == ["accounts_mutex", "audit_mutex"], f"nodes: {labels}")
check(all(re.match(r".+\nfirst locked at abba\.cpp:\d+$", graph.label(n)) for n in graph.nodes), "node sites")
check(len(graph.edges) == 2 and all(e["red"] for e in graph.edges), f"the inversion is not red: {graph.edges}")
check(all(re.match(r"abba\.cpp:\d+$", e["label"]) for e in graph.edges), f"edge labels: {graph.edges}")
if pictures.dot_available():
    pictures.dot_to_svg(dot_file)
    svg_file = os.path.join(work, "abba.svg")
    run("--graph=" + svg_file, abba)
    check("<svg" in open(svg_file).read(), "--graph=FILE.svg wrote no SVG")
else:
    result = run("--graph=" + os.path.join(work, "abba.svg"), abba)
    check("Graphviz's dot is not installed" in result.stderr and os.path.exists(os.path.join(work, "abba.svg.dot")),
          f"without Graphviz: {result.stderr}")

# The summary line, and progress on a terminal.
summary = re.search(r"^conc-lint: (\d+) findings? .*in (\d+) of (\d+) files? analyzed, [\d.]+ s$", result.stderr, re.M)
check(summary and summary[1] == "1" and summary[2] == "1", f"summary line: {result.stderr!r}")
pid, fd = pty.fork()
if pid == 0:
    os.execv(lint, [lint, "-j1", "-o", os.devnull, *(os.path.join(locks, f) for f in ("abba.cpp", "self_deadlock.c"))])
seen = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
os.waitpid(pid, 0)
terminal = seen.decode(errors="replace")
check(re.search(r"\[1/2\] \S*corpus/locks/", terminal) and re.search(r"\[2/2\] \S*corpus/locks/", terminal),
      f"no progress line: {terminal[-500:]!r}")
check("conc-lint: " in terminal and " s\r\n" in terminal, f"no summary on the terminal: {terminal[-500:]!r}")

for failure in failures:
    print("FAIL:", failure)
print("PASS" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
