// Event traces: what each thread slot did (function entries and exits, the
// accesses it stored in shadow, with their pcs), so that a race report can
// rebuild the stack of the earlier access by replaying the trace of the slot
// that made it, instead of every stored access interning its stack.
//
// A slot's trace is a ring of parts. Each part starts with a snapshot of the
// shadow call stack and the epoch at that point, so a replay can start at any
// part; the oldest part is overwritten when the ring is full. A new occupant
// of a slot continues the slot's ring (and its epoch sequence), so the trace
// of a finished thread stays readable until later occupants overwrite it.
//
// One writer (the slot's current thread) appends without a lock; a part's
// `size` is published (release) after each access event, and a replay reads
// only that far. Starting a part and replaying take the trace's lock, so a
// part is never overwritten while it is being replayed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/shadow.h"
#include "engine/spin_lock.h"
#include "engine/stack_depot.h"

namespace conc::engine {

struct ThreadState;

// Events are 64-bit words, kind in the top 3 bits:
//   entry:  return pc
//   exit
//   epoch:  the epoch of the accesses that follow (written before the first
//           access of each epoch, not at every tick)
//   unwind: the call depth a longjmp returned to
//   access: write | atomic | size (11 bits, 0: in a third word) | address (48
//           bits); then the pc; then the size if it did not fit
namespace event {
enum Kind : uint64_t { kEntry, kExit, kEpoch, kUnwind, kAccess };
constexpr unsigned kKindShift = 61;
constexpr uint64_t kPayload = (uint64_t{1} << kKindShift) - 1;
constexpr uint64_t kWrite = uint64_t{1} << 60;
constexpr uint64_t kAtomic = uint64_t{1} << 59;
constexpr unsigned kSizeShift = 48;
constexpr size_t kMaxInlineSize = (1u << 11) - 1;

constexpr uint64_t make(Kind kind, uint64_t payload) { return uint64_t{kind} << kKindShift | payload; }
constexpr Kind kind(uint64_t e) { return static_cast<Kind>(e >> kKindShift); }
}  // namespace event

// Cache-line aligned: the writer stores a part's size after every access,
// and traces of other slots must not share that line.
class alignas(64) Trace {
 public:
  // 16 parts of 16 KiB: up to about 16,000 stored accesses of history per
  // slot (fewer with function events between them), 256 KiB at most,
  // committed page by page as it is written.
  static constexpr unsigned kParts = 16;
  static constexpr size_t kPartWords = 2048;

  Trace();
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // The stack of the access that stored `cell_bits` (write, atomic, byte
  // mask of the granule at `granule`) at `epoch`, or empty when the ring no
  // longer holds that epoch.
  Stack find(Epoch epoch, uintptr_t granule, uint64_t cell_bits) const;

 private:
  friend class TraceWriter;
  struct Part {
    std::atomic<uint32_t> size{0};  // words of complete events, published by the writer
    bool used = false;              // under lock_, as is epoch
    Epoch epoch = 0;                // the writer's epoch when it started the part
  };
  uint64_t* words(unsigned part) const { return words_ + part * kPartWords; }
  Stack replay(unsigned part, Epoch epoch, uintptr_t granule, uint64_t cell_bits, bool& past) const;

  mutable SpinLock lock_;
  unsigned current_ = kParts - 1;  // the part being written; the next one is the oldest
  Part parts_[kParts];
  uint64_t* words_;  // kParts * kPartWords, mmapped
};

// A thread's end of its slot's trace. Function entry/exit cost a compare and
// a store inline; an access's event costs a few stores, inline in the
// engine's slow path (only a full part goes out of line).
class TraceWriter {
 public:
  void attach(Trace* trace) {
    trace_ = trace;
    pos_ = end_ = nullptr;  // the first event starts a part
  }
  // Appends `e` unless the current part is full: then nothing is written and
  // the caller starts the next part (the runtime's inlined entry points do it
  // out of line, where the stack snapshot's library calls are not recorded).
  __attribute__((always_inline)) bool try_put(uint64_t e) {
    if (__builtin_expect(pos_ == end_, 0)) return false;
    *pos_++ = e;
    return true;
  }
  void put(const ThreadState& thread, uint64_t e) {
    if (!try_put(e)) {
      next_part(thread);
      *pos_++ = e;
    }
  }
  void next_part(const ThreadState& thread);
  // An access that is about to be stored in shadow as cell `cur`; call
  // before the store, so that whoever finds the cell finds its event too.
  __attribute__((always_inline)) void access(const ThreadState& thread, uintptr_t addr, size_t size, Pc pc,
                                             uint64_t cur) {
    if (__builtin_expect(end_ - pos_ < 4, 0)) next_part(thread);  // epoch, access, pc, size
    if (cell::epoch(cur) != epoch_) {
      epoch_ = cell::epoch(cur);
      *pos_++ = event::make(event::kEpoch, epoch_);
    }
    const size_t inline_size = size <= event::kMaxInlineSize ? size : 0;
    *pos_++ = event::make(event::kAccess, (cur & cell::kWrite ? event::kWrite : 0) |
                                              (cur & cell::kAtomic ? event::kAtomic : 0) |
                                              uint64_t{inline_size} << event::kSizeShift | addr);
    *pos_++ = pc;
    if (__builtin_expect(!inline_size, 0)) *pos_++ = size;
    part_->size.store(static_cast<uint32_t>(pos_ - base_), std::memory_order_release);
  }

 private:
  Trace* trace_ = nullptr;
  Trace::Part* part_ = nullptr;
  uint64_t* base_ = nullptr;  // part_'s words
  uint64_t* pos_ = nullptr;
  uint64_t* end_ = nullptr;
  Epoch epoch_ = 0;  // of the last access written
};

}  // namespace conc::engine
