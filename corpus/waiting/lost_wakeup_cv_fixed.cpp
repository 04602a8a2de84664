// conc-hazard: 25 lost wakeup (fixed: the wait's predicate checks a flag set with the notify, so a notify sent first is not lost)
// conc-expect-runtime: none
// conc-expect-lint: none
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
      done_flag_ = true;
      done_.notify_one();
    });
  }

  void wait_done() {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return done_flag_; });
    std::printf("flushed %d bytes\n", flushed_bytes_);
  }

  void stop() { worker_.join(); }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  bool done_flag_ = false;
  int flushed_bytes_ = 0;
  std::thread worker_;
};

int main() {
  Flusher flusher;
  flusher.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  flusher.wait_done();
  flusher.stop();
}
