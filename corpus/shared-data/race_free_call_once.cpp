// conc-hazard: race-free shape: std::call_once initializes a shared table once
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

int squares[16];
std::once_flag squares_ready;

int square(int n) {
  std::call_once(squares_ready, [] {
    for (int i = 0; i < 16; ++i) squares[i] = i * i;
  });
  return squares[n];
}

int main() {
  int a = 0, b = 0;
  std::thread first([&a] { a = square(3); });
  std::thread second([&b] { b = square(4); });
  first.join();
  second.join();
  std::printf("%d %d\n", a, b);
}
