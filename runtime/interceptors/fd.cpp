// The descriptor → channel table behind fd_sync.h, and the calls that create,
// duplicate and close descriptors.
//
// * pipe, pipe2, socketpair: both ends share one new channel, so the write
//   end's release is what the read end acquires.
// * eventfd: a new channel of its own.
// * socket, accept, accept4: one channel for all sockets. The runtime does
//   not follow connections (nor other processes), so, as ThreadSanitizer
//   does, every socket message orders every earlier send before every later
//   receive: it may hide a race, it never invents one.
// * dup, dup2, dup3, fcntl(F_DUPFD[_CLOEXEC]): the new descriptor shares the
//   old one's channel.
// * close: the descriptor leaves its channel; the last one out forgets the
//   channel's clock, so a later descriptor reusing it starts clean.
//
// Channels come from a fixed pool (no allocation: these calls may run in
// signal handlers) with a reference count per channel. The table is
// lock-free; a close racing with I/O on the same descriptor is a bug of the
// program, and at worst leaves an extra happens-before edge.
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>

#include "interceptors/fd_sync.h"
#include "interceptors/lock_events.h"

namespace conc::rt {
namespace {

CONC_REAL(pipe);
CONC_REAL(pipe2);
CONC_REAL(socketpair);
CONC_REAL(eventfd);
CONC_REAL(socket);
CONC_REAL(accept);
CONC_REAL(accept4);
CONC_REAL(dup);
CONC_REAL(dup2);
CONC_REAL(dup3);
CONC_REAL(close);
const Real<int(int, int, unsigned long)> real_fcntl("fcntl");
const Real<int(int, int, unsigned long)> real_fcntl64("fcntl64");

// Descriptors at or above this number carry no channel.
constexpr int kMaxFds = 1 << 16;
// refs of a channel whose last descriptor is forgetting its clock: neither
// free for reuse nor joinable by a dup.
constexpr int kRetiring = -1;

// The channel's address is its sync object; refs counts the descriptors
// mapped to it (0: free).
struct Channel {
  std::atomic<int> refs{0};
};

// One channel per descriptor number is enough: a live channel holds at least
// one descriptor below kMaxFds.
Channel g_pool[kMaxFds];
// All sockets; starts with one reference that is never dropped.
Channel g_sockets{1};
std::atomic<Channel*> g_channel_of[kMaxFds];

bool tracked(int fd) { return fd >= 0 && fd < kMaxFds; }

// The program's descriptor calls; the runtime's own (symbolizer socket,
// report file) run with the reentrancy guard set and are not tracked.
bool program_call() { return tls.in_runtime == 0; }

// A free channel for `refs` descriptors, searched from `hint` (usually free
// itself); null if none.
Channel* new_channel(int hint, int refs) {
  for (int i = 0; i < kMaxFds; ++i) {
    Channel& c = g_pool[(hint + i) % kMaxFds];
    int free = 0;
    if (c.refs.compare_exchange_strong(free, refs, std::memory_order_acquire)) return &c;
  }
  return nullptr;
}

// Another descriptor joins `c`; false if `c` is on its way out.
bool add_ref(Channel* c) {
  int n = c->refs.load(std::memory_order_relaxed);
  while (n > 0)
    if (c->refs.compare_exchange_weak(n, n + 1, std::memory_order_relaxed)) return true;
  return false;
}

void drop_ref(Channel* c) {
  int n = c->refs.load(std::memory_order_relaxed);
  for (;;) {
    if (n == 1) {
      // The last descriptor: forget the clock before the channel can be reused.
      if (!c->refs.compare_exchange_weak(n, kRetiring, std::memory_order_acquire)) continue;
      if (g_engine && detection_enabled()) {
        AccessScope scope;
        g_engine->forget_memory(addr_of(c), sizeof *c);
      }
      c->refs.store(0, std::memory_order_release);
      return;
    }
    if (n <= 0 || c->refs.compare_exchange_weak(n, n - 1, std::memory_order_relaxed)) return;
  }
}

// Maps `fd` to `c` (whose reference the caller passes on); the channel `fd`
// had before, if any, loses it.
void attach(int fd, Channel* c) {
  if (!tracked(fd)) {
    if (c) drop_ref(c);
    return;
  }
  if (Channel* old = g_channel_of[fd].exchange(c, std::memory_order_acq_rel)) drop_ref(old);
}

Channel* channel_of(int fd) {
  return tracked(fd) ? g_channel_of[fd].load(std::memory_order_acquire) : nullptr;
}

int paired(int rc, const int fds[2]) {
  if (rc != 0 || !program_call() || !tracked(fds[0]) || !tracked(fds[1])) return rc;
  Channel* c = new_channel(fds[0], 2);
  attach(fds[0], c);
  attach(fds[1], c);
  return rc;
}

int single(int fd) {
  if (fd >= 0 && program_call() && tracked(fd)) attach(fd, new_channel(fd, 1));
  return fd;
}

int socket_created(int fd) {
  if (fd >= 0 && program_call() && tracked(fd) && add_ref(&g_sockets)) attach(fd, &g_sockets);
  return fd;
}

int duplicated(int old_fd, int new_fd) {
  if (new_fd < 0 || new_fd == old_fd || !program_call()) return new_fd;
  Channel* c = channel_of(old_fd);
  attach(new_fd, c && add_ref(c) ? c : nullptr);
  return new_fd;
}

int fcntl_with(const Real<int(int, int, unsigned long)>& real, int fd, int cmd, va_list args) {
  // Every fcntl argument is an int, a pointer or absent; passing the next
  // register on as an unsigned long forwards each of them unchanged.
  unsigned long arg = va_arg(args, unsigned long);
  int rc = real(fd, cmd, arg);
  return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC ? duplicated(fd, rc) : rc;
}

}  // namespace

void fd_release(int fd) {
  if (Channel* c = channel_of(fd)) released(c);
}

void fd_acquire(int fd) {
  if (Channel* c = channel_of(fd)) acquired(c);
}

}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pipe(int fds[2]) noexcept { return paired(real_pipe(fds), fds); }
CONC_EXPORT int pipe2(int fds[2], int flags) noexcept { return paired(real_pipe2(fds, flags), fds); }
CONC_EXPORT int socketpair(int domain, int type, int protocol, int fds[2]) noexcept {
  return paired(real_socketpair(domain, type, protocol, fds), fds);
}

