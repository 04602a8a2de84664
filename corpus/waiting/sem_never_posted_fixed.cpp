// conc-hazard: 30 semaphore never released on an error path, fixed: the permit is released on every path
// conc-expect-runtime: none
// conc-expect-lint: none
#include <atomic>
#include <cstdio>
#include <semaphore>
#include <thread>

std::counting_semaphore<2> done(0);
std::atomic<int> result;

int load(int id) { return id == 1 ? -1 : id * 10; }

void worker(int id) {
  int value = load(id);
  if (value < 0) std::fprintf(stderr, "worker %d failed\n", id);
  else result += value;
  done.release();
}

int main() {
  std::thread t1(worker, 0), t2(worker, 1);
  done.acquire();
  done.acquire();
  t1.join();
  t2.join();
  std::printf("result = %d\n", result.load());
}
