// Vector clocks indexed by thread slot: what a thread or a sync object knows
// of every slot's history (FastTrack-style, an epoch per slot).
#pragma once

#include <cstdint>
#include <vector>

namespace conc::engine {

using Epoch = uint32_t;
using Slot = uint32_t;

class VectorClock {
 public:
  Epoch get(Slot slot) const { return slot < epochs_.size() ? epochs_[slot] : 0; }
  void set(Slot slot, Epoch epoch);
  // Pointwise maximum: this clock learns everything `other` knows.
  void join(const VectorClock& other);
  void clear() { epochs_.clear(); }
  bool empty() const { return epochs_.empty(); }

 private:
  std::vector<Epoch> epochs_;
};

}  // namespace conc::engine
