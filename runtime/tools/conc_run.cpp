// conc-run: runs a program under libconcrt with options given as flags
// instead of a hand-written CONC_OPTIONS. Flags are appended to any
// CONC_OPTIONS already set, so they win over it.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "abi/options.h"
#include "tools/tool_paths.h"

namespace {

constexpr const char* kUsage =
    "usage: conc-run [options] [--] PROGRAM [ARGS...]\n"
    "Runs PROGRAM (built with conc-cc/conc-c++) with these libconcrt options:\n"
    "  --report-format=text|json   report format (default text)\n"
    "  --report-path=FILE          write reports to FILE, or 'stderr' (default) / 'stdout'\n"
    "  --exitcode=N                exit status when anything was reported (default 66)\n"
    "  --halt-on-error             exit at the first report\n"
    "  --suppressions=FILE         suppressions file (race:PATTERN / deadlock:PATTERN lines)\n"
    "  --symbolizer=PATH           conc-symbolizer to use\n"
    "  --preload                   LD_PRELOAD libconcrt (for programs not linked with it;\n"
    "                              only locks and threads are seen without instrumentation)\n"
    "  --help                      this text\n"
    "Flags are appended to CONC_OPTIONS from the environment, so they override it.\n";

struct Flag {
  std::string_view name;
  std::string_view key;  // CONC_OPTIONS key
  bool takes_value;
};
constexpr Flag kFlags[] = {{"--report-format", "report_format", true}, {"--report-path", "report_path", true},
                           {"--exitcode", "exitcode", true},           {"--halt-on-error", "halt_on_error", false},
                           {"--suppressions", "suppressions", true},   {"--symbolizer", "symbolizer_path", true}};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "conc-run: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const char* existing = getenv("CONC_OPTIONS");
  std::string options = existing ? existing : "";
  bool preload = false;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--preload") {
      preload = true;
      continue;
    }
    if (!a.starts_with("-")) break;
    std::string_view name = a.substr(0, a.find('='));
    const Flag* flag = nullptr;
    for (const Flag& f : kFlags)
      if (f.name == name) flag = &f;
    if (!flag) return usage_error("unknown flag '" + std::string(a) + "'");
    std::string value = "1";
    if (flag->takes_value) {
      if (a.find('=') != std::string_view::npos) value = a.substr(a.find('=') + 1);
      else if (i + 1 < argc) value = argv[++i];
      else return usage_error(std::string(name) + " needs a value");
    } else if (a.find('=') != std::string_view::npos) {
      return usage_error(std::string(name) + " takes no value");
    }
    options += (options.empty() ? "" : ":") + std::string(flag->key) + "=" + value;
  }
  if (i >= argc) return usage_error("no program given");
  conc::rt::ParsedOptions parsed = conc::rt::parse_options(options);
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return 2;
  }
  setenv("CONC_OPTIONS", options.c_str(), 1);
  if (preload) {
    const char* old = getenv("LD_PRELOAD");
    std::string lib = conc::tools::runtime_lib_dir() + "/libconcrt.so";
    setenv("LD_PRELOAD", (old && *old ? lib + ":" + old : lib).c_str(), 1);
  }
  execvp(argv[i], argv + i);
  std::fprintf(stderr, "conc-run: cannot run %s: %s\n", argv[i], strerror(errno));
  return 127;
}
