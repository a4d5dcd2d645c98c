#pragma once
/// \file The dataflow rules of a run, CAF-free: which input a node gets,
/// which out-edges fire (router, filter, transform), when a node becomes
/// ready or skipped (skip propagation), and the output-schema check. The run
/// actor applies them; tests/actors/test_dataflow_rules.cpp tests them alone.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "causality/actors/program.hpp"

namespace causality::actors::dataflow {

/// flags bit: at least one in-edge of the node fired.
constexpr std::uint8_t input_fired = 1;
/// flags bit: an upstream node failed (the node is skipped whatever fires).
constexpr std::uint8_t upstream_failed = 2;

/// Per-run marks, one entry per node or edge of the program.
struct marks {
  std::vector<std::uint32_t> remaining;  ///< unresolved in-edges per node
  std::vector<std::uint8_t> flags;       ///< input_fired | upstream_failed
  std::vector<value> edge_val;           ///< value carried by a fired edge until consumed
  std::vector<std::uint8_t> edge_fired;
  /// Sized for `p`, every node waiting for all its in-edges.
  void reset(const program& p);
};

/// What settling an edge did to its target.
enum class target { waiting, ready, skipped };

/// Settles edge e (fired with `val`, or not) and says whether its target
/// still waits, is ready (an input fired, nothing upstream failed) or must be skipped.
target resolve(const program& p, marks& m, std::uint32_t e, bool fired, value val);

/// Skips every node in `skips` and everything that then has no fired input
/// (or has a failed node upstream): on_skip(v) for each node skipped,
/// on_ready(w) for each node made ready by the settled edges.
template <class OnSkip, class OnReady>
void skip_all(const program& p, marks& m, std::vector<std::uint32_t>& skips, OnSkip&& on_skip,
              OnReady&& on_ready) {
  while (!skips.empty()) {
    auto v = skips.back();
    skips.pop_back();
    on_skip(v);
    bool poisoned = m.flags[v] & upstream_failed;
    for (auto i = p.succ_off[v]; i < p.succ_off[v + 1]; ++i) {
      auto e = p.succ[i];
      if (poisoned) m.flags[p.edge_dst[e]] |= upstream_failed;
      auto t = resolve(p, m, e, false, value{});
      if (t == target::skipped) skips.push_back(p.edge_dst[e]);
      else if (t == target::ready) on_ready(p.edge_dst[e]);
    }
  }
}

/// The input of node n: the run's inputs for a source, the value of its one
/// in-edge, else an object of the fired in-edges keyed by target port (or
/// source node id).
value input_of(const program& p, const marks& m, std::uint32_t n, const value& run_inputs);

/// Which out-edges of node n fire for its output `out`, and what each carries:
/// a router's labels choose the labelled edges, then a filter may stop an
/// edge and a transform maps its value. One entry per out-edge, in order.
/// User code may throw; the caller fails the node.
void route(const program& p, std::uint32_t n, const value& out, std::vector<std::pair<bool, value>>& out_edges);

/// Why the run's outputs break the definition's output_schema (the single
/// sink's object is the record, else the map of sinks); none when they fit.
std::optional<std::string> output_schema_violation(const model::dataflow_definition& def,
                                                   const value::object& sink_outputs);

}  // namespace causality::actors::dataflow
