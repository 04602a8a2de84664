// conc-hazard: 30 semaphore never released on an error path: a std::counting_semaphore limits open connections, and a failed query returns without giving its permit back
// conc-expect-runtime: hang
// conc-expect-lint: lock-leak:16
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <semaphore>
#include <thread>
#include <vector>

std::counting_semaphore<2> connections(2);  // at most two open connections
std::atomic<int> answered;

bool query(int id) {
  connections.acquire();
  if (id % 3 == 0) return false;  // the failed query keeps its permit
  answered.fetch_add(1);
  connections.release();
  return true;
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
