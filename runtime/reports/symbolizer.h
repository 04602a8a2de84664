// What reports need from a symbolizer: which module holds an address, the
// source locations of a code address (inlined frames included) and the
// global variable containing a data address. The runtime's implementation
// talks to the conc-symbolizer process; tests use a fake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace conc::rt {

struct ModuleAddress {
  std::string module;    // full path
  uintptr_t offset = 0;  // virtual address inside the module's file
};

struct CodeLocation {
  std::string function;
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
};

struct DataSymbol {
  std::string name;
  uintptr_t start = 0;  // virtual address inside the module's file
  size_t size = 0;
};

class Symbolizer {
 public:
  virtual ~Symbolizer() = default;
  virtual std::optional<ModuleAddress> locate(uintptr_t addr) = 0;
  // Innermost (most inlined) first; empty when nothing is known.
  virtual std::vector<CodeLocation> code(const ModuleAddress& where) = 0;
  virtual std::optional<DataSymbol> data(const ModuleAddress& where) = 0;
};

}  // namespace conc::rt
