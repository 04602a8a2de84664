// conc-hazard: 18 starvation by a greedy thread (fixed: the sampler reads the sensor outside the std::mutex and holds it only to publish)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: options=starvation_ms=100
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
    std::this_thread::sleep_for(1ms);  // read the sensor first
    std::lock_guard<std::mutex> guard(stats_mutex);
    ++samples;
  }
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
