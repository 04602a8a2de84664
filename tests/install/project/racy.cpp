// Two threads increment a counter without a lock.
#include <thread>

int counter;

int main() {
  std::thread a([] { ++counter; });
  std::thread b([] { ++counter; });
  a.join();
  b.join();
  return 0;
}
