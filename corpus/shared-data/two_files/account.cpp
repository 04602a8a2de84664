// Account::deposit, the half of the two-file program that touches the balance.
#include "account.h"

void Account::deposit(long amount) {
  long current = balance_;
  balance_ = current + amount;
}
