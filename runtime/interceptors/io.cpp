// read(2)/write(2) and their positional forms: the kernel writes or reads the
// program's buffer, which races like any other access (hazard: a buffer
// filled by read() while another thread uses it).
#include <unistd.h>

#include "interceptors/interceptor.h"

namespace conc::rt {
namespace {
CONC_REAL(read);
CONC_REAL(write);
CONC_REAL(pread);
CONC_REAL(pwrite);

ssize_t filled(void* buf, ssize_t n, engine::Pc pc) {
  if (n > 0) record_range(buf, static_cast<size_t>(n), true, pc);
  return n;
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT ssize_t read(int fd, void* buf, size_t n) { return filled(buf, real_read(fd, buf, n), CONC_CALLER_PC); }

CONC_EXPORT ssize_t pread(int fd, void* buf, size_t n, off_t offset) {
  return filled(buf, real_pread(fd, buf, n, offset), CONC_CALLER_PC);
}

CONC_EXPORT ssize_t write(int fd, const void* buf, size_t n) {
  record_range(buf, n, false, CONC_CALLER_PC);
  return real_write(fd, buf, n);
}

CONC_EXPORT ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
  record_range(buf, n, false, CONC_CALLER_PC);
  return real_pwrite(fd, buf, n, offset);
}
