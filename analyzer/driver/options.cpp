// The llvm::cl option definitions.
#include "driver/options.h"

#include <llvm/ADT/StringSwitch.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/raw_ostream.h>

namespace conc::lint {

namespace cl = llvm::cl;

namespace {

// llvm::cl options live for the whole process.
cl::OptionCategory category("conc-lint options");
cl::list<std::string> paths(cl::Positional, cl::desc("PATH..."), cl::OneOrMore, cl::cat(category));
cl::opt<std::string> database("p",
                              cl::desc("Directory holding compile_commands.json (default: searched in each "
                                       "PATH and its ancestors)"),
                              cl::value_desc("dir"), cl::Prefix, cl::cat(category));
cl::opt<unsigned> jobs("j", cl::desc("Translation units analyzed in parallel (default: all cores)"),
                       cl::value_desc("N"), cl::init(0), cl::Prefix, cl::cat(category));
cl::opt<OutputFormat> format("format", cl::desc("Output format"), cl::init(OutputFormat::Text),
                             cl::values(clEnumValN(OutputFormat::Text, "text", "clang-style diagnostics"),
                                        clEnumValN(OutputFormat::Json, "json",
                                                   "JSON findings and statistics"),
                                        clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0")),
                             cl::cat(category));
cl::opt<std::string> output("output", cl::desc("Write the report to FILE instead of stdout (also -o FILE)"),
                            cl::value_desc("FILE"), cl::cat(category));
cl::alias outputShort("o", cl::desc("Alias for --output"), cl::aliasopt(output));
cl::opt<Severity> failOn("fail-on", cl::desc("Exit with 1 when a finding has at least this severity"),
                         cl::init(Severity::Warning),
                         cl::values(clEnumValN(Severity::Note, "note", "any finding"),
                                    clEnumValN(Severity::Warning, "warning", "warnings and errors"),
                                    clEnumValN(Severity::Error, "error", "errors only")),
                         cl::cat(category));
cl::opt<bool> verbose("verbose", cl::desc("Show the compiler's own diagnostics"), cl::cat(category));
cl::list<std::string> extraArgs("extra-arg", cl::desc("Add this argument to every compile command"),
                                cl::value_desc("arg"), cl::cat(category));
cl::opt<std::string> baseline("baseline", cl::desc("Report only findings not recorded in this baseline FILE"),
                              cl::value_desc("FILE"), cl::cat(category));
cl::opt<std::string> writeBaselineFile("write-baseline",
                                       cl::desc("Record the current findings as a baseline in FILE"),
                                       cl::value_desc("FILE"), cl::cat(category));
cl::opt<std::string> graph("graph",
                           cl::desc("Write the lock-order graph to FILE as Graphviz DOT, or as SVG when FILE "
                                    "ends in .svg and Graphviz is installed"),
                           cl::value_desc("FILE"), cl::cat(category));
cl::opt<std::string> summaries("dump-summaries",
                               cl::desc("Write the merged per-function summaries as JSON to FILE"),
                               cl::value_desc("FILE"), cl::cat(category));

}  // namespace

std::optional<Options> parseOptions(int argc, const char** argv) {
  // LLVM itself registers a boolean --color, so ours is taken out of argv
  // before llvm::cl sees it.
  std::vector<const char*> args;
  std::optional<ColorMode> color = ColorMode::Auto;
  for (int i = 0; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (!arg.consume_front("--color=") && !arg.consume_front("-color=")) {
      args.push_back(argv[i]);
      continue;
    }
    color = llvm::StringSwitch<std::optional<ColorMode>>(arg)
                .Case("auto", ColorMode::Auto)
                .Case("always", ColorMode::Always)
                .Case("never", ColorMode::Never)
                .Default(std::nullopt);
    if (!color) {
      llvm::errs() << "conc-lint: error: --color takes auto, always or never\n";
      return std::nullopt;
    }
  }
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream& out) { out << "conc-lint " << CONC_LINT_VERSION << "\n"; });
  const char* overview =
      "conc-lint: finds data races, lock-order inversions and other lock, condition and thread\n"
      "mistakes in C and C++ sources.\n"
      "\n"
      "PATH may be a source file or a directory (searched recursively). compile_commands.json is\n"
      "used when found (-p DIR, or a PATH and its ancestors); a .conc-lint.yaml at the tree's root\n"
      "turns checks on or off, excludes paths and sets fail-on.\n"
      "Text output is coloured with --color=auto|always|never (default: auto).\n"
      "On a terminal a progress line shows files done / total; a summary line with the time ends\n"
      "every run (stderr).\n"
      "Every finding carries a one-line fix and its docs page (docs/checks/<id>.md).\n"
      "Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage or analysis errors.\n";
  bool parsed =
      cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(), overview, &llvm::errs());
  std::optional<Options> options;
  if (parsed)
    options = Options{{paths.begin(), paths.end()},
                      database,
                      jobs,
                      format,
                      output,
                      *color,
                      failOn.getNumOccurrences() ? std::optional<Severity>(failOn) : std::nullopt,
                      verbose,
                      {extraArgs.begin(), extraArgs.end()},
                      summaries,
                      baseline,
                      writeBaselineFile,
                      graph};
  return options;
}

}  // namespace conc::lint
