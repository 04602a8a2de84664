// conc-hazard: 13 actual deadlock, fixed: std::scoped_lock takes both accounts without an order
// conc-expect-runtime: none
// conc-expect-lint: none
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex mu;
  int balance = 100;
};

Account alice, bob;

void transfer(Account& from, Account& to, int amount) {
  std::scoped_lock both(from.mu, to.mu);
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
