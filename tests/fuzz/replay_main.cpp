// A main() for the fuzz targets where libFuzzer is not available (a gcc
// build, `make test`): runs each input file given on the command line through
// LLVMFuzzerTestOneInput once. A corpus program (*.c, *.cpp) is prefixed with
// its language byte, as the seed corpus of `make fuzz` is; any other file is a
// raw fuzzer input (e.g. a saved crash in tests/fuzz/regressions/).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    std::string path = argv[i];
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    std::string input(std::istreambuf_iterator<char>(in), {});
    if (endsWith(path, ".c"))
      input.insert(0, "c");
    else if (endsWith(path, ".cpp") || endsWith(path, ".cc"))
      input.insert(0, "x");
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()), input.size());
  }
  std::printf("replay: %d input(s) ran\n", argc - 1);
  return 0;
}
