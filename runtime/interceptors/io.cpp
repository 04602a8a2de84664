// Data transfer through descriptors. The kernel reads or writes the
// program's buffers, which race like any other access (hazard: a buffer
// filled by read() while another thread uses it); and a message orders its
// sender before its receiver (fd_sync.h): every send releases the
// descriptor's channel before the data leaves, every receive of at least one
// byte acquires it. Positional I/O (pread/pwrite) only works on files, which
// carry no channel.
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "interceptors/fd_sync.h"
#include "interceptors/interceptor.h"
#include "interceptors/shared_memory.h"

namespace conc::rt {
namespace {
CONC_REAL(read);
CONC_REAL(readv);
CONC_REAL(pread);
CONC_REAL(recv);
CONC_REAL(recvfrom);
CONC_REAL(recvmsg);
CONC_REAL(eventfd_read);
CONC_REAL(write);
CONC_REAL(writev);
CONC_REAL(pwrite);
CONC_REAL(send);
CONC_REAL(sendto);
CONC_REAL(sendmsg);
CONC_REAL(eventfd_write);

ssize_t filled(void* buf, ssize_t n, engine::Pc pc) {
  if (n > 0) record_range(buf, static_cast<size_t>(n), true, pc);
  return n;
}

// The first `bytes` bytes of a scatter/gather list.
void record_iov(const iovec* iov, size_t count, size_t bytes, bool write, engine::Pc pc) {
  for (size_t i = 0; i < count && bytes > 0; ++i) {
    size_t part = iov[i].iov_len < bytes ? iov[i].iov_len : bytes;
    record_range(iov[i].iov_base, part, write, pc);
    bytes -= part;
  }
}

// A message also orders processes that share memory (shared_memory.h).
void sent(int fd) {
  if (cross_process::watching()) cross_process::message_sent();
  fd_release(fd);
}
void received_on(int fd) {
  if (cross_process::watching()) cross_process::message_received();
  fd_acquire(fd);
}

size_t iov_bytes(const iovec* iov, size_t count) {
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) total += iov[i].iov_len;
  return total;
}

ssize_t received(int fd, ssize_t n) {
  if (n > 0) received_on(fd);
  return n;
}

ssize_t filled_iov(const iovec* iov, size_t count, ssize_t n, engine::Pc pc) {
  if (n > 0) record_iov(iov, count, static_cast<size_t>(n), true, pc);
  return n;
}

void sending(int fd, const void* buf, size_t n, engine::Pc pc) {
  record_range(buf, n, false, pc);
  sent(fd);
}

void sending_iov(int fd, const iovec* iov, size_t count, engine::Pc pc) {
  record_iov(iov, count, iov_bytes(iov, count), false, pc);
  sent(fd);
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT ssize_t read(int fd, void* buf, size_t n) {
  return filled(buf, received(fd, real_read(fd, buf, n)), CONC_CALLER_PC);
}

CONC_EXPORT ssize_t readv(int fd, const iovec* iov, int count) {
  return filled_iov(iov, static_cast<size_t>(count), received(fd, real_readv(fd, iov, count)),
                    CONC_CALLER_PC);
}

CONC_EXPORT ssize_t pread(int fd, void* buf, size_t n, off_t offset) {
  return filled(buf, real_pread(fd, buf, n, offset), CONC_CALLER_PC);
}

CONC_EXPORT ssize_t recv(int fd, void* buf, size_t n, int flags) {
  return filled(buf, received(fd, real_recv(fd, buf, n, flags)), CONC_CALLER_PC);
}

CONC_EXPORT ssize_t recvfrom(int fd, void* buf, size_t n, int flags, sockaddr* from, socklen_t* from_len) {
  return filled(buf, received(fd, real_recvfrom(fd, buf, n, flags, from, from_len)), CONC_CALLER_PC);
}

CONC_EXPORT ssize_t recvmsg(int fd, msghdr* msg, int flags) {
  return filled_iov(msg->msg_iov, msg->msg_iovlen, received(fd, real_recvmsg(fd, msg, flags)),
                    CONC_CALLER_PC);
}

CONC_EXPORT int eventfd_read(int fd, eventfd_t* value) {
  int rc = real_eventfd_read(fd, value);
  if (rc == 0) {
    received_on(fd);
    record_range(value, sizeof *value, true, CONC_CALLER_PC);
  }
  return rc;
}

CONC_EXPORT ssize_t write(int fd, const void* buf, size_t n) {
  sending(fd, buf, n, CONC_CALLER_PC);
  return real_write(fd, buf, n);
}

CONC_EXPORT ssize_t writev(int fd, const iovec* iov, int count) {
  sending_iov(fd, iov, static_cast<size_t>(count), CONC_CALLER_PC);
  return real_writev(fd, iov, count);
}

CONC_EXPORT ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
  record_range(buf, n, false, CONC_CALLER_PC);
  return real_pwrite(fd, buf, n, offset);
}

CONC_EXPORT ssize_t send(int fd, const void* buf, size_t n, int flags) {
  sending(fd, buf, n, CONC_CALLER_PC);
  return real_send(fd, buf, n, flags);
}

CONC_EXPORT ssize_t sendto(int fd, const void* buf, size_t n, int flags, const sockaddr* to,
                           socklen_t to_len) {
  sending(fd, buf, n, CONC_CALLER_PC);
  return real_sendto(fd, buf, n, flags, to, to_len);
}

CONC_EXPORT ssize_t sendmsg(int fd, const msghdr* msg, int flags) {
  sending_iov(fd, msg->msg_iov, msg->msg_iovlen, CONC_CALLER_PC);
  return real_sendmsg(fd, msg, flags);
}

CONC_EXPORT int eventfd_write(int fd, eventfd_t value) {
  sent(fd);
  return real_eventfd_write(fd, value);
}
