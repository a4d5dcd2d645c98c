#pragma once
/// \file Internal: the precomputed planning problem and one list-scheduling
/// pass. make_plan runs several passes and keeps the best (planner.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "causality/strategies/planner.hpp"

namespace causality::strategies::detail {

/// How node priorities (the scheduling order) are computed.
enum class rank_kind {
  slot_mean,    ///< HEFT: upward rank, exec averaged over slots, mean transfer
  domain_mean,  ///< upward rank, exec averaged over domains
  optimistic,   ///< upward rank at each node's fastest domain, free transfers
  up_down,      ///< upward + downward rank (critical-path first), ready list
};

/// Parameters of one candidate schedule.
struct pass_params {
  bool heft = false;  ///< pure earliest finish time (classic HEFT rule)
  rank_kind rank = rank_kind::slot_mean;
  bool slack = false;  ///< latency term on projected makespan instead of finish
  double wl = 1, wc = 0, we = 0;  ///< local weights: latency, cost, efficiency
  bool parallel = false;          ///< efficiency term penalises queueing
  double alpha = -1;              ///< sweep position, for the label only
  /// Priority perturbation: rank x (1 + noise * u), u in [-0.5, 0.5) from a
  /// hash of (node, seed); 0 = none. Deterministic multi-start.
  double noise = 0;
  /// HEFT rule with one step of lookahead: choose the domain minimising the
  /// latest estimated finish of the node's successors (each on its best
  /// domain, data only), not the node's own finish.
  bool lookahead = false;
  std::uint32_t seed = 0;
  /// When set: node v goes to domain (*forced)[v] (scores are still
  /// computed for the explanation); used by the local search.
  const std::vector<std::int32_t>* forced = nullptr;
  std::string label() const;
};

/// Everything a pass needs, computed once per make_plan.
struct problem {
  const model::dataflow_definition* def = nullptr;
  const model::platform* plat = nullptr;
  std::size_t V = 0, D = 0;
  std::vector<double> exec, cost;      ///< V*D
  std::vector<double> log_cost;        ///< V*D: ln(cost + 1e-9)
  std::vector<std::uint32_t> topo;     ///< nodes by (depth, index)
  std::vector<unsigned char> ok;       ///< V*D: domain may host node
  std::vector<std::string> why;        ///< V*D: reason when not ok
  std::vector<std::uint32_t> pred_off, pred_node, succ_off, succ_node;
  std::vector<double> pred_base, succ_base;  ///< transfer ms before multiplier
  std::vector<std::uint64_t> pred_bytes;
  std::vector<std::uint32_t> depth;    ///< longest path from a source, in edges
  std::vector<int> kind;               ///< per domain
  double mult[3][3] = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
  std::vector<int> pref;               ///< per domain preference rank (lower first)
  bool has_pref = false;
  std::vector<std::optional<assignment>> fixed;
  double now = 0;
  std::optional<std::uint64_t> mem_limit;
  std::optional<std::uint64_t> net_budget;  ///< cross-domain edge bytes allowed
  std::uint64_t node_net_bytes = 0;         ///< sum of nodes' own network bytes
};

/// Builds the problem; errors for unknown edge ends, cycles, a node no
/// domain can host, bad fixed assignments, limits no plan can meet.
model::expected<problem> build_problem(const model::dataflow_definition& def,
                                       const model::platform& plat,
                                       const model::initiation_hint& hint,
                                       const planner_context& ctx);

/// Outcome of one pass.
struct pass_result {
  std::string error;  ///< non-empty: the pass could not place every node
  std::vector<assignment> a;
  double makespan = 0, cost = 0, busy = 0, util = 0;
  double wait = 0;  ///< sum over nodes of start - data ready (queueing for a slot)
  std::uint64_t cross_bytes = 0, peak_mem = 0;
};

/// Node x domain pairs up to which nodes may be inserted into idle holes.
constexpr double insertion_limit = 2e4;

/// Peak sum of memory over concurrently running nodes.
std::uint64_t peak_memory(const model::dataflow_definition& def,
                          const std::vector<assignment>& a);

/// One list-scheduling pass; records per-node reasoning when `explain`.
pass_result run_pass(const problem& pb, const pass_params& pp,
                     std::vector<node_explanation>* explain = nullptr);

}  // namespace causality::strategies::detail
