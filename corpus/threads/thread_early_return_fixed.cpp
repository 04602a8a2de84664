// conc-hazard: 34 thread never joined (fixed: the argument is checked before the thread starts)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <string>
#include <thread>

int checksum;

void compute(const std::string &text) {
  for (char c : text)
    checksum += c;
}

int run(const std::string &text, int verbosity) {
  if (verbosity > 3) {
    std::fprintf(stderr, "unsupported verbosity\n");
    return 1;
  }
  std::thread worker(compute, text);
  worker.join();
  return 0;
}

int main() {
  int status = run("hello", 1);
  std::printf("checksum = %d, status = %d\n", checksum, status);
}
