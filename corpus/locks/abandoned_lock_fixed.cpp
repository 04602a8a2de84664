// conc-hazard: 15 abandoned lock, fixed: std::lock_guard releases on every path, throws included
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>

std::mutex table_lock;
int table[4];

void insert(int key) {
  try {
    std::lock_guard<std::mutex> guard(table_lock);
    if (key >= 4) throw std::out_of_range("bad key");
    table[key]++;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
  }
}

int main() {
  std::thread t1(insert, 7), t2(insert, 1);
  t1.join();
  t2.join();
  std::lock_guard<std::mutex> guard(table_lock);
  std::printf("table[1] = %d\n", table[1]);
}
