// conc-hazard: 19 writer starvation on a reader-writer lock (fixed: readers pass a turnstile the writer holds while it waits)
// conc-expect-runtime: none
// conc-expect-lint: blocking-under-lock:27
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

std::shared_mutex config_mutex;
std::mutex turnstile;  // a waiting writer holds it, so no new reader gets in ahead of it
std::map<std::string, int> config = {{"threads", 4}};
std::atomic<long> reads;

void serve(int stagger_ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(stagger_ms));
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < until) {
    { std::lock_guard<std::mutex> pass(turnstile); }
    std::shared_lock<std::shared_mutex> lock(config_mutex);
    reads += config.at("threads");
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
}

void reload() {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::lock_guard<std::mutex> gate(turnstile);
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
