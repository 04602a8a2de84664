// conc-hazard: 19 writer starvation on a reader-writer lock: a stream of std::shared_lock readers keeps the config writer out
// conc-expect-runtime: starvation
// conc-expect-lint: blocking-under-lock:25
// conc-run: options=starvation_ms=100
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

std::shared_mutex config_mutex;  // libstdc++ uses a pthread rwlock: readers first
std::map<std::string, int> config = {{"threads", 4}};
std::atomic<long> reads;

void serve(int stagger_ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(stagger_ms));
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < until) {
    std::shared_lock<std::shared_mutex> lock(config_mutex);
    reads += config.at("threads");
    std::this_thread::sleep_for(std::chrono::milliseconds(3));  // some reader always holds it
  }
}

void reload() {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::unique_lock<std::shared_mutex> lock(config_mutex);
  config["threads"] = 8;
}

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) threads.emplace_back(serve, i);
  threads.emplace_back(reload);
  for (auto& t : threads) t.join();
  std::printf("reads=%ld threads=%d\n", reads.load(), config["threads"]);
}
