#pragma once
/// \file Internal: the pool of evaluated candidate schedules, the Pareto
/// front over it, the candidate generators and the local searches
/// (docs/planner.md).

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "schedule.hpp"

namespace causality::strategies::detail {

/// One evaluated candidate schedule.
struct evaluated {
  pass_params params;
  pass_result r;
  double cpu = 0;             ///< sum of slot time
  std::uint64_t network = 0;  ///< nodes' own bytes + cross-domain edge bytes
  std::string moves;          ///< local search annotation for the label
  bool ok() const { return r.error.empty(); }
  std::string label() const { return params.label() + moves; }
};

/// Limits every returned plan keeps (hint and resource constraints).
struct limits {
  std::optional<double> cost_budget, max_latency, completion, cpu;
  std::optional<std::uint64_t> network, memory;
};
limits limits_of(const model::initiation_hint& hint);

/// Every candidate evaluated so far (stable references).
class pool {
 public:
  pool(const problem& pb, limits lim) : pb_(pb), lim_(std::move(lim)) {}
  /// Runs the pass and keeps its result.
  const evaluated& add(const pass_params& p);
  /// Schedules a complete domain assignment.
  const evaluated& add_assignment(std::vector<std::int32_t> a, std::string tag);
  /// Keeps an evaluated result (from a local search).
  const evaluated& keep(evaluated e);
  /// Evaluates without keeping.
  evaluated evaluate(const pass_params& p) const;
  /// Complete and within every limit.
  bool meets(const evaluated& e) const;
  /// Complete and within the hard limits (not cost_budget / max_latency).
  bool meets_hard(const evaluated& e) const;
  const std::deque<evaluated>& all() const { return all_; }
  const problem& pb() const { return pb_; }
  const limits& lim() const { return lim_; }
  std::size_t size() const { return all_.size(); }

 private:
  const problem& pb_;
  limits lim_;
  std::deque<evaluated> all_;
};

/// Non-dominated (makespan, cost) members of `pool` passing `keep`, sorted
/// by cost ascending (makespan descending); equal points once.
std::vector<const evaluated*> pareto(const pool& p,
                                     const std::function<bool(const evaluated&)>& keep);

/// The strategy-independent candidates (candidates.cpp); `extended` adds
/// the finer sweep used when no candidate met the limits.
void base_candidates(pool& p, bool parallel, bool extended);
/// Front generation: cheapest plan, budget-constrained passes at many
/// levels, deadline-constrained passes, domain subsets, LOSS/GAIN paths,
/// then gap filling (front.cpp).
void front_candidates(pool& p);
/// Candidates aimed at one cost budget / one deadline.
void budget_candidates(pool& p, double budget);
void deadline_candidates(pool& p, double deadline);
/// Each node on its cheapest able domain (ties: fastest).
std::vector<std::int32_t> cheapest_assignment(const problem& pb);
/// Reassignment path (LOSS from a fast assignment down, GAIN from the
/// cheapest up): one node at a time moves to the domain with the best ratio
/// of execution time to cost change (LOSS: least time added per cost saved;
/// GAIN: most time saved per cost added); `snap(cost, a)` sees every step,
/// `stop(cost)` ends it.
void reassign_path(const problem& pb, std::vector<std::int32_t> a, bool loss,
                   const std::function<bool(double)>& stop,
                   const std::function<void(double, const std::vector<std::int32_t>&)>& snap);
/// The assignment of an evaluated schedule.
std::vector<std::int32_t> assignment_of(const evaluated& e);

/// Local search (local_search.cpp): single-node moves re-scheduled with the
/// candidate's own rule; a move is kept when `better(new, current)`. Nodes
/// are tried latest-finishing first (or dearest first with `by_cost`); at
/// most `max_evals` re-schedules. Returns the improved schedule (or the start).
evaluated local_search(const pool& p, const evaluated& start,
                       const std::function<bool(const evaluated&, const evaluated&)>& better,
                       std::size_t max_evals, bool by_cost);
/// Re-schedules allowed by the local searches for this problem size.
std::size_t search_budget(const problem& pb, double per_work);

}  // namespace causality::strategies::detail
