// Signal handlers, deferred while the runtime runs. signal/sigaction install
// a wrapper in place of the program's handler. When a signal arrives while
// the thread is inside the runtime (an engine update holding its spin locks,
// a glibc allocation in the malloc interceptor), running the handler there
// could deadlock on those locks or see half-updated state, so the wrapper
// stores the signal (siginfo and context) and the handler runs when the
// thread leaves the runtime (AccessScope, abi/runtime.h), with the handler's
// signal mask. Elsewhere the handler runs at once, and its accesses are
// recorded like any other code of the interrupted thread.
//
// Synchronous signals (faults, traps, abort) cannot wait: the faulting
// instruction would just run again. Their handlers always run at once; inside
// the runtime they then record nothing (the guard is still set).
//
// raise, kill and pthread_kill need nothing: the program calls them outside
// the runtime, so a signal to itself is handled before they return.
#include <signal.h>
#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <cstdint>

#include "interceptors/interceptor.h"
#include "interceptors/signal_state.h"

namespace conc::rt {
namespace {

CONC_REAL(sigaction);

constexpr int kSignals = 65;  // 1..64 on Linux

// The program's disposition of a signal whose handler the wrapper runs.
// Read by the wrapper without a lock: the handler word is atomic; flags and
// mask may be momentarily stale only while the program changes the
// disposition concurrently with the signal's arrival.
struct Disposition {
  std::atomic<uintptr_t> handler{0};  // sa_handler / sa_sigaction; 0 = SIG_DFL
  std::atomic<int> flags{0};          // the program's sa_flags
  sigset_t mask{};
};
Disposition g_dispositions[kSignals];

struct Handler {
  uintptr_t handler;
  int flags;
  sigset_t mask;
};

// A deferred signal of one thread.
struct Pending {
  bool armed;
  Handler handler;
  siginfo_t info;
  ucontext_t context;
};

// Per thread, mapped on the first deferral (mmap is async-signal-safe).
struct PendingSignals {
  Pending signals[kSignals];
};
__thread PendingSignals* t_pending __attribute__((tls_model("initial-exec")));

bool synchronous(int sig) {
  switch (sig) {
    case SIGSEGV:
    case SIGBUS:
    case SIGFPE:
    case SIGILL:
    case SIGTRAP:
    case SIGSYS:
    case SIGABRT:
      return true;
    default:
      return false;
  }
}

bool wrapped(uintptr_t handler) {
  return handler != reinterpret_cast<uintptr_t>(SIG_DFL) && handler != reinterpret_cast<uintptr_t>(SIG_IGN);
}

// The handler word holds the function pointer the program gave sigaction (an
// integer so that one lock-free atomic holds either kind, SIG_DFL or SIG_IGN).
// NOLINTBEGIN(performance-no-int-to-ptr): turns that word back into it
void call(const Handler& h, int sig, siginfo_t* info, void* context) {
  if (h.flags & SA_SIGINFO)
    reinterpret_cast<void (*)(int, siginfo_t*, void*)>(h.handler)(sig, info, context);
  else
    reinterpret_cast<void (*)(int)>(h.handler)(sig);
}
// NOLINTEND(performance-no-int-to-ptr)

// The program's handler for `sig` right now; SA_RESETHAND makes the next
// delivery the default one (the kernel reset the real disposition already).
Handler take_handler(int sig) {
  Disposition& d = g_dispositions[sig];
  Handler h{d.handler.load(std::memory_order_acquire), d.flags.load(std::memory_order_relaxed), d.mask};
  if (h.flags & SA_RESETHAND) {
    d.handler.store(0, std::memory_order_release);
    d.flags.store(0, std::memory_order_relaxed);
  }
  return h;
}

bool defer(int sig, const Handler& h, const siginfo_t* info, const void* context) {
  if (!t_pending) {
    void* p =
        mmap(nullptr, sizeof(PendingSignals), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
    t_pending = static_cast<PendingSignals*>(p);
  }
  Pending& slot = t_pending->signals[sig];
  slot.handler = h;
  slot.info = *info;
  slot.context = *static_cast<const ucontext_t*>(context);
  slot.armed = true;
  tls.signal_pending = 1;
  return true;
}

void wrapper(int sig, siginfo_t* info, void* context) {
  Handler h = take_handler(sig);
  if (h.handler == reinterpret_cast<uintptr_t>(SIG_IGN)) return;
  if (!wrapped(h.handler)) {
    // The program reset the disposition while this signal was on its way:
    // take the default action once it returns (the signal is blocked now).
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    real_sigaction(sig, &dfl, nullptr);
    raise(sig);
    return;
  }
  if (tls.in_runtime > 0 && !synchronous(sig) && defer(sig, h, info, context)) return;
  int saved_errno = errno;
  call(h, sig, info, context);
  errno = saved_errno;
}

// Installs `act` for `sig` (the wrapper in place of a handler) and reports
// the program's previous disposition in `old`.
int install(int sig, const struct sigaction* act, struct sigaction* old) {
  if (sig <= 0 || sig >= kSignals || sig == SIGKILL || sig == SIGSTOP || tls.in_runtime > 0)
    return real_sigaction(sig, act, old);
  Disposition& d = g_dispositions[sig];
  Handler previous{d.handler.load(std::memory_order_relaxed), d.flags.load(std::memory_order_relaxed),
                   d.mask};
  struct sigaction installed;
  if (act) {
    installed = *act;
    // The wrapper must find the new handler from the moment it is installed.
    d.mask = act->sa_mask;
    d.flags.store(act->sa_flags, std::memory_order_relaxed);
    d.handler.store(reinterpret_cast<uintptr_t>(act->sa_handler), std::memory_order_release);
    if (wrapped(reinterpret_cast<uintptr_t>(act->sa_handler))) {
      installed.sa_sigaction = wrapper;
      installed.sa_flags |= SA_SIGINFO;
    }
  }
  int rc = real_sigaction(sig, act ? &installed : nullptr, old);
  if (rc != 0) return rc;
  if (old && old->sa_sigaction == wrapper) {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the handler word back to the program's pointer
    old->sa_handler = reinterpret_cast<sighandler_t>(previous.handler);
    old->sa_flags = previous.flags;
    old->sa_mask = previous.mask;
  }
  return rc;
}

// signal() and sysv_signal() as glibc defines them: BSD semantics (restart,
// block the signal during its handler) and System V ones (one-shot, not
// blocked).
template <unsigned kFlags, bool kBlockSelf>
sighandler_t simple_signal(int sig, sighandler_t handler) {
  struct sigaction act = {}, old = {};
  act.sa_handler = handler;
  sigemptyset(&act.sa_mask);
  if (kBlockSelf && sig > 0 && sig < kSignals) sigaddset(&act.sa_mask, sig);
  act.sa_flags = static_cast<int>(kFlags);
  return install(sig, &act, &old) == 0 ? old.sa_handler : SIG_ERR;
}

}  // namespace

void deliver_pending_signals() {
  if (tls.in_runtime > 0) return;
  int saved_errno = errno;
  while (tls.signal_pending) {
    tls.signal_pending = 0;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    for (int sig = 1; sig < kSignals; ++sig) {
      Pending& slot = t_pending->signals[sig];
      if (!slot.armed) continue;
      // Copies first: the handler may be interrupted by the same signal.
      Handler h = slot.handler;
      siginfo_t info = slot.info;
      ucontext_t context = slot.context;
      slot.armed = false;
      sigset_t mask = h.mask, old;
      if (!(h.flags & SA_NODEFER)) sigaddset(&mask, sig);
      pthread_sigmask(SIG_BLOCK, &mask, &old);
      call(h, sig, &info, &context);
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
  }
  errno = saved_errno;
}

void release_signal_state() {
  if (!t_pending) return;
  // Signals still deferred at thread end are dropped with the thread.
  PendingSignals* p = t_pending;
  t_pending = nullptr;
  munmap(p, sizeof *p);
}

}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int sigaction(int sig, const struct sigaction* act, struct sigaction* old) noexcept {
  return install(sig, act, old);
}

CONC_EXPORT sighandler_t signal(int sig, sighandler_t handler) noexcept {
  return simple_signal<SA_RESTART, true>(sig, handler);
}

CONC_EXPORT sighandler_t sysv_signal(int sig, sighandler_t handler) noexcept {
  return simple_signal<SA_RESETHAND | SA_NODEFER, false>(sig, handler);
}

// What signal() becomes in strict ISO C modes (-std=c11).
CONC_EXPORT sighandler_t __sysv_signal(int sig, sighandler_t handler) noexcept
    __attribute__((alias("sysv_signal")));
