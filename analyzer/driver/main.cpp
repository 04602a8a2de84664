// conc-lint: finds data races and lock-order inversions in C and C++ code.
// Exit status: 0 no findings at or above --fail-on, 1 there are, 2 usage or
// environment errors or nothing could be analyzed.
#include <chrono>
#include <thread>

#include <llvm/Support/BuryPointer.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Format.h>
#include <llvm/Support/InitLLVM.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/raw_ostream.h>

#include "analyses/program_model.h"
#include "checks/registry.h"
#include "driver/compile_commands.h"
#include "driver/config.h"
#include "driver/options.h"
#include "driver/runner.h"
#include "driver/sources.h"
#include "output/baseline.h"
#include "output/lock_graph.h"
#include "output/report.h"
#include "output/suppressions.h"

namespace conc::lint {
namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitTrouble = 2;

void error(const std::string& line) { llvm::errs() << "conc-lint: error: " << line << "\n"; }
void note(const std::string& line) { llvm::errs() << "conc-lint: note: " << line << "\n"; }

bool writeJSONFile(const std::string& file, const llvm::json::Value& value) {
  std::error_code ec;
  llvm::raw_fd_ostream out(file, ec);
  if (ec) {
    error(file + ": cannot write: " + ec.message());
    return false;
  }
  out << llvm::formatv("{0:2}", value) << "\n";
  return true;
}

bool writeReport(const Options& options, const Report& report) {
  std::error_code ec;
  llvm::raw_fd_ostream out(options.outputFile.empty() ? "-" : options.outputFile, ec);
  if (ec) {
    error(options.outputFile + ": cannot write: " + ec.message());
    return false;
  }
  switch (options.format) {
    case OutputFormat::Text: {
      bool color = options.color == ColorMode::Always ||
                   (options.color == ColorMode::Auto && options.outputFile.empty() &&
                    llvm::sys::Process::StandardOutIsDisplayed());
      writeText(report, out, color);
      break;
    }
    case OutputFormat::Json:
      out << llvm::formatv("{0:2}", jsonReport(report)) << "\n";
      break;
    case OutputFormat::Sarif:
      out << llvm::formatv("{0:2}", sarifReport(report)) << "\n";
      break;
  }
  return true;
}

// One line on stderr at the end: what was found, in how many files, how fast.
void printSummary(const Report& report) {
  size_t bySeverity[3] = {0, 0, 0};
  for (const Finding& finding : report.findings) ++bySeverity[static_cast<int>(finding.severity)];
  std::string counts;
  for (Severity severity : {Severity::Error, Severity::Warning, Severity::Note})
    if (size_t n = bySeverity[static_cast<int>(severity)])
      counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(severityName(severity)) +
                (n == 1 ? "" : "s");
  size_t n = report.findings.size();
  llvm::errs() << "conc-lint: " << n << (n == 1 ? " finding" : " findings")
               << (counts.empty() ? "" : " (" + counts + ")") << " in " << report.stats.translationUnits
               << " of " << report.stats.files << (report.stats.files == 1 ? " file" : " files")
               << " analyzed, " << llvm::format("%.1f", report.stats.seconds) << " s\n";
}

int run(const Options& options) {
  auto started = std::chrono::steady_clock::now();
  bool trouble = false;
  size_t errors = 0;
  auto fail = [&](const std::string& line) {
    error(line);
    ++errors;
  };

  std::vector<std::string> checkIds;
  for (const auto& check : allChecks()) checkIds.emplace_back(check->id());
  ConfigResult loaded = loadConfig(options.paths, checkIds);
  if (!loaded.error.empty()) {
    error(loaded.error);
    return kExitTrouble;
  }
  const Config& config = loaded.config;
  std::vector<std::unique_ptr<Check>> checks = selectChecks(config.checks);

  SourceSet sources = discoverSources(options.paths);
  std::erase_if(sources.files, [&](const std::string& file) { return config.excluded(file); });
  for (const std::string& line : sources.errors) fail(line);
  trouble = !sources.errors.empty();
  // Like a file that does not parse, these do not change the exit status.
  for (const std::string& line : sources.skipped) fail(line);

  CompilePlan plan = planCompilation(options.paths, sources, options.compileDatabaseDir, options.extraArgs);
  for (const std::string& line : plan.errors) fail(line);
  trouble = trouble || plan.fatal;
  if (plan.defaulted > 0)
    note(std::string(plan.database.empty() ? "no compile_commands.json found"
                                           : "some sources have no compile command") +
         "; using default flags for " + std::to_string(plan.defaulted) +
         " file(s) (-std by extension, -pthread, the tree's include folders)");
  if (plan.jobs.empty()) {
    fail("no C or C++ sources to analyze");
    return kExitTrouble;
  }

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  RunResult result =
      runTranslationUnits(plan.jobs, {jobs, options.verbose, llvm::sys::Process::StandardErrIsDisplayed()});
  for (const std::string& line : result.errors) fail(line);
  if (!options.summariesFile.empty() && !writeJSONFile(options.summariesFile, toJSON(result.program)))
    trouble = true;

  Report report;
  auto model = std::make_unique<ProgramModel>(buildProgramModel(std::move(result.program)));
  report.findings = dropSuppressed(runChecks(checks, *model));
  // Findings in excluded headers go too.
  std::erase_if(report.findings, [&](const Finding& finding) { return config.excluded(finding.loc.file); });
  if (!options.graphFile.empty()) {
    std::string message;
    if (!writeLockGraph(options.graphFile, lockGraphDot(*model, report.findings), message)) {
      fail(message);
      trouble = true;
    } else if (!message.empty()) {
      note(message);
    }
  }
  // The process ends soon: like clang's -disable-free, leave the model to the
  // OS. Freeing a large program's summaries piece by piece takes a few
  // percent of the run.
  llvm::BuryPointer(std::move(model));
  if (!options.writeBaselineFile.empty())
    if (std::string why = writeBaseline(options.writeBaselineFile, report.findings); !why.empty()) {
      fail(options.writeBaselineFile + ": cannot write the baseline: " + why);
      trouble = true;
    }
  if (!options.baselineFile.empty()) {
    std::set<std::string> known;
    if (std::string why = readBaseline(options.baselineFile, known); !why.empty()) {
      fail(options.baselineFile + ": unusable baseline: " + why);
      trouble = true;
    }
    report.findings = dropBaselined(std::move(report.findings), known);
  }
  for (const auto& check : checks) report.checks.push_back(check.get());
  if (result.analyzed == 0) {
    fail("nothing could be analyzed");
    trouble = true;
  }
  report.stats = {plan.jobs.size(), result.analyzed, errors,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
  if (!writeReport(options, report)) return kExitTrouble;
  printSummary(report);
  if (trouble) return kExitTrouble;
  Severity failOn = options.failOn.value_or(config.failOn.value_or(Severity::Warning));
  for (const Finding& finding : report.findings)
    if (finding.severity >= failOn) return kExitFindings;
  return kExitClean;
}

}  // namespace
}  // namespace conc::lint

int main(int argc, const char** argv) {
  llvm::InitLLVM init(argc, argv);
  auto options = conc::lint::parseOptions(argc, argv);
  if (!options) return conc::lint::kExitTrouble;
  return conc::lint::run(*options);
}
