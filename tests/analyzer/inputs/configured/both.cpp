// An unguarded counter and a lock-order inversion in one program.
#include <mutex>
#include <thread>

std::mutex a, b;
long hits;

void forward() {
  std::lock_guard<std::mutex> first(a);
  std::lock_guard<std::mutex> second(b);
  hits++;
}

void backward() {
  std::lock_guard<std::mutex> first(b);
  std::lock_guard<std::mutex> second(a);
}

int main() {
  std::thread t1(forward), t2(forward), t3(backward);
  hits++;
  t1.join();
  t2.join();
  t3.join();
}
