// C++20 waits that libstdc++ builds on its own futex calls, and exceptions
// that end a thread in std::terminate, for the end-to-end tests, one per
// mode (argv[1]).
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <thread>

std::counting_semaphore<4> permits(0);
std::mutex table_lock;

void fail_holding_lock() {
  table_lock.lock();  // LOCK-LINE
  throw std::runtime_error("no table");
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (std::strcmp(mode, "semaphore") == 0) {
    std::thread waiter([] { permits.acquire(); });  // SEM-LINE
    waiter.join();
  } else if (std::strcmp(mode, "barrier") == 0) {
    std::barrier<> phase(3);
    std::thread a([&] { phase.arrive_and_wait(); }), b([&] { phase.arrive_and_wait(); });  // BARRIER-LINE
    a.join();
    b.join();
  } else if (std::strcmp(mode, "timed") == 0) {
    std::thread waiter([] { (void)permits.try_acquire_for(std::chrono::milliseconds(400)); });
    waiter.join();
  } else if (std::strcmp(mode, "terminate") == 0) {
    std::thread worker(fail_holding_lock);
    worker.join();
  } else if (std::strcmp(mode, "terminate_unlocked") == 0) {
    std::thread worker([] { throw std::runtime_error("nothing held"); });
    worker.join();
  }
  std::puts("done");
  return 0;
}
