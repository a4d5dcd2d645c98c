// Structural validation of definitions, placement feasibility against a
// platform (platforms and hints: validate_platform.cpp). Every check reports the JSON path of the offending
// field in the project's JSON form.
#include "causality/model/validate.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "causality/model/graph.hpp"
#include "causality/model/limits.hpp"
#include "checks.hpp"

namespace causality::model {

using namespace checks;

namespace {

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
    if (auto why = limits::id_violation(ports[k].name); !why.empty())
      return error{file, path + "/name", why};
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
  if (auto bad = check_id(n.node_id, file, at("nodes", i, "node_id"))) return bad;
  if (auto bad = check_opt_id(n.name, file, at("nodes", i, "name"))) return bad;
  if (auto bad = check_id(n.node_type, file, at("nodes", i, "node_type"))) return bad;
  if (n.domain && n.domain->empty())
    return error{file, at("nodes", i, "domain"), "must not be empty when given"};
  if (n.domain)
    if (auto bad = check_id(*n.domain, file, at("nodes", i, "domain"))) return bad;
  if (auto bad = check_range(n.complexity, 0.0, limits::max_complexity, file,
                             at("nodes", i, "complexity"), /*lo_open=*/true))
    return bad;
  const std::string res = at("nodes", i, "resources");
  const auto& r = n.resources;
  if (auto bad = check_range(r.cpu_time_ms, 0.0, limits::max_work_ms, file, res + "/cpu_time_ms"))
    return bad;
  if (auto bad = check_range(r.estimated_completion_time_ms, 0.0, limits::max_duration_ms, file,
                             res + "/estimated_completion_time_ms"))
    return bad;
  const std::pair<const char*, std::uint64_t> bytes[] = {{"/memory_bytes", r.memory_bytes},
                                                         {"/storage_bytes", r.storage_bytes},
                                                         {"/network_bytes", r.network_bytes}};
  for (const auto& [field, v] : bytes)
    if (auto bad = check_range(v, 0, limits::max_item_bytes, file, res + field)) return bad;
  if (auto bad = check_range(n.security_level, 0, limits::max_security_level, file,
                             at("nodes", i, "security_level")))
    return bad;
  if (auto bad = check_range(n.external_calls, 0, limits::max_external_calls, file,
                             at("nodes", i, "external_calls")))
    return bad;
  for (std::size_t k = 0; k < n.capabilities.size(); ++k)
    if (auto bad = check_id(n.capabilities[k], file,
                            at("nodes", i, "capabilities") + "/" + std::to_string(k)))
      return bad;
  for (const char* list : {"input_ports", "output_ports"}) {
    const auto& ports = list[0] == 'i' ? n.input_ports : n.output_ports;
    if (ports.size() > limits::max_ports)
      return error{file, at("nodes", i, list),
                   "has " + std::to_string(ports.size()) + " ports, more than " +
                       std::to_string(limits::max_ports)};
  }
  if (auto bad = check_ports(n.input_ports, i, "input_ports", file)) return bad;
  if (auto bad = check_node_policies(n, i, file)) return bad;
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
  if (d.nodes.empty()) return error{file, "/nodes", "a workflow needs at least one node"};
  if (d.nodes.size() > limits::max_nodes)
    return error{file, "/nodes",
                 std::to_string(d.nodes.size()) + " nodes, more than " +
                     std::to_string(limits::max_nodes)};
  if (d.edges.size() > limits::max_edges)
    return error{file, "/edges",
                 std::to_string(d.edges.size()) + " edges, more than " +
                     std::to_string(limits::max_edges)};
  if (auto bad = check_opt_id(d.name, file, "/name")) return bad;
  if (auto bad = check_opt_id(d.definition_id, file, "/definition_id")) return bad;
  if (auto bad = check_schema(d.input_schema, "input_schema", file)) return bad;
  if (auto bad = check_schema(d.output_schema, "output_schema", file)) return bad;
  if (auto bad = check_schema(d.state_schema, "state_schema", file)) return bad;
  if (auto bad = check_run_policies(d.policies, file)) return bad;

