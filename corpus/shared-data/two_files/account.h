// The bank account of the two-file corpus program: declared here, defined
// in account.cpp, used from threads in main.cpp.
#pragma once

class Account {
 public:
  void deposit(long amount);
  long balance() const { return balance_; }

 private:
  long balance_ = 0;
};
