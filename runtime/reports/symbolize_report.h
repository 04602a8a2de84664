// Turns the engine's PC-only report into a ReportView: frames with function,
// file and line, the location of the racy address, thread details.
#pragma once

#include <optional>
#include <string_view>

#include "engine/engine.h"
#include "reports/report_model.h"
#include "reports/symbolizer.h"
#include "reports/thread_table.h"

namespace conc::rt {

// `internal_module` is libconcrt's own path: its frames are left out.
// The global variable containing `addr`, when there is one.
std::optional<LocationView> locate_global(Symbolizer& symbolizer, uintptr_t addr);

ReportView symbolize_report(const engine::Report& report, Symbolizer& symbolizer, const ThreadTable& threads,
                            std::string_view internal_module, int pid);

}  // namespace conc::rt
