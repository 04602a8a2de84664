// Atomics-heavy: reference counting with acquire/release, a seq_cst ticket
// counter and relaxed statistics, as a shared_ptr-heavy program does.
// argv[1] is the number of rounds per thread (default 500,000).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

struct Node {
  std::atomic<int> refs{1};
  long payload = 42;
};

void retain(Node* node) { node->refs.fetch_add(1, std::memory_order_relaxed); }
bool release(Node* node) { return node->refs.fetch_sub(1, std::memory_order_acq_rel) == 1; }

int main(int argc, char** argv) {
  constexpr int threads = 4;
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 500000;
  Node* shared = new Node;
  std::atomic<long> tickets{0}, reads{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) retain(shared);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      long seen = 0;
      for (int i = 0; i < rounds; ++i) {
        retain(shared);
        seen += shared->payload;
        tickets.fetch_add(1);
        reads.fetch_add(1, std::memory_order_relaxed);
        release(shared);
      }
      if (release(shared)) delete shared;
      reads.fetch_add(seen % 7, std::memory_order_relaxed);
    });
  }
  for (auto& w : workers) w.join();
  if (release(shared)) delete shared;
  std::printf("%ld %ld\n", tickets.load(), reads.load());
}
