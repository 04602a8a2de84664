// Lines of source files, read once per file: for carets under findings,
// inline suppressions, and baseline fingerprints.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

namespace conc::lint {

class SourceLines {
 public:
  // Line `number` (1-based) without its line break; "" when there is none.
  llvm::StringRef line(const std::string& file, unsigned number);

 private:
  std::map<std::string, std::unique_ptr<llvm::MemoryBuffer>> files_;
};

}  // namespace conc::lint
