#pragma once
/// \file Internal: the strategy's bounded plan objective, the limits'
/// objectives (fastest within a budget, cheapest within a deadline) and the
/// one-line refusal when no candidate keeps the limits (docs/planner.md).

#include <limits>
#include <unordered_set>
#include <optional>
#include <string>

#include "causality/strategies/tradeoff.hpp"
#include "search.hpp"

namespace causality::strategies::detail {

/// What decides among candidates.
enum class choice {
  strategy,  ///< the trade-off (tradeoff.hpp): no limit, or both limits
  fastest,   ///< cost_budget alone: the fastest plan within it
  cheapest,  ///< max_latency_ms alone: the cheapest plan within it
};

/// Chooses among the pool's candidates that keep every limit.
class chooser {
 public:
  chooser(const pool& p, const tradeoff_weights& w, bool parallel);
  /// The best candidate (the pool has at least one within the limits).
  const evaluated* best() const;
  /// Whether `a` keeps the limits and is better than `b` (limit modes).
  bool better(const evaluated& a, const evaluated& b) const;
  /// Among candidates at the winner's point, the one closest to domain_preference_order.
  const evaluated* preferred(const evaluated* win) const;
  choice mode() const { return mode_; }
  /// Why `win` was chosen, in plain words (docs/planner.md).
  std::string reason(const evaluated& win) const;

 private:
  const pool& p_;
  tradeoff_weights w_;
  choice mode_ = choice::strategy;
  std::vector<const evaluated*> cands_;  ///< within the limits, pool order
  const evaluated* pick_ = nullptr;      ///< strategy mode: the trade-off's choice
  std::string why_;
};

/// The refusal when no candidate keeps the limits: one line naming the
/// limit, the best value reachable and by how much it misses.
std::optional<model::error> refusal(const pool& p, const model::initiation_hint& hint);

}  // namespace causality::strategies::detail
