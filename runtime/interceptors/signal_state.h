// The per-thread state of signal deferral (signal.cpp) that thread.cpp
// retires at thread end.
#pragma once

namespace conc::rt {

// Frees the calling thread's deferred-signal storage. Called outside the
// runtime, so nothing is pending any more.
void release_signal_state();

}  // namespace conc::rt
