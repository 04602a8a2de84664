#include "engine/trace.h"

#include <algorithm>

#include "engine/os_memory.h"
#include "engine/shadow.h"
#include "engine/thread.h"

namespace conc::engine {
namespace {

constexpr uint64_t kAddressMask = (uint64_t{1} << event::kSizeShift) - 1;

// Whether an access event [addr, addr+size) stored exactly this cell's bytes
// of `granule`, with its kind.
bool stored(uint64_t e, size_t size, uintptr_t granule, uint64_t cell_bits) {
  if (((e & event::kWrite) != 0) != ((cell_bits & cell::kWrite) != 0) ||
      ((e & event::kAtomic) != 0) != ((cell_bits & cell::kAtomic) != 0))
    return false;
  const uintptr_t addr = e & kAddressMask;
  const uintptr_t low = std::max(addr, granule), high = std::min(addr + size, granule + 8);
  return low < high && ((1u << (high - low)) - 1) << (low - granule) == cell::mask(cell_bits);
}

}  // namespace

Trace::Trace() : words_(static_cast<uint64_t*>(map_zeroed(kParts * kPartWords * sizeof(uint64_t)))) {}

Trace::~Trace() { unmap(words_, kParts * kPartWords * sizeof(uint64_t)); }

Stack Trace::find(Epoch epoch, uintptr_t granule, uint64_t cell_bits) const {
  SpinGuard guard(lock_);
  unsigned order[kParts];  // the parts written, oldest first
  unsigned count = 0;
  for (unsigned i = 1; i <= kParts; ++i) {
    const unsigned part = (current_ + i) % kParts;
    if (parts_[part].used) order[count++] = part;
  }
  for (unsigned i = 0; i < count && parts_[order[i]].epoch <= epoch; ++i) {
    // The epoch's accesses are all in later parts if the next one starts after it.
    if (i + 1 < count && parts_[order[i + 1]].epoch < epoch) continue;
    bool past = false;
    Stack stack = replay(order[i], epoch, granule, cell_bits, past);
    if (!stack.empty() || past) return stack;
  }
  return {};
}

// Replays one part from its stack snapshot. Sets `past` when it reaches a
// later epoch (no later part can hold the access either).
Stack Trace::replay(unsigned part, Epoch epoch, uintptr_t granule, uint64_t cell_bits, bool& past) const {
  const uint64_t* w = words(part);
  const uint32_t size = parts_[part].size.load(std::memory_order_acquire);
  const auto recorded = static_cast<unsigned>(w[0]);
  CallStack stack;
  stack.assign(w + 1, recorded, static_cast<unsigned>(w[0] >> 32));
  Epoch at = parts_[part].epoch;
  for (size_t i = 1 + recorded; i < size;) {
    const uint64_t e = w[i++];
    switch (event::kind(e)) {
      case event::kEntry:
        stack.push(e & event::kPayload);
        break;
      case event::kExit:
        stack.pop();
        break;
      case event::kUnwind:
        stack.unwind_to(static_cast<unsigned>(e & event::kPayload));
        break;
      case event::kEpoch:
        at = static_cast<Epoch>(e);
        if (at > epoch) {
          past = true;
          return {};
        }
        break;
      case event::kAccess: {
        // A complete event ends within `size`; one cut short (a signal
        // handler's events written over it) ends the replay, never the read.
        const size_t words = ((e >> event::kSizeShift) & event::kMaxInlineSize) ? 1 : 2;
        if (i + words > size) return {};
        const Pc pc = w[i++];
        size_t bytes = (e >> event::kSizeShift) & event::kMaxInlineSize;
        if (bytes == 0) bytes = w[i++];
        if (at == epoch && stored(e, bytes, granule, cell_bits)) return stack.current(pc);
        break;
      }
    }
  }
  return {};
}

void TraceWriter::next_part(const ThreadState& thread) {
  const CallStack& stack = thread.stack.calls();
  SpinGuard guard(trace_->lock_);
  const unsigned index = trace_->current_ = (trace_->current_ + 1) % Trace::kParts;
  part_ = &trace_->parts_[index];
  part_->used = true;
  part_->epoch = epoch_ = thread.epoch();
  base_ = trace_->words(index);
  base_[0] = stack.recorded() | uint64_t{stack.overflow()} << 32;
  pos_ = std::copy(stack.frames(), stack.frames() + stack.recorded(), base_ + 1);
  end_ = base_ + Trace::kPartWords;
  part_->size.store(static_cast<uint32_t>(pos_ - base_), std::memory_order_release);
}

}  // namespace conc::engine
