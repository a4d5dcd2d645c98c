#pragma once
/// \file Internal: the precomputed planning problem and one list-scheduling
/// pass. The planner runs many passes (candidates.cpp, front.cpp) and keeps
/// the best (planner.cpp).

#include <cstdint>
#include <memory>
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
  peft,         ///< PEFT: optimistic cost table averaged over domains
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
  /// PEFT rule: earliest finish plus the node's optimistic cost table entry
  /// (remaining critical path if it runs there).
  bool peft = false;
  std::uint32_t seed = 0;
  /// Budget-constrained pass (>= 0): each node takes the earliest-finishing
  /// domain it can afford: cost <= its cheapest + spare budget (greedy) or
  /// + its share of the spare (share), spare = budget - spent - cheapest of
  /// the nodes still unplaced.
  double budget = -1;
  bool budget_share = false;
  /// Budget pass choosing by HBCS-style worth among the affordable domains:
  /// time rank x k + cost rank x (1 - k), k the share of the node's cost
  /// range the allowance covers.
  bool budget_worth = false;
  /// Deadline-constrained pass (>= 0): each node takes the cheapest domain
  /// finishing by its sub-deadline (the deadline split along its longest
  /// path in proportion to mean work), else the earliest finish.
  double deadline = -1;
  /// Domains this pass may use (empty: all); subset-HEFT.
  std::shared_ptr<const std::vector<unsigned char>> allowed;
  /// A complete domain assignment to schedule (LOSS/GAIN paths, cheapest).
  std::shared_ptr<const std::vector<std::int32_t>> assign;
  std::string tag;  ///< label prefix for generated assignments
  /// When set: node v goes to domain (*forced)[v] (scores are still
  /// computed for the explanation); used by the local search. Overrides assign.
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
  std::vector<double> min_cost, max_cost;  ///< per node over able domains
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
  double work() const { return static_cast<double>(V) * static_cast<double>(D); }
};

/// Builds the problem; errors for unknown edge ends, cycles, a node no
/// domain can host, bad fixed assignments, limits no plan can meet, numbers
/// beyond what the planner can add up.
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
  double reserved = 0;  ///< slots of the used domains x makespan (slot-ms held)
  std::size_t domains_used = 0;
  std::uint64_t cross_bytes = 0, peak_mem = 0;
};

/// A number for messages: 6 significant digits (10 from 1e6 on).
std::string num_text(double x);

/// Node x domain pairs up to which nodes may be inserted into idle holes.
constexpr double insertion_limit = 2e4;

/// Peak sum of memory over concurrently running nodes.
std::uint64_t peak_memory(const model::dataflow_definition& def,
                          const std::vector<assignment>& a);

/// Node priorities of one pass (ranks.cpp).
struct priorities {
  std::vector<double> wbar;  ///< mean (or optimistic) exec per node
  std::vector<double> rank;  ///< upward rank (includes the node)
  std::vector<double> prio;  ///< scheduling priority (max first)
  std::vector<double> down;  ///< longest path to the node's start (deadline, up-down)
  std::vector<double> oct;   ///< PEFT optimistic cost table, V*D (peft only)
};
priorities compute_priorities(const problem& pb, const pass_params& pp);

/// One list-scheduling pass; records per-node reasoning when `explain`.
pass_result run_pass(const problem& pb, const pass_params& pp,
                     std::vector<node_explanation>* explain = nullptr);

}  // namespace causality::strategies::detail
