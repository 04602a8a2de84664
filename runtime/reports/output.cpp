// Raw-fd output for reports: no stdio, so a report never mixes with, or waits
// for, the program's own buffered output.
#include "reports/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace conc::rt {

int open_report_output(const std::string& path, std::string& error) {
  if (path.empty() || path == "stderr") return STDERR_FILENO;
  if (path == "stdout") return STDOUT_FILENO;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    error = "conc: cannot open report_path '" + path + "': " + error_text(errno) + "; reporting to stderr";
  return fd;
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void sync_output(int fd) {
  struct stat st;
  if (fd > STDERR_FILENO && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) fsync(fd);
}

std::string error_text(int err) {
  char buf[128];
  // The GNU strerror_r (the runtime builds with _GNU_SOURCE): returns a static
  // message or one written into buf.
  return strerror_r(err, buf, sizeof buf);
}

}  // namespace conc::rt
