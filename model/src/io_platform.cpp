// Platform files (FORMATS.md), strategies and initiation hints as JSON.
#include "causality/model/io.hpp"

#include "causality/model/validate.hpp"
#include "causality/model/limits.hpp"
#include "json_reader.hpp"

namespace causality::model {

using detail::child_path;
using detail::json_reader;
using detail::num_rule;
using json = nlohmann::json;

namespace {

void read_cost(json_reader& r, const json& v, const std::string& path, domain_cost& c) {
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"base_cost", "resource_cost_per_unit", "domain_cost_factor", "proof_cost_per_unit",
                   "cost_per_external_call"});
  r.u64(v, "base_cost", path, c.base_cost);
  r.u64(v, "resource_cost_per_unit", path, c.resource_cost_per_unit);
  r.num(v, "domain_cost_factor", path, c.domain_cost_factor);
  r.num(v, "proof_cost_per_unit", path, c.proof_cost_per_unit);
  r.num(v, "cost_per_external_call", path, c.cost_per_external_call);
}

void read_domain(json_reader& r, const json& v, const std::string& path, domain_spec& d) {
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"name", "kind", "slots", "speed", "memory_bytes", "storage_bytes", "security_level",
                   "capabilities", "cost", "endpoint", "available"});
  r.str(v, "name", path, d.name, true);
  std::string kind;
  if (r.str(v, "kind", path, kind)) {
    if (auto k = parse_domain_kind(kind)) d.kind = *k;
    else
      r.fail(path + "/kind",
             "unknown domain kind '" + kind + "' (known: compute, service, verifiable)");
  }
  r.u32(v, "slots", path, d.slots);
  r.num(v, "speed", path, d.speed);
  r.u64(v, "memory_bytes", path, d.memory_bytes);
  r.u64(v, "storage_bytes", path, d.storage_bytes);
  r.u32(v, "security_level", path, d.security_level);
  r.str_list(v, "capabilities", path, d.capabilities);
  if (auto it = v.find("cost"); it != v.end() && !it->is_null())
    read_cost(r, *it, path + "/cost", d.cost);
  r.opt_str(v, "endpoint", path, d.endpoint);
  r.boolean(v, "available", path, d.available);
}

void read_network(json_reader& r, const json& v, const std::string& path, network_spec& n) {
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"bandwidth_bytes_per_s", "latency_ms", "cross_domain_multiplier"});
  r.num(v, "bandwidth_bytes_per_s", path, n.bandwidth_bytes_per_s);
  r.num(v, "latency_ms", path, n.latency_ms);
  const json* m = r.object(v, "cross_domain_multiplier", path);
  if (!m) return;
  const std::string mpath = path + "/cross_domain_multiplier";
  // Keys and values are checked by validate_platform.
  for (auto it = m->begin(); it != m->end() && r.ok(); ++it) {
    double x = 1.0;
    if (r.to_num(*it, child_path(mpath, it.key()), x, num_rule::any))
      n.cross_domain_multiplier[it.key()] = x;
  }
}

}  // namespace

expected<platform> platform_from_json(const json& j, const std::string& file) {
  json_reader r(file);
  platform p;
  if (!r.expect_object(j, "")) return r.err();
  r.only(j, "", {"name", "domains", "network"});
  r.str(j, "name", "", p.name);
  if (const json* domains = r.array(j, "domains", "", true)) {
    if (domains->size() > limits::max_domains)  // before allocating per domain
      r.fail("/domains", std::to_string(domains->size()) + " domains, more than " +
                             std::to_string(limits::max_domains) + " (the runtime's limit)");
    if (!r.ok()) return r.err();
    p.domains.resize(domains->size());
    for (std::size_t i = 0; i < domains->size() && r.ok(); ++i)
      read_domain(r, (*domains)[i], child_path("/domains", i), p.domains[i]);
  }
  if (auto it = j.find("network"); r.ok() && it != j.end() && !it->is_null())
    read_network(r, *it, "/network", p.network);
  if (!r.ok()) return r.err();
  if (auto bad = validate_platform(p, file)) return *bad;
  return p;
}

json platform_to_json(const platform& p) {
  json domains = json::array();
  for (const auto& d : p.domains) {
    json jd{{"name", d.name},
            {"kind", to_string(d.kind)},
            {"slots", d.slots},
            {"speed", d.speed},
            {"memory_bytes", d.memory_bytes},
            {"storage_bytes", d.storage_bytes},
            {"security_level", d.security_level},
            {"capabilities", d.capabilities},
            {"cost",
             {{"base_cost", d.cost.base_cost},
              {"resource_cost_per_unit", d.cost.resource_cost_per_unit},
              {"domain_cost_factor", d.cost.domain_cost_factor},
              {"proof_cost_per_unit", d.cost.proof_cost_per_unit},
              {"cost_per_external_call", d.cost.cost_per_external_call}}},
            {"available", d.available}};
    if (d.endpoint) jd["endpoint"] = *d.endpoint;
    domains.push_back(std::move(jd));
  }
  return json{{"name", p.name},
              {"domains", std::move(domains)},
              {"network",
               {{"bandwidth_bytes_per_s", p.network.bandwidth_bytes_per_s},
                {"latency_ms", p.network.latency_ms},
                {"cross_domain_multiplier", p.network.cross_domain_multiplier}}}};
}

