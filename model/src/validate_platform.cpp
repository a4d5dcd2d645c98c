// Validation of platforms and hints: every number within its range of
// causality/model/limits.hpp, ids printable, names unique; the error names
// the file and the JSON path.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "causality/model/limits.hpp"
#include "causality/model/validate.hpp"
#include "causality/model/names.hpp"
#include "checks.hpp"

namespace causality::model {

using namespace checks;

status validate_platform(const platform& p, const std::string& file) {
  if (p.domains.empty()) return error{file, "/domains", "a platform needs at least one domain"};
  if (p.domains.size() > limits::max_domains)
    return error{file, "/domains",
                 std::to_string(p.domains.size()) + " domains, more than " +
                     std::to_string(limits::max_domains) + " (the runtime's limit)"};
  if (auto bad = check_opt_id(p.name, file, "/name")) return bad;
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < p.domains.size(); ++i) {
    const auto& d = p.domains[i];
    const std::string path = at("domains", i);
    if (auto bad = check_id(d.name, file, path + "/name")) return bad;
    auto [it, fresh] = seen.emplace(d.name, i);
    if (!fresh)
      return error{file, path + "/name",
                   "duplicate domain name '" + d.name + "' (first at /domains/" +
                       std::to_string(it->second) + ")"};
    if (auto bad = check_range(d.slots, 1, limits::max_slots, file, path + "/slots")) return bad;
    if (auto bad = check_range(d.speed, limits::min_speed, limits::max_speed, file, path + "/speed"))
      return bad;
    if (auto bad = check_range(d.memory_bytes, 0, limits::max_domain_bytes, file,
                               path + "/memory_bytes"))
      return bad;
    if (auto bad = check_range(d.storage_bytes, 0, limits::max_domain_bytes, file,
                               path + "/storage_bytes"))
      return bad;
    if (auto bad = check_range(d.security_level, 0, limits::max_security_level, file,
                               path + "/security_level"))
      return bad;
    for (std::size_t k = 0; k < d.capabilities.size(); ++k)
      if (auto bad = check_id(d.capabilities[k], file,
                              path + "/capabilities/" + std::to_string(k)))
        return bad;
    if (d.endpoint)
      if (auto bad = check_id(*d.endpoint, file, path + "/endpoint")) return bad;
    const auto& c = d.cost;
    if (auto bad = check_range(c.base_cost, 0, limits::max_base_cost, file, path + "/cost/base_cost"))
      return bad;
    if (auto bad = check_range(c.resource_cost_per_unit, 0, limits::max_resource_cost_per_unit,
                               file, path + "/cost/resource_cost_per_unit"))
      return bad;
    if (auto bad = check_range(c.domain_cost_factor, 0.0, limits::max_domain_cost_factor, file,
                               path + "/cost/domain_cost_factor"))
      return bad;
    if (auto bad = check_range(c.proof_cost_per_unit, 0.0, limits::max_proof_cost_per_unit, file,
                               path + "/cost/proof_cost_per_unit"))
      return bad;
    if (auto bad = check_range(c.cost_per_external_call, 0.0, limits::max_cost_per_external_call,
                               file, path + "/cost/cost_per_external_call"))
      return bad;
  }
  if (auto bad = check_range(p.network.bandwidth_bytes_per_s, limits::min_bandwidth_bytes_per_s,
                             limits::max_bandwidth_bytes_per_s, file,
                             "/network/bandwidth_bytes_per_s"))
    return bad;
  if (auto bad = check_range(p.network.latency_ms, 0.0, limits::max_latency_ms, file,
                             "/network/latency_ms"))
    return bad;
  for (const auto& [key, value] : p.network.cross_domain_multiplier) {
    const std::string path = "/network/cross_domain_multiplier/" + key;
    auto arrow = key.find("->");
    if (arrow == std::string::npos || !parse_domain_kind(key.substr(0, arrow)) ||
        !parse_domain_kind(key.substr(arrow + 2)))
      return error{file, path,
                   "bad multiplier key '" + key +
                       "' (expected '<kind>-><kind>' with kinds compute, service, verifiable)"};
    if (auto bad = check_range(value, limits::min_cross_domain_multiplier,
                               limits::max_cross_domain_multiplier, file, path))
      return bad;
  }
  return std::nullopt;
}

status validate_hint(const initiation_hint& h, const std::vector<std::string>& known,
                     const std::string& file) {
  if (auto bad = validate_hint_values(h, file)) return bad;
  if (std::find(known.begin(), known.end(), h.preferred_strategy_id) == known.end())
    return error{file, "/preferred_strategy_id",
                 "unknown strategy '" + h.preferred_strategy_id + "' (known: " + join(known) +
                     ")"};
  return std::nullopt;
}

status validate_domain_order(const initiation_hint& h, const platform& p, const std::string& file) {
  std::vector<std::string> known;
  for (auto& d : p.domains) known.push_back(d.name);
  for (auto& d : p.domains) {
    std::string k = to_string(d.kind);
    if (std::find(known.begin(), known.end(), k) == known.end()) known.push_back(k);
  }
  for (std::size_t k = 0; k < h.domain_preference_order.size(); ++k) {
    const auto& n = h.domain_preference_order[k];
    if (std::find(known.begin(), known.end(), n) != known.end()) continue;
    auto near = closest(n, known);
    return error{file, "/domain_preference_order/" + std::to_string(k),
                 "no domain or kind '" + n + "' in platform " + p.name +
                     (near.empty() ? "" : " (did you mean '" + near + "'?)") + " (known: " + join(known) + ")"};
  }
  return std::nullopt;
}

status validate_hint_values(const initiation_hint& h, const std::string& file) {
  if (auto bad = check_id(h.preferred_strategy_id, file, "/preferred_strategy_id")) return bad;
  if (auto bad = check_range(h.priority, 0, limits::max_priority, file, "/priority")) return bad;
  if (auto t = h.resource_constraints.completion_time_ms; t)
    if (auto bad = check_range(*t, 0.0, limits::max_duration_ms, file,
                               "/resource_constraints/completion_time_ms"))
      return bad;
  if (h.max_latency_ms)
    if (auto bad = check_range(*h.max_latency_ms, 0, static_cast<std::uint64_t>(limits::max_duration_ms),
                               file, "/max_latency_ms"))
      return bad;
  if (h.cost_budget)
    if (auto bad = check_range(*h.cost_budget, 0, limits::max_cost_budget, file, "/cost_budget"))
      return bad;
  if (h.makespan_stretch)
    if (auto bad = check_range(*h.makespan_stretch, limits::min_makespan_stretch,
                               limits::max_makespan_stretch, file, "/makespan_stretch"))
      return bad;
  if (h.dataflow_definition_id)
    if (auto bad = check_id(*h.dataflow_definition_id, file, "/dataflow_definition_id")) return bad;
  for (std::size_t k = 0; k < h.domain_preference_order.size(); ++k)
    if (auto bad = check_id(h.domain_preference_order[k], file,
                            "/domain_preference_order/" + std::to_string(k)))
      return bad;
  return std::nullopt;
}

}  // namespace causality::model
