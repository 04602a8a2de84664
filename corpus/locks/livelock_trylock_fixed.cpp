// conc-hazard: 20 livelock (fixed: one lock order, inbox then archive; nobody retries)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex inbox_mutex, archive_mutex;
int inbox = 100, archive = 100;
std::atomic<int> arrivals{0};

// Both threads are woken by the same tick, as in the buggy form.
void step_together(int step) {
  arrivals.fetch_add(1);
  while (arrivals.load() < 2 * step) {
  }
}

// One lock order for everyone: the thread that gets the inbox first gets the
// archive next, and the other waits for both instead of retrying.
bool archive_one() {
  step_together(1);
  std::lock_guard<std::mutex> first(inbox_mutex);
  std::lock_guard<std::mutex> second(archive_mutex);
  --inbox;
  ++archive;
  return true;
}

bool restore_one() {
  step_together(1);
  std::lock_guard<std::mutex> first(inbox_mutex);
  std::lock_guard<std::mutex> second(archive_mutex);
  --archive;
  ++inbox;
  return true;
}

int main() {
  bool archived = false, restored = false;
  std::thread archiver([&] { archived = archive_one(); });
  std::thread restorer([&] { restored = restore_one(); });
  archiver.join();
  restorer.join();
  std::printf("archived %d restored %d: inbox %d archive %d\n", archived, restored, inbox, archive);
  return 0;
}
