// conc-hazard: 7 check-then-act (fixed: the check and the update run in one critical section)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <thread>

class Account {
 public:
  explicit Account(long balance) : balance_(balance) {}

  bool withdraw(long amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (balance_ < amount)
      return false;
    balance_ -= amount;
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
