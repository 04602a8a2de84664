// conc-hazard: 11 lock-order inversion (ABBA); the run itself does not hang
// conc-expect-runtime: lock-order-inversion
// conc-expect-lint: lock-order-inversion:17
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex accounts_mutex;
std::mutex audit_mutex;
std::atomic<bool> transfer_done{false};
int balance, audited;

void transfer() {
  std::lock_guard<std::mutex> accounts(accounts_mutex);
  std::lock_guard<std::mutex> audit(audit_mutex);
  balance += 10;
  audited = balance;
  transfer_done.store(true, std::memory_order_release);
}

void audit() {
  // Waiting for the transfer keeps this run from hanging; the opposite lock
  // order can still deadlock in any run where the two overlap.
  while (!transfer_done.load(std::memory_order_acquire))
    std::this_thread::yield();
  std::lock_guard<std::mutex> audit(audit_mutex);
  std::lock_guard<std::mutex> accounts(accounts_mutex);
  audited = balance;
}

int main() {
  std::thread t1(transfer);
  std::thread t2(audit);
  t1.join();
  t2.join();
  std::printf("audited = %d\n", audited);
}
