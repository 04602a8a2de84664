// libFuzzer target for the files conc-lint reads besides sources: a
// `.conc-lint.yaml` configuration, a compile_commands.json and a baseline.
// Each must give a result or a one-line error, never a crash.
//
// Input: one selector byte ('y' configuration, 'j' compile database, anything
// else baseline) followed by the file's text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include "checks/registry.h"
#include "driver/compile_commands.h"
#include "driver/config.h"
#include "output/baseline.h"

namespace {

void writeFile(const std::string &path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  out << text;
}

// A private directory holding one source file, created once per process and
// removed at its exit.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    llvm::SmallString<128> created;
    if (llvm::sys::fs::createUniqueDirectory("conc-lint-fuzz", created))
      std::abort();
    path = std::string(created);
    writeFile(path + "/a.cpp", "int main() {}\n");
  }
  ~ScratchDir() { llvm::sys::fs::remove_directories(path); }
};

const std::string &scratchDir() {
  static const ScratchDir dir;
  return dir.path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  char selector = static_cast<char>(data[0]);
  llvm::StringRef text(reinterpret_cast<const char *>(data) + 1, size - 1);
  const std::string &dir = scratchDir();

  if (selector == 'y') {
    std::vector<std::string> ids;
    for (const auto &check : conc::lint::allChecks())
      ids.emplace_back(check->id());
    conc::lint::ConfigResult result = conc::lint::parseConfig(text, ".conc-lint.yaml", ids);
    if (result.error.empty())
      (void)result.config.excluded(dir + "/a.cpp");
  } else if (selector == 'j') {
    writeFile(dir + "/compile_commands.json", text);
    conc::lint::SourceSet sources;
    sources.files = {dir + "/a.cpp"};
    (void)conc::lint::planCompilation({dir}, sources, "", {});
  } else {
    writeFile(dir + "/baseline.json", text);
    std::set<std::string> fingerprints;
    (void)conc::lint::readBaseline(dir + "/baseline.json", fingerprints);
  }
  return 0;
}
