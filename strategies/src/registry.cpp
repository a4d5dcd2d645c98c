#include <cmath>

#include "causality/strategies/planner.hpp"

namespace causality::strategies {

strategy_registry::strategy_registry() : all_(model::builtin_strategies()) {}

model::status strategy_registry::add(model::optimization_strategy s) {
  auto bad = [](double w) { return !std::isfinite(w) || w < 0; };
  if (s.name.empty()) return model::error{"", "/name", "strategy name is empty"};
  if (bad(s.priority_weight))
    return model::error{"", "/priority_weight", "weight must be finite and >= 0"};
  if (bad(s.latency_weight))
    return model::error{"", "/latency_weight", "weight must be finite and >= 0"};
  if (bad(s.cost_weight)) return model::error{"", "/cost_weight", "weight must be finite and >= 0"};
  if (s.priority_weight + s.latency_weight + s.cost_weight <= 0)
    return model::error{"", "", "strategy '" + s.name + "' has all weights zero"};
  for (auto& x : all_)
    if (x.name == s.name) {
      x = std::move(s);
      return std::nullopt;
    }
  all_.push_back(std::move(s));
  return std::nullopt;
}

std::optional<model::optimization_strategy> strategy_registry::find(
    const std::string& name) const {
  for (const auto& x : all_)
    if (x.name == name) return x;
  return std::nullopt;
}

std::vector<std::string> strategy_registry::names() const {
  std::vector<std::string> out;
  for (const auto& x : all_) out.push_back(x.name);
  return out;
}

model::expected<model::optimization_strategy> resolve_strategy(
    const model::initiation_hint& hint, const strategy_registry& strategies,
    const planner_context& ctx) {
  const std::string& name = ctx.strategy_override ? *ctx.strategy_override
                                                  : hint.preferred_strategy_id;
  if (auto s = strategies.find(name)) return *s;
  std::string known;
  for (const auto& n : strategies.names()) known += (known.empty() ? "" : ", ") + n;
  return model::error{"", "/preferred_strategy_id",
                      "unknown strategy '" + name + "' (known: " + known + ")"};
}

}  // namespace causality::strategies
