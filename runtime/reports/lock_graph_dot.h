// The lock-order graph as a picture: locks as nodes labelled with their name
// and creation site, an edge A -> B for "B taken while A was held" labelled
// with where, and the edges and locks of reported cycles in red. Written as
// Graphviz DOT for lock_graph=FILE (conc-run --graph), for the HTML report
// and for each lock-order inversion's own cycle; render_svg() turns DOT into
// SVG when Graphviz's `dot` is installed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/report_model.h"

namespace conc::rt {

struct GraphLock {
  uintptr_t addr = 0;
  std::string name;        // the global variable, or "" (then the address names it)
  std::string site_label;  // what `site` is: "created in", "first locked in", "taken in"
  FrameList site;
};

struct GraphEdge {
  uintptr_t from = 0;
  uintptr_t to = 0;
  engine::Tid tid = 0;
  FrameList stack;        // where `to` was taken while `from` was held
  bool in_cycle = false;  // part of a reported lock-order inversion
};

struct LockGraphView {
  std::vector<GraphLock> locks;
  std::vector<GraphEdge> edges;
};

// A lock-order inversion's cycle as a graph of its own (every edge in the cycle).
LockGraphView cycle_graph(const ReportView& report);

// Graphviz DOT, one digraph named `title`.
std::string format_graph_dot(const LockGraphView& graph, const std::string& title);

// A deadlock report's wait-for cycle: threads and locks as nodes, an edge
// from each blocked thread to the lock it waits for (where it blocked) and
// from each lock to the thread holding it (where that thread took it), all
// red. The report lists each lock's wait first, then its hold.
std::string format_deadlock_dot(const ReportView& report, const std::string& title);

// Runs `dot -Tsvg` on `dot_text`; returns the SVG, or "" with `error` set
// (Graphviz not installed, or dot failed).
std::string render_svg(const std::string& dot_text, std::string& error);

}  // namespace conc::rt
