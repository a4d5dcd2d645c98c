#pragma once
/// \file The planner's contract: strategies drive a weighted-cost list
/// scheduler over the FORMATS.md time and cost model. Pure: no threads, no
/// clock reads, no CAF.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"

namespace causality::strategies {

/// Named strategies: the four built-ins plus user-defined ones.
class strategy_registry {
 public:
  /// A registry holding the four built-in strategies.
  strategy_registry();
  /// Adds or replaces a strategy; rejects negative/NaN weights or all-zero weights.
  model::status add(model::optimization_strategy s);
  /// The strategy of that name, if any.
  std::optional<model::optimization_strategy> find(const std::string& name) const;
  /// All names, built-ins first.
  std::vector<std::string> names() const;

 private:
  std::vector<model::optimization_strategy> all_;
};

/// Where and when one node runs.
struct assignment {
  std::size_t node = 0;    ///< index into definition.nodes
  std::size_t domain = 0;  ///< index into platform.domains
  double start_ms = 0;
  double finish_ms = 0;
  double cost = 0;         ///< effect cost of the node on that domain
};

/// A complete schedule.
struct plan {
  std::string workflow;
  std::string platform;
  std::string strategy;
  double makespan_ms = 0;
  double total_cost = 0;
  std::vector<assignment> assignments;     ///< assignments[i].node == i
  model::resource_usage_estimate totals;   ///< whole-workflow estimate
  /// In plain words: which point of the front the strategy chose and why
  /// ("the knee of 18 front points: 1.6x slower than the fastest for 47 % of
  /// its cost"); for a front point, how its schedule was built.
  std::string method;
  /// Busy slot time over (slots of the used domains x makespan), in [0,1].
  double utilisation = 0;
  /// Slot time the used domains hold idle: slots x makespan - busy (ms).
  double idle_slot_ms = 0;
  /// Domains that run at least one node.
  std::size_t domains_used = 0;
};

/// What the planner may be told beyond definition, platform and hint: used
/// for calibrated models and for re-planning while a workflow runs.
struct planner_context {
  /// Calibrated execution time (ms) of node n on domain d; nullopt (or an
  /// empty function) means the static model, cpu_time_ms / speed.
  std::function<std::optional<double>(std::size_t node, std::size_t domain)> exec_time_ms;
  /// Domains that must not receive new nodes (failed, too slow). Empty or one per domain.
  std::vector<bool> unavailable;
  /// Nodes already placed (running or done): kept exactly. Empty or one per node.
  std::vector<std::optional<assignment>> fixed;
  /// Nothing new starts before this time (ms since the workflow started).
  double now_ms = 0;
  /// Strategy to use instead of the hint's (adaptive switching); by name.
  std::optional<std::string> strategy_override;
  /// Longest makespan any strategy accepts, as a multiple of the fastest plan
  /// found (the cost strategy's stretch; docs/planner.md "The trade-off").
  /// A hint's makespan_stretch, when set, takes precedence.
  double makespan_stretch = 3.0;
};

/// Plans `def` on `plat` under `hint`. Errors (one line each): unknown
/// strategy, a node no domain can host, a hard resource limit, cost budget or
/// max latency that no plan meets (naming the limit, the best value reachable
/// and by how much it misses).
model::expected<plan> make_plan(const model::dataflow_definition& def,
                                const model::platform& plat,
                                const model::initiation_hint& hint,
                                const strategy_registry& strategies,
                                const planner_context& ctx = {});

/// Registers user strategies from JSON: one strategy object
/// {"name","description","priority_weight","latency_weight","cost_weight"},
/// an array of them, or {"strategies":[...]}. Errors name file and path.
model::status add_strategies_from_json(strategy_registry& reg, const nlohmann::json& j,
                                       const std::string& file);

/// The strategy make_plan would use: ctx override, else the hint's preferred one.
model::expected<model::optimization_strategy> resolve_strategy(
    const model::initiation_hint& hint, const strategy_registry& strategies,
    const planner_context& ctx = {});

/// One domain as seen by the planner when it placed one node.
struct domain_candidate {
  std::size_t domain = 0;
  std::string filtered_by;  ///< non-empty: the hard rule that removed it
  double ready_ms = 0;      ///< inputs available there
  double start_ms = 0, finish_ms = 0, cost = 0;
  double latency_term = 0;   ///< ln of finish (or projected makespan) over the best
  double cost_term = 0;      ///< ln of cost over the node's cheapest
  double priority_term = 0;  ///< resource-efficiency penalty in [0,1]
  double score = 0;          ///< weighted sum; lowest wins
};

/// Why one node went where it went.
struct node_explanation {
  std::size_t node = 0;
  std::vector<domain_candidate> candidates;  ///< one per domain, platform order
  std::size_t winner = 0;                    ///< domain index
  std::string rule;  ///< how the winner was chosen (score, EFT, preference, fixed)
};

/// The plan make_plan returns, with the per-node reasoning of the winning
/// candidate schedule and the weights it was scored with.
struct explained_plan {
  plan chosen;
  std::vector<node_explanation> nodes;  ///< nodes[i].node == i
  /// Effective plan-level weights of the strategy (docs/planner.md).
  double latency_weight = 0, cost_weight = 0, efficiency_weight = 0;
  /// Longest makespan the strategy accepts, as a multiple of the fastest
  /// candidate's (infinite for a strategy without latency weight).
  double max_stretch = 0;
  /// What decided: "strategy objective", "fastest within cost_budget", ...
  std::string objective;
  /// Weights of the per-node score in the winning candidate schedule (for a
  /// HEFT candidate, which decides by finish time, the strategy's weights).
  double node_latency_weight = 0, node_cost_weight = 0, node_efficiency_weight = 0;
  std::size_t candidates_tried = 0;
  /// How the chosen schedule was built, in plain words.
  std::string schedule;
};
model::expected<explained_plan> explain_plan(const model::dataflow_definition& def,
                                             const model::platform& plat,
                                             const model::initiation_hint& hint,
                                             const strategy_registry& strategies,
                                             const planner_context& ctx = {});

/// The (makespan, cost) front: non-dominated feasible plans (hard limits,
/// cost_budget and max_latency_ms of the hint kept), sorted by cost
/// ascending, from the cheapest plan found to the fastest (docs/planner.md
/// "The front"). Each plan's strategy is "front". Errors as make_plan.
model::expected<std::vector<plan>> pareto_front(const model::dataflow_definition& def,
                                                const model::platform& plat,
                                                const model::initiation_hint& hint,
                                                const planner_context& ctx = {});

/// One point of the latency/cost trade-off.
struct sweep_point {
  double cost_share = 0;  ///< weights: latency 1 - cost_share, cost cost_share, priority 0
  double makespan_ms = 0;
  double total_cost = 0;
  std::string error;      ///< non-empty when no plan exists at this point
};
/// The front point a strategy with weights (priority 0, latency 1 - a,
/// cost a) picks, for a from pure latency (0) to pure cost (1) in `steps`
/// points; the front is computed once, keeping the hint's limits.
std::vector<sweep_point> sweep_tradeoff(const model::dataflow_definition& def,
                                        const model::platform& plat,
                                        const model::initiation_hint& hint,
                                        const planner_context& ctx = {}, std::size_t steps = 11);

/// The plan in FORMATS.md's JSON form (exactly its fields).
nlohmann::json plan_to_json(const plan& p, const model::dataflow_definition& def,
                            const model::platform& plat);
/// {"utilisation", "idle_slot_hours", "domains_used"} of a plan (added to
/// each front entry by `causality plan --pareto --format json`).
nlohmann::json plan_metrics_json(const plan& p);

}  // namespace causality::strategies
