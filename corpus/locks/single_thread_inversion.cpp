// conc-hazard: 23 single-thread inversion (not a bug: one thread takes A,B then B,A; no other thread locks them)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex settings_mutex;
std::mutex cache_mutex;
int settings, cache;

void reload() {
  {
    std::lock_guard<std::mutex> s(settings_mutex);
    std::lock_guard<std::mutex> c(cache_mutex);
    cache = settings + 1;
  }
  {
    std::lock_guard<std::mutex> c(cache_mutex);
    std::lock_guard<std::mutex> s(settings_mutex);
    settings = cache;
  }
}

int main() {
  std::thread loader(reload);
  loader.join();
  std::printf("%d %d\n", settings, cache);
}
