// conc-hazard: 20 livelock (fixed: std::scoped_lock takes both timed mutexes at once, with std::lock's deadlock-free algorithm)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <thread>

std::timed_mutex disk_mutex, net_mutex;
int copies;

void disk_to_net() {
  std::scoped_lock both(disk_mutex, net_mutex);
  ++copies;
}

void net_to_disk() {
  std::scoped_lock both(net_mutex, disk_mutex);
  ++copies;
}

int main() {
  std::thread a(disk_to_net), b(net_to_disk);
  a.join();
  b.join();
  std::printf("copies=%d\n", copies);
}
