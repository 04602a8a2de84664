// Happens-before through file descriptors: a message written to a pipe,
// socket pair, eventfd or socket orders the writer's earlier accesses before
// the reader's later ones. Each descriptor the program created through an
// intercepted call (fd.cpp) maps to a channel, a sync address; the data
// transfer interceptors (io.cpp) release on it before sending and acquire
// from it after receiving something. Descriptors the runtime did not see
// created (files, inherited ones, stdio) carry no channel: no ordering.
#pragma once

namespace conc::rt {

// Before the program sends data through `fd`.
void fd_release(int fd);
// After the program received data through `fd`.
void fd_acquire(int fd);

}  // namespace conc::rt
