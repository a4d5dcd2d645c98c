#include "causality/strategies/cost.hpp"

#include "causality/model/validate.hpp"

#include <cmath>

namespace causality::strategies {

double node_cost(const model::dataflow_node& n, const model::domain_spec& d) {
  const std::uint64_t units = model::cost_units(n.resources.cpu_time_ms);
  model::effect_cost_model m;
  m.base_cost = d.cost.base_cost;
  m.resource_cost_per_unit = d.cost.resource_cost_per_unit;
  m.complexity_multiplier = n.complexity;
  m.domain_cost_factor = d.cost.domain_cost_factor;
  double c = m.total_cost(units);
  // Domain-specific terms: proofs scale with the work proven, service
  // calls with their number; neither is scaled by the domain factor so a
  // platform can price them independently.
  if (d.kind == model::domain_kind::verifiable)
    c += d.cost.proof_cost_per_unit * static_cast<double>(units);
  if (d.kind == model::domain_kind::service)
    c += d.cost.cost_per_external_call * static_cast<double>(n.external_calls);
  return c;
}

double exec_ms(const model::dataflow_node& n, const model::domain_spec& d) {
  return n.resources.cpu_time_ms / d.speed;
}

std::string placement_violation(const model::dataflow_node& n, const model::domain_spec& d,
                                const model::dataflow_definition& def) {
  // The model owns the hard placement rules; the definition-wide
  // deterministic-only rule is the planner's addition.
  std::string why = model::hosting_violation(n, d);
  if (why.empty() && def.default_typed_domain.deterministic_only &&
      !d.has_capability("deterministic"))
    why = "workflow is deterministic-only and domain '" + d.name + "' lacks 'deterministic'";
  return why;
}

model::resource_usage_estimate node_usage(const model::dataflow_node& n,
                                          const model::domain_spec& d) {
  model::resource_usage_estimate u = n.resources;
  const double e = exec_ms(n, d);
  u.cpu_time_ms = e;
  u.estimated_completion_time_ms = e;
  return u;
}

}  // namespace causality::strategies
