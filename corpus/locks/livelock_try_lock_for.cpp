// conc-hazard: 20 livelock: two copiers hold their own std::timed_mutex, time out in try_lock_for on the other's, release and retry in lock step
// conc-expect-runtime: livelock
// conc-expect-lint: livelock-retry:25 livelock-retry:37
// conc-run: options=livelock_ms=30
#include <barrier>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

constexpr int kRounds = 60;  // then both give up
std::timed_mutex disk_mutex, net_mutex;
// Both copiers start every attempt together (the same tick wakes them): the
// barrier makes that bad luck happen on every run, and lets both see a copy
// before the next round.
std::barrier tick(2);
bool copied;

void disk_to_net() {
  for (int round = 0; round < kRounds && !copied; ++round) {
    std::unique_lock<std::timed_mutex> disk(disk_mutex);
    tick.arrive_and_wait();
    if (net_mutex.try_lock_for(1ms)) {
      copied = true;
      net_mutex.unlock();
    }
    tick.arrive_and_wait();
  }  // `disk` is released here, and the loop retries at once
}

void net_to_disk() {
  for (int round = 0; round < kRounds && !copied; ++round) {
    std::unique_lock<std::timed_mutex> net(net_mutex);
    tick.arrive_and_wait();
    if (disk_mutex.try_lock_for(1ms)) {
      copied = true;
      disk_mutex.unlock();
    }
    tick.arrive_and_wait();
  }
}

int main() {
  std::thread a(disk_to_net), b(net_to_disk);
  a.join();
  b.join();
  std::printf("%s\n", copied ? "copied" : "gave up");
}
