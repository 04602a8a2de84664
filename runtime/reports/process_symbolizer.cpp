// Out-of-process symbolization. The protocol (see runtime/tools/
// conc_symbolizer.cpp): requests "CODE 0xOFFSET MODULE" and "DATA 0xOFFSET
// MODULE"; responses are tab-separated lines ended by an empty line. A Unix
// socket pair, not pipes, so a dead symbolizer gives EPIPE (MSG_NOSIGNAL)
// instead of killing the program with SIGPIPE.
#include "reports/process_symbolizer.h"

#include <link.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "reports/format.h"

namespace conc::rt {
namespace {

constexpr int kTimeoutMs = 20000;  // a symbolizer that stalls this long is abandoned

std::string self_exe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

struct LocateQuery {
  uintptr_t addr;
  std::optional<ModuleAddress> found;
};

int locate_callback(dl_phdr_info* info, size_t, void* data) {
  auto* q = static_cast<LocateQuery*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (q->addr < start || q->addr >= start + ph.p_memsz) continue;
    std::string name = info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : self_exe();
    q->found = ModuleAddress{name, q->addr - info->dlpi_addr};
    return 1;
  }
  return 0;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
    fields.push_back(line.substr(start, tab - start));
  fields.push_back(line.substr(start));
  return fields;
}

unsigned long long number(const std::string& s, int base) { return std::strtoull(s.c_str(), nullptr, base); }

}  // namespace

std::string default_symbolizer_path(const std::string& runtime_module) {
  size_t slash = runtime_module.rfind('/');
  std::string dir = slash == std::string::npos ? "." : runtime_module.substr(0, slash);
  return dir + "/../bin/conc-symbolizer";
}

ProcessSymbolizer::~ProcessSymbolizer() { stop(); }

std::optional<ModuleAddress> ProcessSymbolizer::locate(uintptr_t addr) {
  LocateQuery q{addr, std::nullopt};
  dl_iterate_phdr(locate_callback, &q);
  return q.found;
}

bool ProcessSymbolizer::ensure_started() {
  if (fd_ >= 0) return true;
  if (failed_ || path_.empty() || access(path_.c_str(), X_OK) != 0) {
    failed_ = true;
    return false;
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    failed_ = true;
    return false;
  }
  // The child must not load libconcrt again through LD_PRELOAD.
  std::vector<char*> env;
  for (char** e = environ; e && *e; ++e)
    if (strncmp(*e, "LD_PRELOAD=", 11) != 0) env.push_back(*e);
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDOUT_FILENO);
  char* argv[] = {path_.data(), nullptr};
  int rc = posix_spawn(&pid_, path_.c_str(), &actions, nullptr, argv, env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(sv[1]);
  if (rc != 0) {
    close(sv[0]);
    failed_ = true;
    return false;
  }
  fd_ = sv[0];
  return true;
}

void ProcessSymbolizer::stop() {
  if (fd_ < 0) return;
  close(fd_);
  fd_ = -1;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  failed_ = true;
}

bool ProcessSymbolizer::read_line(std::string& line) {
  for (;;) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return true;
    }
    pollfd p{fd_, POLLIN, 0};
    int ready = poll(&p, 1, kTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

bool ProcessSymbolizer::transact(const std::string& request, std::vector<std::string>& lines) {
  if (!ensure_started()) return false;
  std::string_view rest = request;
  while (!rest.empty()) {
    ssize_t n = send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      stop();
      return false;
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  for (std::string line; read_line(line);) {
    if (line.empty()) return true;
    lines.push_back(line);
  }
  stop();
  return false;
}

std::vector<CodeLocation> ProcessSymbolizer::code(const ModuleAddress& where) {
  std::vector<std::string> lines;
  std::vector<CodeLocation> frames;
  if (!transact("CODE " + hex(where.offset) + " " + where.module + "\n", lines)) return frames;
  for (const std::string& line : lines) {
    std::vector<std::string> f = split_tabs(line);
    if (f.size() != 4) continue;
    frames.push_back(
        {f[0], f[1], static_cast<unsigned>(number(f[2], 10)), static_cast<unsigned>(number(f[3], 10))});
  }
  return frames;
}

std::optional<DataSymbol> ProcessSymbolizer::data(const ModuleAddress& where) {
  std::vector<std::string> lines;
  if (!transact("DATA " + hex(where.offset) + " " + where.module + "\n", lines) || lines.empty())
    return std::nullopt;
  std::vector<std::string> f = split_tabs(lines.front());
  if (f.size() != 3 || f[0].empty()) return std::nullopt;
  return DataSymbol{f[0], static_cast<uintptr_t>(number(f[1], 16)), static_cast<size_t>(number(f[2], 10))};
}

}  // namespace conc::rt
