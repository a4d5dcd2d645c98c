// Structural validation of definitions, placement feasibility against a
// platform, and hints. Every check reports the JSON path of the offending
// field in the project's JSON form.
#include "causality/model/validate.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "causality/model/graph.hpp"

namespace causality::model {

namespace {

std::string at(const char* list, std::size_t i, const char* field = nullptr) {
  std::string p = std::string("/") + list + "/" + std::to_string(i);
  if (field) p += std::string("/") + field;
  return p;
}

std::string show(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

/// "must be positive/non-negative" (or finite), or empty when `v` is fine.
std::string bad_number(double v, bool positive) {
  if (!std::isfinite(v)) return "must be finite, got " + show(v);
  if (positive && !(v > 0)) return "must be positive, got " + show(v);
  if (!positive && v < 0) return "must be non-negative, got " + show(v);
  return {};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string port_names(const std::vector<port>& ports) {
  std::vector<std::string> names;
  for (const auto& p : ports) names.push_back(p.name);
  return join(names);
}

status check_schema(const std::map<std::string, std::string>& schema, const char* name,
                    const std::string& file) {
  for (const auto& [field, type] : schema)
    if (!is_known_schema_type(type))
      return error{file, std::string("/") + name + "/" + field,
                   "unknown schema type '" + type + "' (known: " +
                       join(known_schema_types()) + ")"};
  return std::nullopt;
}

status check_ports(const std::vector<port>& ports, std::size_t node, const char* list,
                   const std::string& file) {
  for (std::size_t k = 0; k < ports.size(); ++k) {
    std::string path = at("nodes", node, list) + "/" + std::to_string(k);
    if (ports[k].name.empty()) return error{file, path + "/name", "must not be empty"};
    for (std::size_t m = 0; m < k; ++m)
      if (ports[m].name == ports[k].name)
        return error{file, path + "/name", "duplicate port name '" + ports[k].name + "'"};
    if (!is_known_schema_type(ports[k].type))
      return error{file, path + "/type", "unknown schema type '" + ports[k].type + "' (known: " +
                                             join(known_schema_types()) + ")"};
  }
  return std::nullopt;
}

status check_node(const dataflow_node& n, std::size_t i, const std::string& file) {
  if (n.node_id.empty()) return error{file, at("nodes", i, "node_id"), "must not be empty"};
  if (auto why = bad_number(n.complexity, true); !why.empty())
    return error{file, at("nodes", i, "complexity"), why};
  if (auto why = bad_number(n.resources.estimated_completion_time_ms, false); !why.empty())
    return error{file, at("nodes", i, "resources") + "/estimated_completion_time_ms", why};
  if (n.domain && n.domain->empty())
    return error{file, at("nodes", i, "domain"), "must not be empty when given"};
  for (std::size_t k = 0; k < n.capabilities.size(); ++k)
    if (n.capabilities[k].empty())
      return error{file, at("nodes", i, "capabilities") + "/" + std::to_string(k),
                   "must not be empty"};
  if (auto bad = check_ports(n.input_ports, i, "input_ports", file)) return bad;
  return check_ports(n.output_ports, i, "output_ports", file);
}

bool has_port(const std::vector<port>& ports, const std::string& name) {
  return std::any_of(ports.begin(), ports.end(), [&](const port& p) { return p.name == name; });
}

/// A cycle among the nodes Kahn's algorithm could not order: every such node
/// has a predecessor that is also unordered, so walking predecessors repeats.
/// Printed forwards from its first node in file order; `closing_edge` is the
/// edge that returns to that node.
std::string describe_cycle(const dataflow_definition& d, const dag& g,
                           std::size_t* closing_edge) {
  std::vector<bool> ordered(d.nodes.size(), false);
  for (auto v : g.topo) ordered[v] = true;
  std::size_t v = 0;
  while (ordered[v]) ++v;
  std::vector<std::size_t> pos(d.nodes.size(), SIZE_MAX), walk;
  while (pos[v] == SIZE_MAX) {
    pos[v] = walk.size();
    walk.push_back(v);
    for (auto e : g.pred_edges[v])
      if (!ordered[g.edge_src[e]]) {
        v = g.edge_src[e];
        break;
      }
  }
  std::vector<std::size_t> cycle(walk.begin() + static_cast<std::ptrdiff_t>(pos[v]), walk.end());
  std::reverse(cycle.begin(), cycle.end());
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  for (auto e : g.pred_edges[cycle.front()])
    if (g.edge_src[e] == cycle.back()) {
      *closing_edge = e;
      break;
    }
  std::string out;
  for (auto n : cycle) out += d.nodes[n].node_id + " -> ";
  return out + d.nodes[cycle.front()].node_id;
}

}  // namespace

status validate_definition(const dataflow_definition& d, const std::string& file) {
  if (auto bad = check_schema(d.input_schema, "input_schema", file)) return bad;
  if (auto bad = check_schema(d.output_schema, "output_schema", file)) return bad;
  if (auto bad = check_schema(d.state_schema, "state_schema", file)) return bad;

  std::unordered_map<std::string, std::size_t> node_index;
  node_index.reserve(d.nodes.size() * 2);
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    if (auto bad = check_node(d.nodes[i], i, file)) return bad;
    auto [it, fresh] = node_index.emplace(d.nodes[i].node_id, i);
    if (!fresh)
      return error{file, at("nodes", i, "node_id"),
                   "duplicate node id '" + d.nodes[i].node_id + "' (first at /nodes/" +
                       std::to_string(it->second) + ")"};
  }

  std::unordered_map<std::string, std::size_t> edge_index;
  edge_index.reserve(d.edges.size() * 2);
  for (std::size_t i = 0; i < d.edges.size(); ++i) {
    const auto& e = d.edges[i];
    if (e.edge_id.empty()) return error{file, at("edges", i, "edge_id"), "must not be empty"};
    auto [it, fresh] = edge_index.emplace(e.edge_id, i);
    if (!fresh)
      return error{file, at("edges", i, "edge_id"),
                   "duplicate edge id '" + e.edge_id + "' (first at /edges/" +
                       std::to_string(it->second) + ")"};
    auto src = node_index.find(e.source_node);
    if (src == node_index.end())
      return error{file, at("edges", i, "source_node"), "unknown node '" + e.source_node + "'"};
    auto dst = node_index.find(e.target_node);
    if (dst == node_index.end())
      return error{file, at("edges", i, "target_node"), "unknown node '" + e.target_node + "'"};
    // Ports are checked only against nodes that declare ports.
    const auto& outs = d.nodes[src->second].output_ports;
    if (!e.source_port.empty() && !outs.empty() && !has_port(outs, e.source_port))
      return error{file, at("edges", i, "source_port"),
                   "node '" + e.source_node + "' has no output port '" + e.source_port +
                       "' (output ports: " + port_names(outs) + ")"};
    const auto& ins = d.nodes[dst->second].input_ports;
    if (!e.target_port.empty() && !ins.empty() && !has_port(ins, e.target_port))
      return error{file, at("edges", i, "target_port"),
                   "node '" + e.target_node + "' has no input port '" + e.target_port +
                       "' (input ports: " + port_names(ins) + ")"};
  }

  dag g = build_dag(d);
  if (g.topo.size() < d.nodes.size()) {
    std::size_t edge = 0;
    std::string cycle = describe_cycle(d, g, &edge);
    return error{file, at("edges", edge), "cycle: " + cycle};
  }
  return std::nullopt;
}

std::string hosting_violation(const dataflow_node& n, const domain_spec& dom) {
  // Called per node and domain by the planner: build strings only on failure.
  auto name = [&] { return "'" + dom.name + "'"; };
  if (!dom.available) return "domain " + name() + " is unavailable";
  if (n.domain && *n.domain != dom.name) return "node is pinned to domain '" + *n.domain + "'";
  if (n.required_kind && *n.required_kind != dom.kind)
    return std::string("needs a ") + to_string(*n.required_kind) + " domain, " + name() +
           " is " + to_string(dom.kind);
  if (n.resources.memory_bytes > dom.memory_bytes)
    return "needs " + std::to_string(n.resources.memory_bytes) + " bytes of memory per slot, " +
           name() + " has " + std::to_string(dom.memory_bytes);
  if (n.security_level > dom.security_level)
    return "needs security level " + std::to_string(n.security_level) + ", " + name() +
           " has " + std::to_string(dom.security_level);
  for (const auto& c : n.capabilities)
    if (!dom.has_capability(c)) return "needs capability '" + c + "', " + name() + " lacks it";
  return {};
}

namespace {

/// Which single requirement of `n` no domain of `p` meets, or a per-domain
/// account when each is met somewhere but never all on one domain.
std::string unhostable_reason(const dataflow_node& n, const platform& p) {
  std::vector<const domain_spec*> up;
  for (const auto& d : p.domains)
    if (d.available) up.push_back(&d);
  if (up.empty()) return "no domain of the platform is available";
  if (n.required_kind &&
      std::none_of(up.begin(), up.end(), [&](auto* d) { return d->kind == *n.required_kind; }))
    return std::string("it needs a ") + to_string(*n.required_kind) +
           " domain and the platform has none available";
  std::uint64_t most_mem = 0;
  std::uint32_t most_sec = 0;
  for (auto* d : up) {
    most_mem = std::max(most_mem, d->memory_bytes);
    most_sec = std::max(most_sec, d->security_level);
  }
  if (n.resources.memory_bytes > most_mem)
    return "it needs " + std::to_string(n.resources.memory_bytes) +
           " bytes of memory per slot, the most any domain has is " + std::to_string(most_mem);
  if (n.security_level > most_sec)
    return "it needs security level " + std::to_string(n.security_level) +
           ", the highest any domain has is " + std::to_string(most_sec);
  for (const auto& c : n.capabilities)
    if (std::none_of(up.begin(), up.end(), [&](auto* d) { return d->has_capability(c); }))
      return "it needs capability '" + c + "', which no domain has";
  std::string out = "no single domain meets all its requirements (";
  for (std::size_t k = 0; k < up.size(); ++k)
    out += (k ? "; " : "") + hosting_violation(n, *up[k]);
  return out + ")";
}

}  // namespace

status validate_against_platform(const dataflow_definition& d, const platform& p,
                                 const std::string& file) {
  std::unordered_map<std::string, std::size_t> by_name;
  std::vector<std::string> names;
  for (std::size_t k = 0; k < p.domains.size(); ++k) {
    by_name.emplace(p.domains[k].name, k);
    names.push_back(p.domains[k].name);
  }
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    const auto& n = d.nodes[i];
    if (n.domain) {
      auto it = by_name.find(*n.domain);
      if (it == by_name.end())
        return error{file, at("nodes", i, "domain"),
                     "pinned domain '" + *n.domain + "' is not in platform '" + p.name +
                         "' (domains: " + join(names) + ")"};
      auto why = hosting_violation(n, p.domains[it->second]);
      if (!why.empty())
        return error{file, at("nodes", i, "domain"),
                     "pinned domain '" + *n.domain + "' cannot host node '" + n.node_id +
                         "': " + why};
      continue;
    }
    bool hostable = std::any_of(p.domains.begin(), p.domains.end(),
                                [&](const domain_spec& dom) { return hosting_violation(n, dom).empty(); });
    if (!hostable)
      return error{file, at("nodes", i),
                   "no domain of platform '" + p.name + "' can host node '" + n.node_id +
                       "': " + unhostable_reason(n, p)};
  }
  return std::nullopt;
}

status validate_platform(const platform& p, const std::string& file) {
  if (p.domains.empty()) return error{file, "/domains", "a platform needs at least one domain"};
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < p.domains.size(); ++i) {
    const auto& d = p.domains[i];
    const std::string path = at("domains", i);
    if (d.name.empty()) return error{file, path + "/name", "must not be empty"};
    auto [it, fresh] = seen.emplace(d.name, i);
    if (!fresh)
      return error{file, path + "/name",
                   "duplicate domain name '" + d.name + "' (first at /domains/" +
                       std::to_string(it->second) + ")"};
    if (d.slots == 0) return error{file, path + "/slots", "must be at least 1, got 0"};
    const std::pair<const char*, std::string> checks[] = {
        {"/speed", bad_number(d.speed, true)},
        {"/cost/domain_cost_factor", bad_number(d.cost.domain_cost_factor, false)},
        {"/cost/proof_cost_per_unit", bad_number(d.cost.proof_cost_per_unit, false)},
        {"/cost/cost_per_external_call", bad_number(d.cost.cost_per_external_call, false)}};
    for (const auto& [field, why] : checks)
      if (!why.empty()) return error{file, path + field, why};
  }
  if (auto why = bad_number(p.network.bandwidth_bytes_per_s, true); !why.empty())
    return error{file, "/network/bandwidth_bytes_per_s", why};
  if (auto why = bad_number(p.network.latency_ms, false); !why.empty())
    return error{file, "/network/latency_ms", why};
  for (const auto& [key, value] : p.network.cross_domain_multiplier) {
    const std::string path = "/network/cross_domain_multiplier/" + key;
    auto arrow = key.find("->");
    if (arrow == std::string::npos || !parse_domain_kind(key.substr(0, arrow)) ||
        !parse_domain_kind(key.substr(arrow + 2)))
      return error{file, path,
                   "bad multiplier key '" + key +
                       "' (expected '<kind>-><kind>' with kinds compute, service, verifiable)"};
    if (auto why = bad_number(value, true); !why.empty()) return error{file, path, why};
  }
  return std::nullopt;
}

status validate_hint(const initiation_hint& h, const std::vector<std::string>& known,
                     const std::string& file) {
  if (std::find(known.begin(), known.end(), h.preferred_strategy_id) == known.end())
    return error{file, "/preferred_strategy_id",
                 "unknown strategy '" + h.preferred_strategy_id + "' (known: " + join(known) +
                     ")"};
  if (auto t = h.resource_constraints.completion_time_ms; t)
    if (auto why = bad_number(*t, false); !why.empty())
      return error{file, "/resource_constraints/completion_time_ms", why};
  for (std::size_t k = 0; k < h.domain_preference_order.size(); ++k)
    if (h.domain_preference_order[k].empty())
      return error{file, "/domain_preference_order/" + std::to_string(k), "must not be empty"};
  return std::nullopt;
}

}  // namespace causality::model
