// conc-hazard: 16 mutex freed while locked: a session is deleted while a worker still holds its lock
// conc-expect-runtime: mutex-misuse
// conc-expect-lint: lock-leak:24
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

struct Session {
  std::mutex mu;
  int requests = 0;
};

std::atomic<bool> locked{false}, freed{false};

int main() {
  Session* s = new Session;
  std::thread worker([s] {
    s->mu.lock();
    ++s->requests;
    locked = true;
    while (!freed) std::this_thread::yield();
    // The session is gone; the lock is never released.
  });
  while (!locked) std::this_thread::yield();
  delete s;  // its mutex is still held by the worker
  freed = true;
  worker.join();
  std::puts("done");
}
