// conc-hazard: 3 race guarded in some places only (fixed: every access takes mutex_)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

class Stats {
 public:
  void record(long sample) {
    std::lock_guard<std::mutex> lock(mutex_);
    total_ += sample;
    ++count_;
  }
  long total() {
    std::lock_guard<std::mutex> lock(mutex_);
    return total_;
  }

 private:
  std::mutex mutex_;
  long total_ = 0;
  long count_ = 0;
};

Stats stats;

int main() {
  std::thread recorder([] { for (long i = 0; i < 1000; ++i) stats.record(i); });
  std::thread reporter([] {
    long seen = 0;
    for (int i = 0; i < 1000; ++i) seen += stats.total();
    std::printf("seen %ld\n", seen > 0 ? 1L : 0L);
  });
  recorder.join();
  reporter.join();
}
