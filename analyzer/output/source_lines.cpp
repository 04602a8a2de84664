// Reading source lines.
#include "output/source_lines.h"

namespace conc::lint {

llvm::StringRef SourceLines::line(const std::string& file, unsigned number) {
  auto [slot, inserted] = files_.try_emplace(file);
  if (inserted)
    if (auto buffer = llvm::MemoryBuffer::getFile(file)) slot->second = std::move(*buffer);
  if (!slot->second || number == 0) return {};
  llvm::StringRef text = slot->second->getBuffer();
  for (unsigned i = 1; i < number && !text.empty(); ++i) text = text.split('\n').second;
  return text.split('\n').first.rtrim('\r');
}

}  // namespace conc::lint
