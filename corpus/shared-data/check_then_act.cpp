// conc-hazard: 7 check-then-act: the balance is read under the lock, the lock dropped, and the stale value written back
// conc-expect-runtime: none
// conc-expect-lint: check-then-act:23
#include <cstdio>
#include <mutex>
#include <thread>

class Account {
 public:
  explicit Account(long balance) : balance_(balance) {}

  // Each access holds mutex_, so there is no data race, but a deposit made
  // between the two critical sections is overwritten.
  bool withdraw(long amount) {
    long seen;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen = balance_;
    }
    if (seen < amount)
      return false;
    std::lock_guard<std::mutex> lock(mutex_);
    balance_ = seen - amount;
    return true;
  }

  void deposit(long amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    balance_ += amount;
  }

  long balance() {
    std::lock_guard<std::mutex> lock(mutex_);
    return balance_;
  }

 private:
  std::mutex mutex_;
  long balance_;
};

Account account(100);

int main() {
  std::thread spender([] { for (int i = 0; i < 50; ++i) account.withdraw(1); });
  std::thread earner([] { for (int i = 0; i < 50; ++i) account.deposit(1); });
  spender.join();
  earner.join();
  std::printf("balance = %ld (100 expected)\n", account.balance());
}
