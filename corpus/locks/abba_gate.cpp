// conc-hazard: 22 gate-locked ABBA (not a bug: both orders run under gate_mutex)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex gate_mutex;
std::mutex accounts_mutex;
std::mutex audit_mutex;
int balance, audited;

void transfer() {
  std::lock_guard<std::mutex> gate(gate_mutex);
  std::lock_guard<std::mutex> accounts(accounts_mutex);
  std::lock_guard<std::mutex> audit(audit_mutex);
  balance += 10;
  audited = balance;
}

void audit() {
  std::lock_guard<std::mutex> gate(gate_mutex);
  std::lock_guard<std::mutex> audit(audit_mutex);
  std::lock_guard<std::mutex> accounts(accounts_mutex);
  audited = balance;
}

int main() {
  std::thread t1(transfer);
  std::thread t2(audit);
  t1.join();
  t2.join();
  std::printf("audited = %d\n", audited);
}
