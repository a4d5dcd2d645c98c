// TEMPORARY: stand-ins for symbols other branches are implementing
// (the strategies library). Deleted when main
// has them; they plan nothing (make_plan fails) so no behaviour hides here.
#include "causality/model/validate.hpp"
#include "causality/strategies/planner.hpp"


namespace causality::strategies {
strategy_registry::strategy_registry() : all_(model::builtin_strategies()) {}
model::status strategy_registry::add(model::optimization_strategy s) {
  all_.push_back(std::move(s));
  return std::nullopt;
}
std::optional<model::optimization_strategy> strategy_registry::find(const std::string& n) const {
  for (auto& s : all_)
    if (s.name == n) return s;
  return std::nullopt;
}
std::vector<std::string> strategy_registry::names() const {
  std::vector<std::string> out;
  for (auto& s : all_) out.push_back(s.name);
  return out;
}
model::expected<plan> make_plan(const model::dataflow_definition&, const model::platform&,
                                const model::initiation_hint&, const strategy_registry&,
                                const planner_context&) {
  return model::error{"", "", "the planner library is not merged yet"};
}
}  // namespace causality::strategies

