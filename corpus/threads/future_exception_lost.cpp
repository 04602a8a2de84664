// conc-hazard: 37 future never waited / exception lost: the save task throws, the caller only wait()s, so the error vanishes
// conc-expect-runtime: none
// conc-expect-lint: none
// Neither tool has a report kind for this row (the catalogue gives none): no access races, no lock or wait
// goes wrong; the program just reports success after a failed save. It is here so the row has its shape.
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
  for (auto& s : saves) s.wait();  // waits, but never get()s: the exception stored in the future is dropped
  std::printf("all saved\n");
}
