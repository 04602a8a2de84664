// conc-hazard: 30 semaphore never released on an error path (fixed: every query, failed or not, gives its std::counting_semaphore permit back)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <atomic>
#include <cstdio>
#include <semaphore>
#include <thread>
#include <vector>

std::counting_semaphore<2> connections(2);  // at most two open connections
std::atomic<int> answered;

bool query(int id) {
  connections.acquire();
  const bool ok = id % 3 != 0;  // a failed query gives its permit back too
  if (ok) answered.fetch_add(1);
  connections.release();
  return ok;
}

int main() {
  std::vector<std::thread> clients;
  for (int id = 0; id < 4; ++id)
    clients.emplace_back([id] {
      for (int attempt = id * 4; attempt < id * 4 + 4; ++attempt) query(attempt);
    });
  for (std::thread& c : clients) c.join();
  std::printf("answered = %d\n", answered.load());
}
