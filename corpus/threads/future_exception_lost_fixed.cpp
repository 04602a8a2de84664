// conc-hazard: 37 future never waited / exception lost (fixed: every future's get() is called, so a failed save is seen)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

void save(const std::string& name) {
  if (name.empty()) throw std::runtime_error("save: empty file name");
}

int main() {
  std::vector<std::future<void>> saves;
  for (std::string name : {"a.db", "", "c.db"}) saves.push_back(std::async(std::launch::async, save, name));
  int failed = 0;
  for (auto& s : saves) {
    try {
      s.get();
    } catch (const std::exception& error) {
      std::printf("%s\n", error.what());
      ++failed;
    }
  }
  std::printf("%d save(s) failed\n", failed);
}