  std::unordered_map<std::string, std::size_t> node_index;
  node_index.reserve(d.nodes.size() * 2);
  double total_work = 0;
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    if (auto bad = check_node(d.nodes[i], i, file)) return bad;
    total_work += d.nodes[i].resources.cpu_time_ms;
    if (total_work > limits::max_total_work_ms)
      return error{file, at("nodes", i, "resources") + "/cpu_time_ms",
                   "the workflow's total work reaches " + limits::show(total_work) +
                       " ms at this node, more than " + limits::show(limits::max_total_work_ms) +
                       " ms"};
    if (d.nodes[i].node_type == "exec" && !d.nodes[i].exec)
      return error{file, at("nodes", i, "exec"),
                   "node_type exec needs an \"exec\" object: {\"argv\": [program, args...]}"};
    auto [it, fresh] = node_index.emplace(d.nodes[i].node_id, i);
    if (!fresh)
      return error{file, at("nodes", i, "node_id"),
                   "duplicate node id '" + d.nodes[i].node_id + "' (first at /nodes/" +
                       std::to_string(it->second) + ")"};
  }

  std::unordered_map<std::string, std::size_t> edge_index;
  edge_index.reserve(d.edges.size() * 2);
  // Parallel edges: the same source, target and ports twice.
  std::unordered_map<std::string, std::size_t> edge_ends;
  edge_ends.reserve(d.edges.size() * 2);
  for (std::size_t i = 0; i < d.edges.size(); ++i) {
    const auto& e = d.edges[i];
    if (auto bad = check_id(e.edge_id, file, at("edges", i, "edge_id"))) return bad;
    if (auto bad = check_id(e.source_node, file, at("edges", i, "source_node"))) return bad;
    if (auto bad = check_id(e.target_node, file, at("edges", i, "target_node"))) return bad;
    if (auto bad = check_opt_id(e.source_port, file, at("edges", i, "source_port"))) return bad;
    if (auto bad = check_opt_id(e.target_port, file, at("edges", i, "target_port"))) return bad;
    for (const auto& [field, name] : {std::pair<const char*, const std::string&>{"transform", e.transform},
                                      {"filter", e.filter},
                                      {"route", e.route}})
      if (auto bad = check_opt_id(name, file, at("edges", i, field))) return bad;
    if (auto bad = check_range(e.bytes, 0, limits::max_item_bytes, file, at("edges", i, "bytes")))
      return bad;
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
    // Ids hold no control characters, so '\n' cannot occur inside one.
    std::string ends = e.source_node + '\n' + e.target_node + '\n' + e.source_port + '\n' +
                       e.target_port;
    if (auto [first, fresh] = edge_ends.emplace(std::move(ends), i); !fresh)
      return error{file, at("edges", i),
                   "edge '" + e.edge_id + "' repeats edge '" + d.edges[first->second].edge_id +
                       "' (same source, target and ports; first at /edges/" +
                       std::to_string(first->second) + ")"};
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

namespace {

/// A node's cost on a domain, as strategies::node_cost computes it.
double node_cost_on(const dataflow_node& n, const domain_spec& dom) {
  const std::uint64_t units = cost_units(n.resources.cpu_time_ms);
  effect_cost_model m;
  m.base_cost = dom.cost.base_cost;
  m.resource_cost_per_unit = dom.cost.resource_cost_per_unit;
  m.complexity_multiplier = n.complexity;
  m.domain_cost_factor = dom.cost.domain_cost_factor;
  double c = m.total_cost(units);
  if (dom.kind == domain_kind::verifiable)
    c += dom.cost.proof_cost_per_unit * static_cast<double>(units);
  if (dom.kind == domain_kind::service)
    c += dom.cost.cost_per_external_call * static_cast<double>(n.external_calls);
  return c;
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
  // The workflow's cost at each node's dearest domain: the bounds on each
  // field keep one node's cost finite, this keeps the sum below the limit.
  double total_cost = 0;
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    const auto& n = d.nodes[i];
    double dearest = 0;
    std::size_t dearest_at = 0;
    for (std::size_t k = 0; k < p.domains.size(); ++k) {
      double c = node_cost_on(n, p.domains[k]);
      if (!(c <= dearest)) dearest = c, dearest_at = k;
    }
    total_cost += dearest;
    if (!(total_cost <= limits::max_total_cost))
      return error{file, at("nodes", i),
                   "node '" + n.node_id + "' costs " + limits::show(dearest) + " on domain '" +
                       p.domains[dearest_at].name + "' of platform '" + p.name +
                       "': the workflow's cost would exceed " +
                       limits::show(limits::max_total_cost)};
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

}  // namespace causality::model
