// Compute without sharing: each thread multiplies its own band of a matrix
// product. Every access is instrumented; none races. argv[1] is the matrix
// size (default 720).
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  constexpr int threads = 4;
  const int n = argc > 1 ? std::atoi(argv[1]) : 720;
  std::vector<double> a(n * n, 1.5), b(n * n, 2.0), c(n * n, 0.0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = t * n / threads; i < (t + 1) * n / threads; ++i)
        for (int k = 0; k < n; ++k)
          for (int j = 0; j < n; ++j) c[i * n + j] += a[i * n + k] * b[k * n + j];
    });
  }
  for (auto& w : workers) w.join();
  std::printf("%f\n", c[n * n / 2]);
}
