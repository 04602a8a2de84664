// conc-hazard: 2 lost update across two source files: the threads start in main.cpp, the unguarded read-modify-write is in account.cpp
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:account.cpp:5 unguarded-access:account.cpp:6
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
