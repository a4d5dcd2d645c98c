#pragma once
/// \file Internal: the strategy's bounded plan objective, the limits'
/// objectives (fastest within a budget, cheapest within a deadline) and the
/// one-line refusal when no candidate keeps the limits (docs/planner.md).

#include <limits>
#include <unordered_set>
#include <optional>
#include <string>

#include "search.hpp"

namespace causality::strategies::detail {

/// Plan-level weights of a strategy: the squared weights s = (L + pi P)^2,
/// C^2, ((1 - pi) P)^2 (after scaling the largest raw weight to 1) give the
/// stretch cap 1 + min(2, sC / sL); the objective weighs with s^2.
struct weights {
  double wl = 1, wc = 0, we = 0;
  double stretch = 1;  ///< longest accepted makespan / fastest candidate's
};
weights effective(const model::optimization_strategy& s, std::uint32_t priority);

/// What decides among candidates.
enum class choice {
  strategy,  ///< the strategy's objective (no limit, or both limits)
  fastest,   ///< cost_budget alone: the fastest plan within it
  cheapest,  ///< max_latency_ms alone: the cheapest plan within it
};

/// Chooses among the pool's candidates that keep every limit.
class chooser {
 public:
  chooser(const pool& p, weights w, bool parallel);
  /// The best candidate (the pool has at least one within the limits).
  const evaluated* best() const;
  /// Whether `a` keeps the limits and is better than `b`.
  bool better(const evaluated& a, const evaluated& b) const;
  /// Among equally good candidates, the one closest to domain_preference_order.
  const evaluated* preferred(const evaluated* win) const;
  choice mode() const { return mode_; }
  /// What decided, in words.
  std::string describe() const;
  /// The strategy objective J of a candidate.
  double objective(const evaluated& e) const;

 private:
  bool admissible(const evaluated& e) const;
  bool same(const evaluated& a, const evaluated& b) const;
  const pool& p_;
  weights w_;
  bool parallel_;
  choice mode_ = choice::strategy;
  std::unordered_set<const evaluated*> front_;  ///< strategy mode: choices are front points
  double mstar_ = std::numeric_limits<double>::infinity(), cstar_ = mstar_, istar_ = mstar_,
         wmin_ = mstar_;
};

/// The refusal when no candidate keeps the limits: one line naming the
/// limit, the best value reachable and by how much it misses.
std::optional<model::error> refusal(const pool& p, const model::initiation_hint& hint);

}  // namespace causality::strategies::detail