CONC_EXPORT int eventfd(unsigned initval, int flags) noexcept { return single(real_eventfd(initval, flags)); }

CONC_EXPORT int socket(int domain, int type, int protocol) noexcept {
  return socket_created(real_socket(domain, type, protocol));
}
CONC_EXPORT int accept(int fd, sockaddr* addr, socklen_t* len) {
  return socket_created(real_accept(fd, addr, len));
}
CONC_EXPORT int accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  return socket_created(real_accept4(fd, addr, len, flags));
}

CONC_EXPORT int dup(int fd) noexcept { return duplicated(fd, real_dup(fd)); }
CONC_EXPORT int dup2(int fd, int new_fd) noexcept { return duplicated(fd, real_dup2(fd, new_fd)); }
CONC_EXPORT int dup3(int fd, int new_fd, int flags) noexcept {
  return duplicated(fd, real_dup3(fd, new_fd, flags));
}

CONC_EXPORT int fcntl(int fd, int cmd, ...) {
  va_list args;
  va_start(args, cmd);
  int rc = fcntl_with(real_fcntl, fd, cmd, args);
  va_end(args);
  return rc;
}

CONC_EXPORT int fcntl64(int fd, int cmd, ...) {
  va_list args;
  va_start(args, cmd);
  int rc = fcntl_with(real_fcntl64, fd, cmd, args);
  va_end(args);
  return rc;
}

// Leaves the channel while the descriptor is still open, so its number
// cannot be reused (and attached) by another thread in between.
CONC_EXPORT int close(int fd) {
  if (program_call()) attach(fd, nullptr);
  return real_close(fd);
}
