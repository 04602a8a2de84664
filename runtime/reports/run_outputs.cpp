// Gathers the lock graph (edges from the engine, names from the symbolizer,
// creation sites from the lock table) and the kept reports, and writes the
// lock_graph and report_html outputs.
#include "reports/run_outputs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "abi/options.h"
#include "abi/runtime.h"
#include "interceptors/lock_analyses.h"
#include "reports/html_format.h"
#include "reports/lock_graph_dot.h"
#include "reports/output.h"
#include "reports/reporter.h"

namespace conc::rt {
namespace {

void message(const std::string& text) { write_all(STDERR_FILENO, "conc: " + text + "\n"); }

// `path` is the file the user named; the files the runtime names itself
// (beside it, or inside the report folder) are never written through a
// symbolic link, which could point anywhere.
enum class Named { ByUser, ByRuntime };

bool write_file(const std::string& path, const std::string& text, Named named = Named::ByRuntime) {
  const int follow = named == Named::ByUser ? 0 : O_NOFOLLOW;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | follow, 0644);
  if (fd < 0) {
    message("cannot write " + path + ": " +
            (errno == ELOOP ? std::string("it is a symbolic link, not followed") : error_text(errno)));
    return false;
  }
  write_all(fd, text);
  close(fd);
  return true;
}

// mkdir -p.
bool make_directory(const std::string& dir) {
  for (size_t slash = dir.find('/', 1); slash != std::string::npos; slash = dir.find('/', slash + 1))
    mkdir(dir.substr(0, slash).c_str(), 0755);
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    message("cannot create " + dir + ": " + error_text(errno));
    return false;
  }
  return true;
}

// The command line, from /proc.
std::string program_command() {
  std::string text;
  int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "program";
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(fd);
  for (char& c : text)
    if (c == '\0') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text.empty() ? "program" : text;
}

LockGraphView runtime_graph() {
  Reporter& r = reporter();
  // Edges of reported lock-order inversions are drawn as the cycle.
  std::set<std::pair<uintptr_t, uintptr_t>> cyclic;
  for (const ReportView& report : r.kept_reports())
    for (const EdgeView& e : report.cycle) cyclic.emplace(e.from, e.to);
  LockGraphView graph;
  std::map<uintptr_t, engine::Stack> first_locked;  // for locks the lock table has no site for
  for (const engine::LockEdge& e : g_engine->lock_order_edges()) {
    graph.edges.push_back(
        {e.from, e.to, e.tid, r.symbolize_stack(e.to_acquired_at), cyclic.count({e.from, e.to}) != 0});
    first_locked.emplace(e.from, e.from_acquired_at);
    first_locked.emplace(e.to, e.to_acquired_at);
  }
  for (const auto& [lock, acquired_at] : first_locked) {
    GraphLock node{lock, r.global_name(lock), "first locked in", {}};
    std::optional<engine::LockStats> stats;
    if (locks::enabled()) stats = locks::lock_table().stats(lock);
    if (stats && stats->site) {
      if (stats->created) node.site_label = "created in";
      node.site = r.symbolize_stack(g_engine->unwind(stats->site));
    } else {
      node.site = r.symbolize_stack(acquired_at);
    }
    graph.locks.push_back(std::move(node));
  }
  return graph;
}

void write_graph(const std::string& path, const std::string& dot) {
  if (!path.ends_with(".svg")) {
    write_file(path, dot, Named::ByUser);
    return;
  }
  std::string error;
  std::string svg = render_svg(dot, error);
  if (!svg.empty()) {
    write_file(path, svg, Named::ByUser);
    return;
  }
  if (write_file(path + ".dot", dot))
    message("no SVG lock graph: " + error + "; wrote the graph as DOT to " + path + ".dot");
}

void write_html(const std::string& dir, const LockGraphView& graph, const std::string& dot) {
  if (!make_directory(dir)) return;
  Reporter& r = reporter();
  HtmlReport html{.program = program_command(),
                  .pid = getpid(),
                  .reports = r.kept_reports(),
                  .cycle_svgs = {},
                  .graph_svg = {},
                  .graph_note = {},
                  .contention = r.kept_contention()};
  write_file(dir + "/lock-graph.dot", dot);
  std::string error;
  std::string svg = graph.edges.empty() ? "" : render_svg(dot, error);
  if (graph.edges.empty()) {
    html.graph_note = "No lock was taken while another was held: the lock-order graph has no edges.";
  } else if (!svg.empty()) {
    write_file(dir + "/lock-graph.svg", svg);
    html.graph_svg = inline_svg(svg);
  } else {
    html.graph_note = "No picture: " + error + ". The graph is in lock-graph.dot beside this page.";
  }
  size_t cycles = 0, deadlocks = 0;
  for (const ReportView& report : html.reports) {
    std::string cycle_dot;
    if (!report.cycle.empty()) {
      cycle_dot = format_graph_dot(cycle_graph(report), "lock-order cycle " + std::to_string(++cycles));
      write_file(dir + "/cycle-" + std::to_string(cycles) + ".dot", cycle_dot);
    } else if (report.kind == engine::ReportKind::Deadlock) {
      cycle_dot = format_deadlock_dot(report, "deadlock " + std::to_string(++deadlocks));
      write_file(dir + "/deadlock-" + std::to_string(deadlocks) + ".dot", cycle_dot);
    }
    std::string cycle_error;
    html.cycle_svgs.push_back(cycle_dot.empty() ? "" : inline_svg(render_svg(cycle_dot, cycle_error)));
  }
  if (write_file(dir + "/index.html", format_html(html)))
    message("HTML report written to " + dir + "/index.html");
}

}  // namespace

void write_run_outputs() {
  const Options& o = options();
  if (o.lock_graph.empty() && o.report_html.empty()) return;
  const LockGraphView graph = runtime_graph();
  const std::string dot = format_graph_dot(graph, "lock-order graph");
  if (!o.lock_graph.empty()) write_graph(o.lock_graph, dot);
  if (!o.report_html.empty()) write_html(o.report_html, graph, dot);
}

}  // namespace conc::rt
