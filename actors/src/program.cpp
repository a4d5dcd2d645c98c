#include "causality/actors/program.hpp"

#include "causality/domains/edge_builtins.hpp"

#include <string_view>
#include <algorithm>
#include <unordered_map>

#include "causality/model/validate.hpp"
#include "causality/strategies/cost.hpp"

namespace causality::actors {

namespace {
model::error err(const std::string& path, std::string reason) {
  return model::error{"", path, std::move(reason)};
}
}  // namespace

model::expected<std::shared_ptr<const program>> compile(
    std::shared_ptr<const model::dataflow_definition> def, const workflow_code& code,
    const function_registry& registry, std::shared_ptr<const model::platform> platform,
    const std::vector<std::optional<std::set<std::string>>>& remote_types) {
  // Structure first (ids, edges, cycles, schema types, numbers): one validator.
  if (auto bad = model::validate_definition(*def, "")) return *bad;
  auto p = std::make_shared<program>();
  auto& d = *def;
  const auto n = d.nodes.size();
  if (platform->domains.empty()) return err("/domains", "the platform has no domain");
  if (platform->domains.size() > 64) return err("/domains", "more than 64 domains are not supported");
  const bool any_remote = std::any_of(platform->domains.begin(), platform->domains.end(),
                                      [](const model::domain_spec& s) { return s.endpoint.has_value(); });
  std::unordered_map<std::string_view, std::uint32_t> index;  // views into *def: no id copies
  index.reserve(n);
  p->body.resize(n);
  p->eligible.assign(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    auto& node = d.nodes[i];
    auto path = [i] { return "/nodes/" + std::to_string(i); };  // built on error only
    if (!index.emplace(node.node_id, i).second)
      return err(path() + "/node_id", "duplicate node id '" + node.node_id + "'");
    auto own = code.bodies.find(node.node_id);
    const bool coded = own != code.bodies.end();
    if (coded) {
      p->body[i] = std::make_shared<const node_fn>(own->second);
    } else {
      auto t = registry.node_types.find(node.node_type);
      if (t != registry.node_types.end()) p->body[i] = t->second;
      else if (!any_remote)
        return err(path() + "/node_type", "unknown node type '" + node.node_type +
                                            "' (register it with register_node_type, or load its plugin with --node-types)");
    }
    std::string why, no_type;
    std::uint64_t placeable = 0;
    for (std::size_t dom = 0; dom < platform->domains.size(); ++dom) {
      const auto& ds = platform->domains[dom];
      auto v = strategies::placement_violation(node, ds, d);
      if (!v.empty()) {
        if (why.empty()) why = ds.name + ": " + v;
        continue;
      }
      placeable |= std::uint64_t{1} << dom;
      std::string cannot;
      if (!ds.endpoint) {
        if (!p->body[i]) cannot = "not registered in this runtime";
      } else if (coded) {
        cannot = "remote, runs node types only (this node has a code body)";
      } else if (dom < remote_types.size() && remote_types[dom] && !remote_types[dom]->count(node.node_type)) {
        std::string list;
        for (auto& n : *remote_types[dom]) list += (list.empty() ? "" : ", ") + n;
        cannot = node.node_type == "exec"
                     ? "its server does not run commands (start causality-domain with --allow-exec; it runs " + list +
                           ")"
                     : "hosts " + list;
      }
      if (cannot.empty()) p->eligible[i] |= std::uint64_t{1} << dom;
      else no_type += (no_type.empty() ? "" : "; ") + ds.name + ": " + cannot;
    }
    if (!placeable)
      return err(path(), "no domain of platform '" + platform->name + "' can host node '" +
                           node.node_id + "' (" + why + ")");
    if (!p->eligible[i])
      return err(path() + "/node_type", "node '" + node.node_id + "' needs node type '" + node.node_type +
                                          "', which no eligible domain runs (" + no_type + ")");
    if (auto o = code.options.find(node.node_id); o != code.options.end()) p->options[i] = o->second;
    if (auto r = code.routers.find(node.node_id); r != code.routers.end()) p->routers[i] = r->second;
    if (auto rp = node.params.find("router"); rp != node.params.end()) {
      auto r = registry.routers.find(rp->second);
      if (r != registry.routers.end()) p->routers[i] = r->second;
      else if (auto b = domains::builtin_router(rp->second)) p->routers[i] = std::move(*b);
      else return err(path() + "/params/router", "unknown router '" + rp->second + "' (built-in: by:KEY)");
    }
  }
  const auto m = d.edges.size();
  p->edge_src.resize(m);
  p->edge_dst.resize(m);
  std::vector<std::uint32_t> outdeg(n + 1, 0), indeg(n + 1, 0);
  for (std::uint32_t e = 0; e < m; ++e) {
    auto& edge = d.edges[e];
    auto path = [e] { return "/edges/" + std::to_string(e); };
    auto s = index.find(edge.source_node);
    if (s == index.end()) return err(path() + "/source_node", "unknown node '" + edge.source_node + "'");
    auto t = index.find(edge.target_node);
    if (t == index.end()) return err(path() + "/target_node", "unknown node '" + edge.target_node + "'");
    p->edge_src[e] = s->second;
    p->edge_dst[e] = t->second;
    ++outdeg[s->second];
    ++indeg[t->second];
    program::edge_code ec;
    if (auto f = code.transforms.find(edge.edge_id); !edge.edge_id.empty() && f != code.transforms.end())
      ec.transform = f->second;
    else if (!edge.transform.empty()) {
      auto r = registry.transforms.find(edge.transform);
      if (r != registry.transforms.end()) ec.transform = r->second;
      else if (auto b = domains::builtin_transform(edge.transform)) ec.transform = std::move(*b);
      else return err(path() + "/transform", "unknown transform '" + edge.transform + "' (built-in: identity, get:KEY)");
    }
    if (auto f = code.filters.find(edge.edge_id); !edge.edge_id.empty() && f != code.filters.end())
      ec.filter = f->second;
    else if (!edge.filter.empty()) {
      auto r = registry.filters.find(edge.filter);
      if (r != registry.filters.end()) ec.filter = r->second;
      else if (auto b = domains::builtin_filter(edge.filter)) ec.filter = std::move(*b);
      else return err(path() + "/filter", "unknown filter '" + edge.filter + "' (built-in: truthy, falsy, has:KEY, lacks:KEY)");
    }
    if (ec.transform || ec.filter) {
      if (p->edge_code_of.empty()) p->edge_code_of.assign(m, -1);
      p->edge_code_of[e] = static_cast<std::int32_t>(p->edge_codes.size());
      p->edge_codes.push_back(std::move(ec));
    }
  }
  // CSR adjacency: two flat arrays instead of a vector per node (memory per node).
  p->succ_off.assign(n + 1, 0);
  p->pred_off.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    p->succ_off[i + 1] = p->succ_off[i] + outdeg[i];
    p->pred_off[i + 1] = p->pred_off[i] + indeg[i];
  }
  p->succ.resize(m);
  p->pred.resize(m);
  std::vector<std::uint32_t> fill_s(p->succ_off.begin(), p->succ_off.end() - 1);
  std::vector<std::uint32_t> fill_p(p->pred_off.begin(), p->pred_off.end() - 1);
  for (std::uint32_t e = 0; e < m; ++e) {
    p->succ[fill_s[p->edge_src[e]]++] = e;
    p->pred[fill_p[p->edge_dst[e]]++] = e;
  }
  // Kahn's algorithm: the order, and a cycle check naming a node on it.
  std::vector<std::uint32_t> rem(n);
  p->topo.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    rem[i] = indeg[i];
    if (!rem[i]) p->topo.push_back(i);
    if (!outdeg[i]) p->sinks.push_back(i);
  }
  for (std::size_t k = 0; k < p->topo.size(); ++k) {
    auto v = p->topo[k];
    for (auto i = p->succ_off[v]; i < p->succ_off[v + 1]; ++i) {
      auto w = p->edge_dst[p->succ[i]];
      if (--rem[w] == 0) p->topo.push_back(w);
    }
  }
  if (p->topo.size() != n) {
    for (std::uint32_t i = 0; i < n; ++i)
      if (rem[i]) return err("/edges", "the graph has a cycle through node '" + d.nodes[i].node_id + "'");
  }
  p->def = std::move(def);
  p->platform = std::move(platform);
  return std::shared_ptr<const program>(std::move(p));
}

}  // namespace causality::actors
