// The C++ side of the ABI: virtual calls (vptr reads and updates), std::atomic
// of every width, std::thread, exceptions through instrumented frames, and
// new/delete. Checks its results; prints "ok".
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>

namespace {

struct Base {
  virtual ~Base() = default;
  virtual int value() const { return 1; }
};

struct Derived : Base {
  int value() const override { return 2; }
};

template <typename T> bool exercise() {
  std::atomic<T> a{0};
  a.store(3, std::memory_order_release);
  T expected = 3;
  bool ok = a.load(std::memory_order_acquire) == 3 && a.compare_exchange_strong(expected, 4) &&
            !a.compare_exchange_weak(expected, 5) && expected == 4 && a.fetch_add(1) == 4 && a.exchange(9) == 5;
  return ok && a.load() == 9;
}

int thrower(int x) {
  if (x > 0) throw std::runtime_error("expected");
  return x;
}

}  // namespace

int main() {
  bool ok = exercise<uint8_t>() && exercise<uint16_t>() && exercise<uint32_t>() && exercise<uint64_t>();
  std::unique_ptr<Base> object = std::make_unique<Derived>();
  ok = ok && object->value() == 2;
  try {
    thrower(1);
    ok = false;
  } catch (const std::runtime_error&) {
  }
  std::atomic<int> count{0};
  std::thread a([&] { count.fetch_add(1); });
  std::thread b([&] { count.fetch_add(1); });
  a.join();
  b.join();
  ok = ok && count.load() == 2;
  std::puts(ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
