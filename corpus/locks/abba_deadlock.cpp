// conc-hazard: 13 actual deadlock: two transfers lock the same two accounts in opposite orders
// conc-expect-runtime: deadlock
// conc-expect-lint: lock-order-inversion:24
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex mu;
  int balance = 100;
};

Account alice, bob;
std::atomic<int> holding{0};

void transfer(Account& from, Account& to, int amount) {
  std::lock_guard<std::mutex> a(from.mu);
  // Both threads hold their first lock before either takes its second: the
  // run deadlocks every time.
  holding.fetch_add(1);
  while (holding.load() < 2) std::this_thread::yield();
  std::lock_guard<std::mutex> b(to.mu);
  from.balance -= amount;
  to.balance += amount;
}

int main() {
  std::thread t1(transfer, std::ref(alice), std::ref(bob), 10);
  std::thread t2(transfer, std::ref(bob), std::ref(alice), 20);
  t1.join();
  t2.join();
  std::printf("%d %d\n", alice.balance, bob.balance);
}
