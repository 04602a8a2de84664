// Where reports go: stderr, stdout or a file opened (and truncated) at start
// so an empty file means "no reports". Each report is written whole.
#pragma once

#include <string>
#include <string_view>

namespace conc::rt {

// Returns the fd for `path` ("" and "stderr" → 2, "stdout" → 1), or -1 with
// `error` set.
int open_report_output(const std::string& path, std::string& error);

// Writes all of `text`, retrying partial writes and EINTR; a regular file
// opened with O_APPEND gets it in one write(2), so lines never interleave.
void write_all(int fd, std::string_view text);

// Flushes a report file to disk (no-op for terminals and pipes).
void sync_output(int fd);

// strerror(err) through strerror_r: messages may be written while the
// program's threads run, and strerror is not thread-safe.
std::string error_text(int err);

}  // namespace conc::rt
