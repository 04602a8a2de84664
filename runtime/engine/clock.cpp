#include "engine/clock.h"

#include <algorithm>

namespace conc::engine {

void VectorClock::set(Slot slot, Epoch epoch) {
  if (slot >= epochs_.size()) epochs_.resize(slot + 1, 0);
  epochs_[slot] = epoch;
}

void VectorClock::join(const VectorClock& other) {
  if (other.epochs_.size() > epochs_.size()) epochs_.resize(other.epochs_.size(), 0);
  for (size_t i = 0; i < other.epochs_.size(); ++i) epochs_[i] = std::max(epochs_[i], other.epochs_[i]);
}

}  // namespace conc::engine
