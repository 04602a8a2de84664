// conc-hazard: 34 thread never joined: an early return between starting the thread and joining it (std::terminate on that path)
// conc-expect-runtime: none
// conc-expect-lint: thread-not-joined:20
#include <cstdio>
#include <string>
#include <thread>

int checksum;

void compute(const std::string &text) {
  for (char c : text)
    checksum += c;
}

// The run takes the joining path; a bad argument would abort the program.
int run(const std::string &text, int verbosity) {
  std::thread worker(compute, text);
  if (verbosity > 3) {
    std::fprintf(stderr, "unsupported verbosity\n");
    return 1;  // `worker` is still joinable: std::terminate
  }
  worker.join();
  return 0;
}

int main() {
  int status = run("hello", 1);
  std::printf("checksum = %d, status = %d\n", checksum, status);
}
