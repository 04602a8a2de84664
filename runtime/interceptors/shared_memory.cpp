// Races between processes on shared memory (see shared_memory.h): the
// family-wide state, the mmap/munmap and wait* interceptors, and the reports.
//
// Granularity is the process: accesses of one process are never checked
// against each other here (the engine checks the threads of the process that
// runs with detection; a fork child has none), and a process's clock advances
// only at its cross-process releases. That can hide a race (a thread's access
// after another thread's release counts as before it), never invent one.
#include "interceptors/shared_memory.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "interceptors/interceptor.h"
#include "reports/reporter.h"

namespace conc::rt::cross_process {

std::atomic<bool> g_watching{false};

namespace {

CONC_REAL(mmap);
CONC_REAL(munmap);
CONC_REAL(waitpid);
CONC_REAL(wait4);
CONC_REAL(waitid);

using Epoch = uint32_t;
constexpr unsigned kMaxProcesses = 32;
constexpr unsigned kMaxRegions = 16;
constexpr unsigned kMaxRaces = 32;
constexpr size_t kGranule = 8;
constexpr size_t kMaxWatchedBytes = size_t{256} << 20;  // shadow is reserved lazily (MAP_NORESERVE)

struct Clock {
  Epoch of[kMaxProcesses];
  void join(const Clock& other) {
    for (unsigned i = 0; i < kMaxProcesses; ++i) of[i] = std::max(of[i], other.of[i]);
  }
};

struct Process {
  pid_t pid;  // 0: a free slot (its clock keeps the slot's last epoch)
  Clock clock;
};

struct Access {
  uintptr_t pc;
  pid_t pid;
  uint16_t process;
  uint16_t size;
  bool write;
  Epoch epoch;  // 0: none
};

struct Cell {
  Access write;
  Access read;
};

struct Region {
  uintptr_t begin;
  uintptr_t end;  // begin == end: a free entry
  Cell* cells;
};

struct Race {
  uintptr_t addr;
  Access current;
  Access earlier;
};

// Lives in a MAP_SHARED mapping every process of the family inherits.
struct Family {
  std::atomic<int> lock;
  Process processes[kMaxProcesses];
  Clock synchronized;  // every cross-process release joins here
  Region regions[kMaxRegions];
  Race races[kMaxRaces];
  unsigned race_count;
  unsigned races_printed;
};

Family* g_family = nullptr;          // null until this process made a shared mapping
int g_self = -1;                     // this process's slot; -1: not watched
std::atomic<bool> g_gave_up{false};  // the family's lock was not obtained in time
Clock g_fork_clock;                  // the parent's clock at fork, read by the child in its copy

void* shared_anonymous(size_t size) {
  void* p =
      real_mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

// A spin lock shared by the processes. A process that dies holding it would
// stall the others forever, so waiting is bounded: past the bound this
// process stops watching (it may miss races, but never hangs).
class FamilyLock {
 public:
  FamilyLock() {
    for (unsigned spins = 0; spins < kMaxSpins; ++spins) {
      if (g_family->lock.exchange(1, std::memory_order_acquire) == 0) {
        held_ = true;
        return;
      }
      sched_yield();
    }
    g_gave_up.store(true, std::memory_order_relaxed);
    g_watching.store(false, std::memory_order_relaxed);
  }
  ~FamilyLock() {
    if (held_) g_family->lock.store(0, std::memory_order_release);
  }
  FamilyLock(const FamilyLock&) = delete;
  FamilyLock& operator=(const FamilyLock&) = delete;
  explicit operator bool() const { return held_; }

 private:
  static constexpr unsigned kMaxSpins = 1u << 20;
  bool held_ = false;
};

// This process has a slot and still watches.
bool usable() { return g_self >= 0 && !g_gave_up.load(std::memory_order_relaxed); }

Clock& own_clock() { return g_family->processes[g_self].clock; }

const Region* region_of(uintptr_t addr) {
  for (const Region& r : g_family->regions)
    if (addr >= r.begin && addr < r.end) return &r;
  return nullptr;
}

// A conflicting earlier access that this process's clock does not cover.
bool unordered(const Access& earlier) {
  return earlier.epoch != 0 && earlier.process != g_self && earlier.epoch > own_clock().of[earlier.process];
}

void note_race(uintptr_t addr, const Access& current, const Access& earlier) {
  Family& f = *g_family;
  for (unsigned i = 0; i < f.race_count; ++i)
    if (f.races[i].current.pc == current.pc && f.races[i].earlier.pc == earlier.pc) return;
  if (f.race_count < kMaxRaces) f.races[f.race_count++] = {addr, current, earlier};
}

void start_watching(uintptr_t begin, size_t length) {
  if (!g_family) {
    g_family = static_cast<Family*>(shared_anonymous(sizeof(Family)));
    if (!g_family) return;
    g_self = 0;
    g_family->processes[0].pid = getpid();
    g_family->processes[0].clock.of[0] = 1;
  }
  if (!usable() || length > kMaxWatchedBytes) return;
  FamilyLock lock;
  if (!lock) return;
  for (Region& r : g_family->regions) {
    if (r.begin != r.end) continue;
    auto* cells = static_cast<Cell*>(shared_anonymous((length + kGranule - 1) / kGranule * sizeof(Cell)));
    if (!cells) return;
    r = {begin, begin + length, cells};
    return;
  }
}

void stop_watching(uintptr_t begin, size_t length) {
  if (!g_family) return;
  FamilyLock lock;
  if (!lock) return;
  for (Region& r : g_family->regions)
    if (r.begin != r.end && r.begin >= begin && r.end <= begin + length) {
      real_munmap(r.cells, (r.end - r.begin + kGranule - 1) / kGranule * sizeof(Cell));
      r = {};
    }
}

std::string pid_text(pid_t pid) { return std::to_string(pid); }

engine::ReportedAccess reported(uintptr_t addr, const Access& a) {
  return {.tid = 0, .addr = addr, .size = a.size, .write = a.write, .atomic = false, .stack = {a.pc}};
}

// `ended`: the wait reaped `pid` (not a stop or a continue). The runtime's
// own children (the symbolizer) are reaped inside the runtime.
void after_wait(pid_t pid, bool ended) {
  if (pid > 0 && ended && usable() && tls.in_runtime == 0) reaped(pid);
}

bool ended(int status) { return WIFEXITED(status) || WIFSIGNALED(status); }

}  // namespace

void access(uintptr_t addr, size_t size, bool write, engine::Pc pc) {
  if (!usable()) return;
  AccessScope scope;
  const Region* region = region_of(addr);
  if (!region) return;
  bool raced = false;
  {
    FamilyLock lock;
    if (!lock) return;
    const Access current{pc,
                         getpid(),
                         static_cast<uint16_t>(g_self),
                         static_cast<uint16_t>(std::min<size_t>(size, 0xffff)),
                         write,
                         own_clock().of[g_self]};
    const uintptr_t last = std::min(addr + size, region->end) - 1;
    for (uintptr_t g = (addr - region->begin) / kGranule; g <= (last - region->begin) / kGranule; ++g) {
      Cell& cell = region->cells[g];
      const Access& earlier = unordered(cell.write) ? cell.write : cell.read;
      if (unordered(cell.write) || (write && unordered(cell.read))) {
        note_race(addr, current, earlier);
        raced = true;
      }
      if (write)
        cell = {current, {}};
      else
        cell.read = current;
    }
  }
  // Printed here, like the engine's reports, when this process can print.
  if (raced) print_pending_reports();
}

void release(uintptr_t object) {
  if (!usable() || !region_of(object)) return;
  message_sent();
}

void acquire(uintptr_t object) {
  if (!usable() || !region_of(object)) return;
  message_received();
}

void message_sent() {
  if (!usable()) return;
  FamilyLock lock;
  if (!lock) return;
  g_family->synchronized.join(own_clock());
  ++own_clock().of[g_self];
}

void message_received() {
  if (!usable()) return;
  FamilyLock lock;
  if (!lock) return;
  own_clock().join(g_family->synchronized);
}

void before_fork() {
  if (!usable()) return;
  FamilyLock lock;
  if (!lock) return;
  g_fork_clock = own_clock();
  ++own_clock().of[g_self];
  g_watching.store(true, std::memory_order_relaxed);
}

void after_fork_in_child() {
  if (!usable()) return;
  g_self = -1;
  g_watching.store(false, std::memory_order_relaxed);
  // The lock is shared: if a thread of the parent holds it, it releases it.
  FamilyLock lock;
  if (!lock) return;
  for (unsigned s = 0; s < kMaxProcesses; ++s) {
    Process& p = g_family->processes[s];
    if (p.pid != 0) continue;
    const Epoch next = std::max(p.clock.of[s], g_fork_clock.of[s]) + 1;
    p.pid = getpid();
    p.clock = g_fork_clock;
    p.clock.of[s] = next;
    g_self = static_cast<int>(s);
    g_watching.store(true, std::memory_order_relaxed);
    return;
  }
}

void reaped(pid_t child) {
  {
    FamilyLock lock;
    if (!lock) return;
    for (Process& p : g_family->processes)
      if (p.pid == child) {
        own_clock().join(p.clock);
        p.pid = 0;
      }
  }
  // Not printed here: a wait may run in a SIGCHLD handler that interrupted
  // libc, where the reporter's allocations could deadlock. The exit prints.
}

void print_pending_reports() {
  if (!usable() || !detection_enabled() || g_engine == nullptr) return;
  RuntimeScope scope;
  for (;;) {
    Race race;
    {
      FamilyLock lock;
      if (!lock || g_family->races_printed == g_family->race_count) return;
      race = g_family->races[g_family->races_printed++];
    }
    engine::Report report;
    report.kind = engine::ReportKind::DataRace;
    report.detail = "between processes: the access by process " + pid_text(race.current.pid) +
                    ", the previous one by process " + pid_text(race.earlier.pid) +
                    " (shared memory; stacks show the accessing line only)";
    report.accesses = {reported(race.addr, race.current), reported(race.addr, race.earlier)};
    report.threads = {engine::ThreadInfo{}};
    reporter().on_report(report);
  }
}

}  // namespace conc::rt::cross_process

using namespace conc::rt;

namespace {

// Memory a mapping covers or covered is new to the program: what was done at
// those addresses before (by a thread perhaps never ordered with the next
// user) is forgotten, as for a heap block, on map and on unmap.
void forget_mapping(void* addr, size_t length) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  if (g_engine) g_engine->forget_memory(addr_of(addr), (length + page - 1) / page * page);
}

}  // namespace

