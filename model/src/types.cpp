#include "causality/model/types.hpp"

#include <algorithm>
#include <cmath>

namespace causality::model {

optimization_strategy capital_efficiency_strategy() {
  return {"capital-efficiency",
          "maximise utilisation of available resources, minimise idle and waste", 0.8, 0.3,
          0.5};
}
optimization_strategy latency_strategy() {
  return {"latency", "finish as early as possible, accepting higher cost", 0.5, 0.9, 0.2};
}
optimization_strategy cost_minimization_strategy() {
  return {"cost-minimization", "lowest effect cost, accepting longer execution", 0.4, 0.2,
          0.9};
}
optimization_strategy balanced_strategy() {
  return {"balanced", "reasonable latency, cost and utilisation together", 0.6, 0.6, 0.6};
}
std::vector<optimization_strategy> builtin_strategies() {
  return {capital_efficiency_strategy(), latency_strategy(), cost_minimization_strategy(),
          balanced_strategy()};
}

double effect_cost_model::total_cost(std::uint64_t units) const {
  return (static_cast<double>(base_cost) +
          static_cast<double>(resource_cost_per_unit) * static_cast<double>(units)) *
         complexity_multiplier * domain_cost_factor;
}

double effect_cost_model::execution_time_ms(std::uint64_t units) const {
  return static_cast<double>(estimated_duration_ms) * complexity_multiplier *
         (1.0 + static_cast<double>(units) / 4.0);
}

std::uint64_t cost_units(double cpu_time_ms) {
  if (!(cpu_time_ms > 0)) return 1;
  auto u = static_cast<std::uint64_t>(std::ceil(cpu_time_ms / 1000.0));
  return std::max<std::uint64_t>(u, 1);
}

const char* to_string(domain_kind k) {
  switch (k) {
    case domain_kind::compute: return "compute";
    case domain_kind::service: return "service";
    case domain_kind::verifiable: return "verifiable";
  }
  return "compute";
}

std::optional<domain_kind> parse_domain_kind(const std::string& s) {
  if (s == "compute") return domain_kind::compute;
  if (s == "service") return domain_kind::service;
  if (s == "verifiable") return domain_kind::verifiable;
  return std::nullopt;
}

typed_domain typed_domain::compute() { return {}; }
typed_domain typed_domain::service(std::vector<std::string> apis) {
  typed_domain d;
  d.kind = domain_kind::service;
  d.external_apis = std::move(apis);
  d.allows_nondeterminism = true;
  return d;
}
typed_domain typed_domain::verifiable(std::vector<std::string> zk) {
  typed_domain d;
  d.kind = domain_kind::verifiable;
  d.zk_constraints = std::move(zk);
  d.deterministic_only = true;
  return d;
}

bool domain_spec::has_capability(const std::string& c) const {
  return std::find(capabilities.begin(), capabilities.end(), c) != capabilities.end();
}

double network_spec::multiplier(domain_kind a, domain_kind b) const {
  auto it = cross_domain_multiplier.find(std::string(to_string(a)) + "->" + to_string(b));
  return it == cross_domain_multiplier.end() ? 1.0 : it->second;
}

double network_spec::transfer_ms(std::uint64_t bytes, domain_kind a, domain_kind b) const {
  return (latency_ms + 1000.0 * static_cast<double>(bytes) / bandwidth_bytes_per_s) *
         multiplier(a, b);
}

std::optional<std::size_t> platform::find_domain(const std::string& n) const {
  for (std::size_t i = 0; i < domains.size(); ++i)
    if (domains[i].name == n) return i;
  return std::nullopt;
}

std::optional<std::size_t> dataflow_definition::find_node(const std::string& id) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].node_id == id) return i;
  return std::nullopt;
}

const std::vector<std::string>& known_schema_types() {
  static const std::vector<std::string> known = {
      "any",   "null",   "bool",   "boolean", "int",    "integer", "uint",  "double",
      "float", "number", "string", "bytes",   "array",  "object",  "list",  "map"};
  return known;
}

bool is_known_schema_type(const std::string& t) {
  const auto& known = known_schema_types();
  return std::find(known.begin(), known.end(), t) != known.end();
}

}  // namespace causality::model
