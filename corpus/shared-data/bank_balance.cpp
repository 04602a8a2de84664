// conc-hazard: 2 lost update: read, compute, write back from two threads
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:11 unguarded-access:12
// conc-run: timeout=10
#include <cstdio>
#include <thread>

class Account {
 public:
  void deposit(long amount) {
    long current = balance_;
    balance_ = current + amount;
  }
  long balance() const { return balance_; }

 private:
  long balance_ = 0;
};

Account account;

int main() {
  std::thread alice([] { for (int i = 0; i < 1000; ++i) account.deposit(1); });
  std::thread bob([] { for (int i = 0; i < 1000; ++i) account.deposit(2); });
  alice.join();
  bob.join();
  std::printf("balance = %ld\n", account.balance());
}
