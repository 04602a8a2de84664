// What to do about a report: the fix pattern in one line, named from the
// report's own functions and variables, and the page of docs/reports/ that
// explains the report kind with a buggy example and its fix. Both formats
// print them, and the HTML report shows them above each finding's stacks.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace conc::rt {

// "guard `counter` with one mutex held at both accesses (in `reader` and
// `writer`), or make it std::atomic", "always lock `a` before `b`"...
std::string fix_advice(const ReportView& report);

// `docs_dir`/reports/<kind>.md, the page for the report's kind.
std::string docs_page(const std::string& docs_dir, engine::ReportKind kind);

// conc's documentation folder as seen from libconcrt at `module`: the
// installed copy (PREFIX/share/doc/conc beside PREFIX/lib), else the source
// tree the library was built from.
std::string docs_dir_for(const std::string& module);

// The lock names cycle reports use: M0, M1... in cycle order, with the
// global variable's name when the lock is one ("M0 `mu_a`").
std::string lock_label(const ReportView& report, uintptr_t lock);

}  // namespace conc::rt
