// conc-hazard: 36 unbounded spawning (fixed: a fixed pool of workers takes the requests from a queue)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: options=max_threads=64
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

std::atomic<long> served;
std::atomic<int> next_request{1};
constexpr int kRequests = 200, kWorkers = 8;

void handle(int request) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a slow backend
  served += request;
}

void worker() {
  for (int request; (request = next_request++) <= kRequests;) handle(request);
}

int main() {
  std::vector<std::thread> pool;
  for (int i = 0; i < kWorkers; ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  std::printf("served=%ld\n", served.load());
}
