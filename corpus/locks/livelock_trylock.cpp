// conc-hazard: 20 livelock: two threads try-lock in opposite orders, release and retry in lock step
// conc-expect-runtime: livelock
// conc-expect-lint: livelock-retry:32 livelock-retry:51
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex inbox_mutex, archive_mutex;
int inbox = 100, archive = 100;
std::atomic<int> arrivals{0};

// Both threads are woken by the same tick and reach each step together: the
// lock step a livelock needs, made certain here so that every run shows it.
void step_together(int step) {
  arrivals.fetch_add(1);
  while (arrivals.load() < 2 * step) {
  }
}

// Each polite thread holds one lock, tries the other, and on failure lets go
// and tries again at once: neither ever gets both. Both give up after a
// bounded number of attempts, so that the program ends.
const int kAttempts = 100;

bool archive_one() {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    step_together(3 * attempt + 1);
    inbox_mutex.lock();
    step_together(3 * attempt + 2);
    if (archive_mutex.try_lock()) {
      step_together(3 * attempt + 3);
      --inbox;
      ++archive;
      archive_mutex.unlock();
      inbox_mutex.unlock();
      return true;
    }
    step_together(3 * attempt + 3); // both have tried before either lets go
    inbox_mutex.unlock();
  }
  return false;
}

bool restore_one() {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    step_together(3 * attempt + 1);
    archive_mutex.lock();
    step_together(3 * attempt + 2);
    if (inbox_mutex.try_lock()) {
      step_together(3 * attempt + 3);
      --archive;
      ++inbox;
      inbox_mutex.unlock();
      archive_mutex.unlock();
      return true;
    }
    step_together(3 * attempt + 3); // both have tried before either lets go
    archive_mutex.unlock();
  }
  return false;
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
