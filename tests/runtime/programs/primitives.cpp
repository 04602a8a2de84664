// One synchronization primitive per mode (argv[1]) hands `data` from a
// producer thread to a consumer: each must order the write before the read,
// so the runtime stays silent. Mode "racy" hands over through a relaxed
// atomic flag, which orders nothing: the same accesses are then a race.
#include <fcntl.h>
#include <semaphore.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <semaphore>
#include <stop_token>
#include <string>
#include <thread>

namespace {

long data;

__attribute__((noinline)) void produce() {
  data = 42;  // WRITE-LINE
}
__attribute__((noinline)) long consume() {
  return data;  // READ-LINE
}

long racy() {
  std::atomic<bool> ready{false};
  std::thread producer([&] {
    produce();
    ready.store(true, std::memory_order_relaxed);
  });
  while (!ready.load(std::memory_order_relaxed)) std::this_thread::yield();
  long seen = consume();
  producer.join();
  return seen;
}

long counting_semaphore() {
  std::counting_semaphore<4> items(0);
  std::thread producer([&] {
    produce();
    items.release();
  });
  items.acquire();
  long seen = consume();
  producer.join();
  return seen;
}

long barrier() {
  std::barrier phase(2);
  std::thread producer([&] {
    produce();
    phase.arrive_and_wait();
  });
  phase.arrive_and_wait();
  long seen = consume();
  producer.join();
  return seen;
}

long atomic_wait() {
  std::atomic<int> ready{0};
  std::thread producer([&] {
    produce();
    ready.store(1, std::memory_order_release);
    ready.notify_one();
  });
  ready.wait(0, std::memory_order_acquire);
  long seen = consume();
  producer.join();
  return seen;
}

long jthread_stop() {
  long seen = 0;
  std::atomic<bool> started{false};
  {
    std::jthread consumer([&](std::stop_token stop) {
      started.store(true);
      while (!stop.stop_requested()) std::this_thread::yield();
      seen = consume();
    });
    while (!started.load()) std::this_thread::yield();
    produce();
    consumer.request_stop();
  }  // joins
  return seen;
}

long condition_variable_any() {
  std::mutex mu;
  std::condition_variable_any ready_cv;
  bool ready = false;
  std::thread producer([&] {
    produce();
    std::lock_guard<std::mutex> lock(mu);
    ready = true;
    ready_cv.notify_one();
  });
  long seen;
  {
    std::unique_lock<std::mutex> lock(mu);
    ready_cv.wait(lock, [&] { return ready; });
    seen = consume();
  }
  producer.join();
  return seen;
}

long async_future() {
  std::future<void> done = std::async(std::launch::async, produce);
  done.get();
  return consume();
}

long named_semaphore() {
  const std::string name = "/conc-primitives-" + std::to_string(getpid());
  sem_t* items = sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 0);
  if (items == SEM_FAILED) return -1;
  sem_unlink(name.c_str());
  std::thread producer([&] {
    produce();
    sem_post(items);
  });
  sem_wait(items);
  long seen = consume();
  producer.join();
  sem_close(items);
  return seen;
}

}  // namespace

int main(int argc, char** argv) {
  const std::map<std::string, std::function<long()>> modes = {
      {"racy", racy},
      {"counting_semaphore", counting_semaphore},
      {"barrier", barrier},
      {"atomic_wait", atomic_wait},
      {"jthread_stop", jthread_stop},
      {"condition_variable_any", condition_variable_any},
      {"async_future", async_future},
      {"named_semaphore", named_semaphore},
  };
  auto mode = modes.find(argc > 1 ? argv[1] : "");
  if (mode == modes.end()) return 2;
  std::printf("%s %ld\n", mode->first.c_str(), mode->second());
  return 0;
}
