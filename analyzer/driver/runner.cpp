// The parallel translation-unit runner.
#include "driver/runner.h"

#include <atomic>
#include <mutex>
#include <thread>

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include "analyses/tu_summarizer.h"
#include "output/report.h"

namespace conc::lint {
namespace {

// Counts errors, and keeps the text of each diagnostic for --verbose.
class CollectingDiagnostics : public clang::DiagnosticConsumer {
 public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    const char* label = level >= clang::DiagnosticsEngine::Error     ? "error"
                        : level == clang::DiagnosticsEngine::Warning ? "warning"
                                                                     : "note";
    llvm::SmallString<128> message;
    info.FormatDiagnostic(message);
    llvm::raw_string_ostream out(text);
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      clang::PresumedLoc loc = info.getSourceManager().getPresumedLoc(info.getLocation());
      if (loc.isValid()) out << loc.getFilename() << ":" << loc.getLine() << ":" << loc.getColumn() << ": ";
    }
    out << label << ": " << message << "\n";
  }

  std::string text;
};

struct UnitResult {
  ProgramSummary summary;
  bool parsed = false;
  unsigned errors = 0;
  std::string diagnostics;
};

UnitResult runUnit(const CompileJob& job, bool verbose) {
  UnitResult result;
  std::vector<std::string> args = job.args;
  // Only errors decide whether a unit is analyzed: unless they are shown,
  // warnings are not even looked for (clang builds a CFG per function for
  // some of them).
  if (!verbose && !args.empty()) args.insert(args.begin() + 1, "-w");
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs = llvm::vfs::createPhysicalFileSystem();
  fs->setCurrentWorkingDirectory(job.directory);
  auto files = llvm::makeIntrusiveRefCnt<clang::FileManager>(clang::FileSystemOptions{}, fs);
  CollectingDiagnostics diagnostics;
  clang::tooling::ToolInvocation invocation(std::move(args), makeSummarizeAction(result.summary),
                                            files.get());
  invocation.setDiagnosticConsumer(&diagnostics);
  bool ran = invocation.run();
  result.errors = diagnostics.getNumErrors();
  result.parsed = ran && result.errors == 0;
  result.diagnostics = std::move(diagnostics.text);
  return result;
}

}  // namespace

RunResult runTranslationUnits(const std::vector<CompileJob>& jobs, const RunnerOptions& options) {
  std::vector<UnitResult> units(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex console;
  auto worker = [&] {
    for (size_t i; (i = next++) < jobs.size();) {
      units[i] = runUnit(jobs[i], options.verbose);
      std::lock_guard<std::mutex> lock(console);
      ++done;
      if (options.verbose) llvm::errs() << units[i].diagnostics;
      if (options.progress)
        llvm::errs() << "\r\033[K[" << done << "/" << jobs.size() << "] " << displayPath(jobs[i].file);
    }
  };
  unsigned threads = std::max(1u, std::min<unsigned>(options.jobs, jobs.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
  if (options.progress) llvm::errs() << "\r\033[K";

  RunResult result;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!units[i].parsed) {
      result.errors.push_back(displayPath(jobs[i].file) + ": could not be parsed (" +
                              std::to_string(units[i].errors) + " error" + (units[i].errors == 1 ? "" : "s") +
                              "); skipped");
      continue;
    }
    ++result.analyzed;
    result.program.merge(std::move(units[i].summary));
  }
  return result;
}

}  // namespace conc::lint