// Only mappings of the program, made with detection on, are watched: the
// runtime's own (made under the guard) and a fork child's (shared with no
// process that runs with detection) are not.
CONC_EXPORT void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset) noexcept {
  void* p = cross_process::real_mmap(addr, length, prot, flags, fd, offset);
  if (p != MAP_FAILED && recording_thread()) {
    RuntimeScope scope;
    forget_mapping(p, length);
    if ((flags & MAP_SHARED) && (prot & PROT_WRITE)) cross_process::start_watching(addr_of(p), length);
  }
  return p;
}

CONC_EXPORT int munmap(void* addr, size_t length) noexcept {
  if (tls.in_runtime == 0) {
    RuntimeScope scope;
    cross_process::stop_watching(addr_of(addr), length);
    forget_mapping(addr, length);
  }
  return cross_process::real_munmap(addr, length);
}

CONC_EXPORT pid_t waitpid(pid_t pid, int* status, int options) {
  int local = 0;
  int* out = status ? status : &local;
  pid_t reaped = cross_process::real_waitpid(pid, out, options);
  if (cross_process::watching()) cross_process::after_wait(reaped, cross_process::ended(*out));
  return reaped;
}

CONC_EXPORT pid_t wait(int* status) { return waitpid(-1, status, 0); }

CONC_EXPORT pid_t wait4(pid_t pid, int* status, int options, struct rusage* usage) noexcept {
  int local = 0;
  int* out = status ? status : &local;
  pid_t reaped = cross_process::real_wait4(pid, out, options, usage);
  if (cross_process::watching()) cross_process::after_wait(reaped, cross_process::ended(*out));
  return reaped;
}

// WNOWAIT leaves the child to be reaped again later: it orders nothing yet.
CONC_EXPORT int waitid(idtype_t type, id_t id, siginfo_t* info, int options) {
  int rc = cross_process::real_waitid(type, id, info, options);
  if (rc == 0 && info && !(options & WNOWAIT) && cross_process::watching())
    cross_process::after_wait(info->si_pid, info->si_code == CLD_EXITED || info->si_code == CLD_KILLED ||
                                                info->si_code == CLD_DUMPED);
  return rc;
}
