// libFuzzer target for conc-lint's analysis pipeline: a mutated C or C++
// source goes through Clang, the per-function summarizer, the cross-unit
// merge, every check and every output format, as one run of conc-lint would.
//
// Input: one language byte ('c' for C, anything else for C++) followed by the
// source. A line "//--next-unit--" splits the source into several translation
// units, whose summaries are merged as conc-lint merges its units.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <clang/Tooling/Tooling.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/raw_ostream.h>

#include "analyses/program_model.h"
#include "analyses/tu_summarizer.h"
#include "checks/registry.h"
#include "output/report.h"
#include "output/suppressions.h"

namespace {

constexpr llvm::StringLiteral kUnitSeparator = "//--next-unit--";
constexpr size_t kMaxUnits = 4;

conc::lint::ProgramSummary summarizeUnits(llvm::StringRef source, bool isC) {
  std::vector<std::string> args = {"-fsyntax-only", "-pthread", "-w", "-ferror-limit=20",
                                    "-resource-dir", CONC_CLANG_RESOURCE_DIR};
  args.push_back(isC ? "-std=c11" : "-std=c++20");
  if (isC)
    args.insert(args.begin(), {"-x", "c"});
  conc::lint::ProgramSummary program;
  for (size_t unit = 0; unit < kMaxUnits && !source.empty(); ++unit) {
    auto [code, rest] = unit + 1 < kMaxUnits ? source.split(kUnitSeparator)
                                             : std::pair{source, llvm::StringRef()};
    conc::lint::ProgramSummary summary;
    std::string name = "unit" + std::to_string(unit) + (isC ? ".c" : ".cpp");
    clang::tooling::runToolOnCodeWithArgs(conc::lint::makeSummarizeAction(summary), code, args, name);
    program.merge(std::move(summary));
    source = rest;
  }
  return program;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  bool isC = data[0] == 'c';
  llvm::StringRef source(reinterpret_cast<const char *>(data) + 1, size - 1);

  auto checks = conc::lint::allChecks();
  conc::lint::Report report;
  report.findings = conc::lint::dropSuppressed(
      conc::lint::runChecks(checks, conc::lint::buildProgramModel(summarizeUnits(source, isC))));
  for (const auto &check : checks)
    report.checks.push_back(check.get());

  std::string text;
  llvm::raw_string_ostream out(text);
  conc::lint::writeText(report, out, /*color=*/true);
  out << conc::lint::jsonReport(report) << conc::lint::sarifReport(report);
  return 0;
}
