// Names and the summary frame shared by the text and JSON formatters.
#include "reports/report_model.h"

namespace conc::rt {

const char* kind_name(engine::ReportKind kind) {
  switch (kind) {
    case engine::ReportKind::DataRace:
      return "data-race";
    case engine::ReportKind::LockOrderInversion:
      return "lock-order-inversion";
    case engine::ReportKind::Deadlock:
      return "deadlock";
    case engine::ReportKind::AbandonedLock:
      return "abandoned-lock";
    case engine::ReportKind::MutexMisuse:
      return "mutex-misuse";
    case engine::ReportKind::ThreadLeak:
      return "thread-leak";
    case engine::ReportKind::Hang:
      return "hang";
    case engine::ReportKind::Starvation:
      return "starvation";
    case engine::ReportKind::Livelock:
      return "livelock";
    case engine::ReportKind::Contention:
      return "contention";
  }
  return "unknown";
}

const char* kind_message(engine::ReportKind kind) {
  switch (kind) {
    case engine::ReportKind::DataRace:
      return "data race";
    case engine::ReportKind::LockOrderInversion:
      return "lock-order-inversion (potential deadlock)";
    case engine::ReportKind::Deadlock:
      return "deadlock";
    case engine::ReportKind::AbandonedLock:
      return "abandoned lock";
    case engine::ReportKind::MutexMisuse:
      return "mutex misuse";
    case engine::ReportKind::ThreadLeak:
      return "thread leak";
    case engine::ReportKind::Hang:
      return "hang (every thread blocked)";
    case engine::ReportKind::Starvation:
      return "starvation";
    case engine::ReportKind::Livelock:
      return "livelock";
    case engine::ReportKind::Contention:
      return "lock contention";
  }
  return "unknown";
}

namespace {

// Standard library headers (std::mutex::lock, __gthread_mutex_lock...) are
// where the program called into the library, not where its bug is.
bool system_header(const std::string& file) {
  return file.starts_with("/usr/include/") || file.find("/include/c++/") != std::string::npos ||
         file.find("/gcc/x86_64-linux-gnu/") != std::string::npos;
}

}  // namespace

const Frame* summary_frame(const ReportView& report) {
  const FrameList* stack = nullptr;
  if (!report.accesses.empty())
    stack = &report.accesses[0].stack;
  else if (!report.cycle.empty())
    stack = &report.cycle[0].stack;
  else if (!report.events.empty())
    stack = &report.events[0].stack;
  return stack ? first_user_frame(*stack) : nullptr;
}

const Frame* first_user_frame(const FrameList& stack) {
  if (stack.empty()) return nullptr;
  for (const Frame& f : stack)
    if (!f.file.empty() && !system_header(f.file)) return &f;
  return &stack.front();
}

}  // namespace conc::rt
