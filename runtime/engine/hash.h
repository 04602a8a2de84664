// Integer hashing shared by the engine's tables and caches.
#pragma once

#include <cstdint>

namespace conc::engine {

// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
inline uint64_t hash_mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t hash_combine(uint64_t h, uint64_t v) {
  return hash_mix(h ^ (v + 0x9E3779B97F4A7C15ULL + (h << 6)));
}

}  // namespace conc::engine
