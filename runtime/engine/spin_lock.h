// The engine's only lock: a test-and-test-and-set spinlock with backoff.
//
// The engine must never call pthread locking functions (the runtime intercepts
// them), so every internal lock is this one. Critical sections are short; a
// waiter spins with a pause instruction, then yields the CPU.
#pragma once

#include <sched.h>

#include <atomic>
#include <cstdint>

namespace conc::engine {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

class SpinLock {
 public:
  void lock() {
    for (unsigned spins = 0;; ++spins) {
      if (!word_.load(std::memory_order_relaxed) && !word_.exchange(1, std::memory_order_acquire)) return;
      if (spins < 64) {
        cpu_relax();
      } else {
        sched_yield();
      }
    }
  }
  void unlock() { word_.store(0, std::memory_order_release); }

 private:
  std::atomic<uint32_t> word_{0};
};

class SpinGuard {
 public:
  explicit SpinGuard(SpinLock& lock) : lock_(lock) { lock_.lock(); }
  ~SpinGuard() { lock_.unlock(); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

 private:
  SpinLock& lock_;
};

}  // namespace conc::engine
