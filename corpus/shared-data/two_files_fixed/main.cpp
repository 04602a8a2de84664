// conc-hazard: 2 lost update across two source files (fixed: Account::deposit in account.cpp takes the account's mutex)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
// conc-sources: account.cpp
#include <cstdio>
#include <thread>

#include "account.h"

Account account;

int main() {
  std::thread alice([] { for (int i = 0; i < 1000; ++i) account.deposit(1); });
  std::thread bob([] { for (int i = 0; i < 1000; ++i) account.deposit(2); });
  alice.join();
  bob.join();
  std::printf("balance = %ld\n", account.balance());
}