expected<optimization_strategy> strategy_from_json(const json& j, const std::string& file) {
  json_reader r(file);
  optimization_strategy s;
  if (!r.expect_object(j, "")) return r.err();
  r.only(j, "", {"name", "description", "priority_weight", "latency_weight", "cost_weight"});
  if (r.str(j, "name", "", s.name, true))
    if (auto why = limits::id_violation(s.name); !why.empty()) r.fail("/name", why);
  if (r.str(j, "description", "", s.description))
    if (auto why = limits::text_violation(s.description); !why.empty())
      r.fail("/description", why);
  r.num(j, "priority_weight", "", s.priority_weight, num_rule::non_negative);
  r.num(j, "latency_weight", "", s.latency_weight, num_rule::non_negative);
  r.num(j, "cost_weight", "", s.cost_weight, num_rule::non_negative);
  if (!r.ok()) return r.err();
  if (auto bad = limits::weights_violation(s.priority_weight, s.latency_weight, s.cost_weight))
    return error{file, bad->first, bad->second};
  return s;
}

json strategy_to_json(const optimization_strategy& s) {
  return json{{"name", s.name},
              {"description", s.description},
              {"priority_weight", s.priority_weight},
              {"latency_weight", s.latency_weight},
              {"cost_weight", s.cost_weight}};
}

expected<initiation_hint> hint_from_json(const json& j, const std::string& file) {
  json_reader r(file);
  initiation_hint h;
  if (!r.expect_object(j, "")) return r.err();
  r.only(j, "", {"preferred_strategy_id", "priority", "dataflow_definition_id", "resource_constraints",
                 "domain_preference_order", "prefer_parallel_execution", "max_latency_ms", "cost_budget",
                 "makespan_stretch"});
  r.str(j, "preferred_strategy_id", "", h.preferred_strategy_id);
  r.u32(j, "priority", "", h.priority);
  r.opt_str(j, "dataflow_definition_id", "", h.dataflow_definition_id);
  if (const json* rc = r.object(j, "resource_constraints", "")) {
    const std::string path = "/resource_constraints";
    r.only(*rc, path, {"cpu_time_ms", "memory_bytes", "storage_bytes", "network_bytes", "completion_time_ms"});
    auto& l = h.resource_constraints;
    r.opt_u64(*rc, "cpu_time_ms", path, l.cpu_time_ms);
    r.opt_u64(*rc, "memory_bytes", path, l.memory_bytes);
    r.opt_u64(*rc, "storage_bytes", path, l.storage_bytes);
    r.opt_u64(*rc, "network_bytes", path, l.network_bytes);
    r.opt_num(*rc, "completion_time_ms", path, l.completion_time_ms, num_rule::any);
  }
  r.str_list(j, "domain_preference_order", "", h.domain_preference_order);
  r.boolean(j, "prefer_parallel_execution", "", h.prefer_parallel_execution);
  r.opt_u64(j, "max_latency_ms", "", h.max_latency_ms);
  r.opt_u64(j, "cost_budget", "", h.cost_budget);
  r.opt_num(j, "makespan_stretch", "", h.makespan_stretch, num_rule::any);
  if (!r.ok()) return r.err();
  if (auto bad = validate_hint_values(h, file)) return *bad;
  return h;
}

json hint_to_json(const initiation_hint& h) {
  json rc = json::object();
  const auto& l = h.resource_constraints;
  if (l.cpu_time_ms) rc["cpu_time_ms"] = *l.cpu_time_ms;
  if (l.memory_bytes) rc["memory_bytes"] = *l.memory_bytes;
  if (l.storage_bytes) rc["storage_bytes"] = *l.storage_bytes;
  if (l.network_bytes) rc["network_bytes"] = *l.network_bytes;
  if (l.completion_time_ms) rc["completion_time_ms"] = *l.completion_time_ms;
  json j{{"preferred_strategy_id", h.preferred_strategy_id},
         {"priority", h.priority},
         {"resource_constraints", std::move(rc)},
         {"domain_preference_order", h.domain_preference_order},
         {"prefer_parallel_execution", h.prefer_parallel_execution}};
  if (h.dataflow_definition_id) j["dataflow_definition_id"] = *h.dataflow_definition_id;
  if (h.max_latency_ms) j["max_latency_ms"] = *h.max_latency_ms;
  if (h.cost_budget) j["cost_budget"] = *h.cost_budget;
  if (h.makespan_stretch) j["makespan_stretch"] = *h.makespan_stretch;
  return j;
}

}  // namespace causality::model
