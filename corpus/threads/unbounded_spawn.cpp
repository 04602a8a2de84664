// conc-hazard: 36 unbounded spawning: the server starts one thread per request, so a burst of requests means as many threads at once
// conc-expect-runtime: thread-leak
// conc-expect-lint: none
// conc-run: options=max_threads=64
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

std::atomic<long> served;

void handle(int request) {
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a slow backend
  served += request;
}

int main() {
  std::vector<std::thread> handlers;
  for (int request = 1; request <= 200; ++request) handlers.emplace_back(handle, request);  // no bound
  for (auto& t : handlers) t.join();
  std::printf("served=%ld\n", served.load());
}
