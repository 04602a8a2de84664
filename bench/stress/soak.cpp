// Soak: steady allocation churn under libconcrt for a fixed time (argv[1]
// seconds, default 600). Four workers repeat the same round: allocate 2,000
// blocks of 16 B to 4 KiB from a fixed seed, fill and sum them, free them in
// a shuffled order, fill a shared map under a mutex, start and join one
// short-lived thread, then empty their part of the map again. Every round
// must give the same checksum; the output names no round count, so a native
// run and a watched run of any length print the same bytes. soak.sh samples
// the watched process's RSS while it runs.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kWorkers = 4, kBlocks = 2000, kKeys = 500;

std::mutex map_mu;
std::map<std::string, std::string> shared_map;  // guarded by map_mu

uint64_t round_of(int worker) {
  std::mt19937_64 random(1234 + worker);
  std::vector<std::unique_ptr<uint8_t[]>> blocks;
  std::vector<size_t> sizes;
  uint64_t sum = 0;
  for (int i = 0; i < kBlocks; ++i) {
    size_t size = 16 + random() % 4080;
    blocks.emplace_back(new uint8_t[size]);
    sizes.push_back(size);
    for (size_t b = 0; b < size; b += 64) blocks.back()[b] = static_cast<uint8_t>(random());
    for (size_t b = 0; b < size; b += 64) sum += blocks.back()[b];
  }
  std::shuffle(blocks.begin(), blocks.end(), random);
  blocks.clear();
  for (int k = 0; k < kKeys; ++k) {
    std::string key = std::to_string(worker) + ":" + std::to_string(k);
    std::lock_guard<std::mutex> lock(map_mu);
    shared_map[key] = std::string(16 + k % 200, static_cast<char>('a' + k % 26));
  }
  uint64_t helper_sum = 0;
  std::thread helper([&] {
    std::lock_guard<std::mutex> lock(map_mu);
    for (int k = 0; k < kKeys; k += 7)
      helper_sum += shared_map[std::to_string(worker) + ":" + std::to_string(k)].size();
  });
  helper.join();
  for (int k = 0; k < kKeys; ++k) {
    std::lock_guard<std::mutex> lock(map_mu);
    shared_map.erase(std::to_string(worker) + ":" + std::to_string(k));
  }
  return sum * 31 + helper_sum;
}

}  // namespace

int main(int argc, char** argv) {
  const auto duration = std::chrono::seconds(argc > 1 ? std::atoi(argv[1]) : 600);
  const auto end = std::chrono::steady_clock::now() + duration;
  std::atomic<bool> consistent{true};
  uint64_t reference[kWorkers];
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w)
    workers.emplace_back([&, w] {
      reference[w] = round_of(w);
      while (std::chrono::steady_clock::now() < end)
        if (round_of(w) != reference[w]) consistent = false;
    });
  for (std::thread& t : workers) t.join();
  uint64_t total = 0;
  for (uint64_t r : reference) total += r;
  std::printf("checksum %llu rounds %s map %zu\n", static_cast<unsigned long long>(total),
              consistent ? "consistent" : "INCONSISTENT", shared_map.size());
  return consistent ? 0 : 1;
}
