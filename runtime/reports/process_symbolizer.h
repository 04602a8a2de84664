// The runtime's Symbolizer: maps addresses to modules with dl_iterate_phdr
// and asks a conc-symbolizer child process (started at the first report) for
// source locations and global names. Without it, frames stay module+offset.
#pragma once

#include <sys/types.h>

#include <string>

#include "reports/symbolizer.h"

namespace conc::rt {

class ProcessSymbolizer final : public Symbolizer {
 public:
  // `path`: the conc-symbolizer executable to start; empty to never start one.
  explicit ProcessSymbolizer(std::string path) : path_(std::move(path)) {}
  ~ProcessSymbolizer() override;

  std::optional<ModuleAddress> locate(uintptr_t addr) override;
  std::vector<CodeLocation> code(const ModuleAddress& where) override;
  std::optional<DataSymbol> data(const ModuleAddress& where) override;

 private:
  bool ensure_started();
  void stop();
  // Sends one request line and collects the response lines up to the empty one.
  bool transact(const std::string& request, std::vector<std::string>& lines);
  bool read_line(std::string& line);

  std::string path_;
  bool failed_ = false;
  int fd_ = -1;
  pid_t pid_ = -1;
  std::string buffer_;
};

// The default conc-symbolizer location: <dir of libconcrt>/../bin.
std::string default_symbolizer_path(const std::string& runtime_module);

}  // namespace conc::rt
