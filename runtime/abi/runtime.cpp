// libconcrt's life cycle: initialization (options, report output,
// suppressions, engine, main thread), the exit hook that turns "reports were
// printed" into the exit code, and the fork child's switch-off.
#include "abi/runtime.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "abi/options.h"
#include "interceptors/interceptor.h"
#include "interceptors/lock_analyses.h"
#include "interceptors/shared_memory.h"
#include "reports/advice.h"
#include "reports/output.h"
#include "reports/process_symbolizer.h"
#include "reports/reporter.h"
#include "reports/run_outputs.h"

namespace conc::rt {

__thread ThreadContext tls __attribute__((tls_model("initial-exec"))) = {};
engine::Engine* g_engine = nullptr;

namespace {

enum InitState { kNotStarted, kRunning, kDone };
std::atomic<int> g_init_state{kNotStarted};
std::atomic<bool> g_detection{true};
std::atomic<bool> g_instrumented{false};
// Pointers, not objects: the constructor below may run before this file's
// dynamic initializers.
const Options* g_options = nullptr;
ThreadTable* g_threads = nullptr;
Reporter* g_reporter = nullptr;
int g_report_fd = STDERR_FILENO;

void message(const std::string& text) { write_all(STDERR_FILENO, text + "\n"); }

std::string own_module() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&initialize), &info) && info.dli_fname) return info.dli_fname;
  return {};
}

std::string read_file(const std::string& path, bool& ok) {
  std::string text;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ok = fd >= 0;
  if (!ok) return text;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(fd);
  return text;
}

Suppressions load_suppressions(const std::string& path) {
  std::vector<std::string> errors;
  if (path.empty()) return Suppressions::parse("", errors);
  bool ok = false;
  std::string text = read_file(path, ok);
  if (!ok) message("conc: cannot read suppressions file '" + path + "'; nothing is suppressed");
  Suppressions s = Suppressions::parse(text, errors);
  if (errors.empty()) return s;
  const std::string prefix = "conc: suppressions file '" + path + "', ";
  for (const std::string& e : errors) message(prefix + e);
  return s;
}

std::string symbolizer_path(const std::string& module) {
  if (!g_options->symbolizer_path.empty()) return g_options->symbolizer_path;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, by initialize_once (see there)
  if (const char* env = getenv("CONC_SYMBOLIZER"); env && *env) return env;
  return default_symbolizer_path(module);
}

// Between the engine and the reporter: drops races on ranges the program
// annotated as benign.
class BenignRaceFilter final : public engine::ReportSink {
 public:
  explicit BenignRaceFilter(engine::ReportSink& next) : next_(next) {}
  void on_report(const engine::Report& report) override {
    if (report.kind == engine::ReportKind::DataRace &&
        std::any_of(report.accesses.begin(), report.accesses.end(),
                    [](const engine::ReportedAccess& a) { return benign_race(a.addr, a.size); }))
      return;
    next_.on_report(report);
  }

 private:
  engine::ReportSink& next_;
};

[[noreturn]] void halt() {
  write_run_outputs();
  sync_output(g_report_fd);
  _exit(g_options->exitcode);
}

void initialize_once() {
  RuntimeScope scope;
  resolve_allocator_functions();
  register_fork_check();
  // getenv has no thread-safe form; this runs once, at start-up (from the
  // load-time constructor, or an interceptor called before it), before the
  // program has threads of its own.
  const char* text = getenv("CONC_OPTIONS");  // NOLINT(concurrency-mt-unsafe): see above
  ParsedOptions parsed = parse_options(text ? text : "");
  if (!parsed.error.empty()) message(parsed.error);
  g_options = new Options(parsed.options);
  std::string error;
  g_report_fd = open_report_output(g_options->report_path, error);
  if (g_report_fd < 0) {
    message(error);
    g_report_fd = STDERR_FILENO;
  }
  std::string module = own_module();
  g_threads = new ThreadTable;
  auto* symbolizer = new ProcessSymbolizer(symbolizer_path(module));
  Reporter::Config config{.format = g_options->report_format,
                          .fd = g_report_fd,
                          .halt_on_error = g_options->halt_on_error,
                          .internal_module = module,
                          .docs_dir = docs_dir_for(module),
                          .keep = !g_options->lock_graph.empty() || !g_options->report_html.empty()};
  g_reporter =
      new Reporter(config, load_suppressions(g_options->suppressions), *symbolizer, *g_threads, halt);
  auto* engine = new engine::Engine(*new BenignRaceFilter(*g_reporter));
  engine->set_verify(g_options->verify);
  engine::ThreadState* main_thread = engine->thread_create(nullptr, 0);
  engine->thread_start(main_thread);
  g_threads->started(engine->tid(main_thread), current_os_tid());
  locks::main_thread_started(engine->tid(main_thread));
  g_engine = engine;
  tls.state = main_thread;
}

// Hooks a program may define (sanitizer/tsan_interface.h): called once the
// runtime is ready, and at exit with whether reports were printed; the
// latter's result decides the exit status instead.
extern "C" __attribute__((weak)) void __tsan_on_initialize();
extern "C" __attribute__((weak)) int __tsan_on_finalize(int failed);

// Runs before the executable's constructors (libconcrt is its dependency),
// so the main thread is known before any instrumented code runs.
__attribute__((constructor)) void on_load() { initialize(); }

// Runs in exit() after the program's atexit handlers and static destructors.
// Flushing stdio here keeps the program's output whole; _exit then replaces
// the exit status when anything was reported.
__attribute__((destructor)) void on_unload() {
  if (g_init_state.load(std::memory_order_acquire) != kDone || !detection_enabled()) return;
  ++tls.in_runtime;  // the process is ending: record nothing from here on
  locks::run_exit_checks();
  cross_process::print_pending_reports();
  const bool reported = g_reporter->stop() != 0;
  write_run_outputs();
  if (!(__tsan_on_finalize ? __tsan_on_finalize(reported) != 0 : reported)) return;
  fflush(nullptr);
  sync_output(g_report_fd);
  _exit(g_options->exitcode);
}

}  // namespace

void initialize() {
  int expected = kNotStarted;
  if (g_init_state.compare_exchange_strong(expected, kRunning, std::memory_order_acq_rel)) {
    initialize_once();
    g_init_state.store(kDone, std::memory_order_release);
    if (__tsan_on_initialize) __tsan_on_initialize();
    return;
  }
  // Another thread is initializing; the initializing thread itself never
  // comes back here (it runs with the reentrancy guard set).
  while (!tls.in_runtime && g_init_state.load(std::memory_order_acquire) != kDone) sched_yield();
}

void note_instrumented() { g_instrumented.store(true, std::memory_order_relaxed); }
bool instrumented() { return g_instrumented.load(std::memory_order_relaxed); }

bool detection_enabled() { return g_detection.load(std::memory_order_relaxed); }

void disable_detection_after_fork() {
  g_detection.store(false, std::memory_order_relaxed);
  tls.state = nullptr;
  tls.os_tid = 0;
  if (g_reporter) g_reporter->reset_counts();
}

ThreadTable& thread_table() { return *g_threads; }
const Options& options() { return *g_options; }
Reporter& reporter() { return *g_reporter; }

int current_os_tid() {
  if (tls.os_tid == 0) tls.os_tid = static_cast<int>(syscall(SYS_gettid));
  return tls.os_tid;
}

}  // namespace conc::rt
