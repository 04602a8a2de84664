// conc-hazard: 18 starvation by a greedy thread: the sampler re-takes the std::mutex right after releasing it, so the low-priority reporter, woken by each unlock, finds it taken again
// conc-expect-runtime: starvation
// conc-expect-lint: blocking-under-lock:22
// conc-run: runs=3 options=starvation_ms=100
#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

std::mutex stats_mutex;
long samples;
long snapshot;

void sampler() {
  const auto end = std::chrono::steady_clock::now() + 300ms;
  while (std::chrono::steady_clock::now() < end) {
    std::lock_guard<std::mutex> guard(stats_mutex);
    std::this_thread::sleep_for(1ms);  // read the sensor while holding the mutex...
    ++samples;
  }  // ...and take it again at once: the reporter never runs in the gap
}

void reporter() {
  sched_param background{};  // a background thread: it runs when nothing else needs the CPU
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &background);
  for (int i = 0; i < 20; ++i) {     // a report every 5 ms
    std::this_thread::sleep_for(5ms);
    std::lock_guard<std::mutex> guard(stats_mutex);
    snapshot = samples;
  }
}

int main() {
  std::thread s(sampler), r(reporter);
  s.join();
  r.join();
  std::printf("samples=%ld snapshot=%ld\n", samples, snapshot);
}
