// conc-hazard: 2 lost update (fixed: the read-modify-write runs under the account's mutex)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

class Account {
 public:
  void deposit(long amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    long current = balance_;
    balance_ = current + amount;
  }
  long balance() {
    std::lock_guard<std::mutex> lock(mutex_);
    return balance_;
  }

 private:
  std::mutex mutex_;
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
