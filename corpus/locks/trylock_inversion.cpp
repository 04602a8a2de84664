// conc-hazard: 24 try-lock inversion (not a bug: the inverting acquisition is a try_lock that backs off)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex index_mutex;
std::mutex page_mutex;
int index_entries, pages;

void insert() {
  for (int i = 0; i < 200; ++i) {
    std::lock_guard<std::mutex> index(index_mutex);
    std::lock_guard<std::mutex> page(page_mutex);
    ++index_entries;
    ++pages;
  }
}

void evict() {
  int evicted = 0;
  while (evicted < 200) {
    std::lock_guard<std::mutex> page(page_mutex);
    if (index_mutex.try_lock()) {  // never blocks while holding page_mutex
      --index_entries;
      index_mutex.unlock();
      ++evicted;
    }
  }
}

int main() {
  std::thread a(insert);
  std::thread b(evict);
  a.join();
  b.join();
  std::printf("%d %d\n", index_entries, pages);
}
