// Every access to the total holds its mutex.
#include <mutex>
#include <thread>

std::mutex total_mutex;
long total;

void add() {
  std::lock_guard<std::mutex> guard(total_mutex);
  total += 2;
}

int main() {
  std::thread a(add), b(add);
  a.join();
  b.join();
  return total == 4 ? 0 : 1;
}
