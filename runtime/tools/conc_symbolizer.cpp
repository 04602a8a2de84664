// conc-symbolizer: answers libconcrt's symbolization requests on stdin/stdout
// with LLVM's symbolizer, so the runtime itself never links LLVM.
//
// Protocol, one request per line:
//   CODE 0xOFFSET MODULE   → one line per frame, innermost inlined first:
//                            FUNCTION\tFILE\tLINE\tCOLUMN
//   DATA 0xOFFSET MODULE   → at most one line: NAME\t0xSTART\tSIZE
// OFFSET is the virtual address inside MODULE's file. Every response ends
// with an empty line; unknown fields are empty (or 0).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Support/raw_ostream.h"

namespace {

using llvm::object::SectionedAddress;
using llvm::symbolize::LLVMSymbolizer;

std::string known(const std::string& s) { return s == llvm::DILineInfo::BadString ? std::string() : s; }

void answer_code(LLVMSymbolizer& symbolizer, const std::string& module, uint64_t offset) {
  auto info = symbolizer.symbolizeInlinedCode(module, {offset, SectionedAddress::UndefSection});
  if (!info) {
    llvm::consumeError(info.takeError());
    return;
  }
  for (uint32_t i = 0; i < info->getNumberOfFrames(); ++i) {
    const llvm::DILineInfo& f = info->getFrame(i);
    std::string function = known(f.FunctionName);
    std::string file = known(f.FileName);
    if (function.empty() && file.empty()) continue;
    std::cout << function << '\t' << file << '\t' << f.Line << '\t' << f.Column << '\n';
  }
}

void answer_data(LLVMSymbolizer& symbolizer, const std::string& module, uint64_t offset) {
  auto global = symbolizer.symbolizeData(module, {offset, SectionedAddress::UndefSection});
  if (!global) {
    llvm::consumeError(global.takeError());
    return;
  }
  std::string name = known(global->Name);
  if (name.empty()) return;
  std::cout << name << "\t0x" << std::hex << global->Start << std::dec << '\t' << global->Size << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::fprintf(
        stderr, "usage: %s  (reads CODE/DATA requests on stdin; started by libconcrt, see docs/runtime.md)\n",
        argv[0]);
    return std::string(argv[1]) == "--help" ? 0 : 2;
  }
  LLVMSymbolizer::Options options;
  options.Demangle = true;
  options.UseSymbolTable = true;
  LLVMSymbolizer symbolizer(options);
  for (std::string line; std::getline(std::cin, line);) {
    size_t sp1 = line.find(' ');
    size_t sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 != std::string::npos) {
      std::string kind = line.substr(0, sp1);
      uint64_t offset = std::strtoull(line.c_str() + sp1 + 1, nullptr, 16);
      std::string module = line.substr(sp2 + 1);
      if (kind == "CODE")
        answer_code(symbolizer, module, offset);
      else if (kind == "DATA")
        answer_data(symbolizer, module, offset);
    }
    std::cout << '\n' << std::flush;
  }
  return 0;
}
