// conc-hazard: 25 lost wakeup: the worker notifies "done" before the caller waits, and the wait has no predicate
// conc-expect-runtime: hang
// conc-expect-lint: wait-without-loop:23
// conc-run: timeout=10
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

class Flusher {
 public:
  void start() {
    worker_ = std::thread([this] {
      std::lock_guard<std::mutex> lock(mu_);
      flushed_bytes_ = 4096;
      done_.notify_one();  // sent before wait_done() waits: lost
    });
  }

  void wait_done() {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock);  // no predicate: waits for a notify that already happened
    std::printf("flushed %d bytes\n", flushed_bytes_);
  }

  void stop() { worker_.join(); }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  int flushed_bytes_ = 0;
  std::thread worker_;
};

int main() {
  Flusher flusher;
  flusher.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // other start-up work
  flusher.wait_done();
  flusher.stop();
}
