#include "plan_file.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/limits.hpp"
#include "causality/model/validate.hpp"
#include "causality/strategies/cost.hpp"
#include "suggest.hpp"

namespace causality::cli {

namespace {

/// The first key of `o` not in `known` (at most 64 bytes of it), if any.
std::optional<std::string> unknown_field(const nlohmann::json& o, const std::vector<std::string>& known) {
  for (auto it = o.begin(); it != o.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) return it.key().substr(0, 64);
  return std::nullopt;
}

}  // namespace

model::expected<strategies::plan> load_plan_file(const std::string& path,
                                                 const model::dataflow_definition& def,
                                                 const model::platform& plat) {
  auto text = model::read_text_file(path);
  if (!text) return text.err();
  auto parsed = model::parse_json(*text, path);
  if (!parsed) return parsed.err();
  return plan_from_json(*parsed, path, def, plat);
}

model::expected<strategies::plan> plan_from_json(const nlohmann::json& j, const std::string& path,
                                                 const model::dataflow_definition& def,
                                                 const model::platform& plat) {
  auto bad = [&](const std::string& at, const std::string& why) { return model::error{path, at, why}; };
  if (!j.is_object()) return bad("", "a plan is an object (causality plan --format json)");
  // Every field `causality plan --format json` (or a --pareto front point) prints.
  static const std::vector<std::string> plan_fields = {
      "workflow",    "platform",    "strategy",        "makespan_ms", "total_cost",
      "assignments", "explanation", "utilisation",     "idle_slot_hours", "domains_used"};
  static const std::vector<std::string> assignment_fields = {"node", "domain", "start_ms", "finish_ms"};
  if (auto u = unknown_field(j, plan_fields)) return bad("/" + *u, "unknown field" + did_you_mean(*u, plan_fields));
  auto str = [&](const nlohmann::json& o, const char* key, const std::string& at) -> model::expected<std::string> {
    auto it = o.find(key);
    if (it == o.end() || !it->is_string()) return bad(at + "/" + key, "expected a string");
    return it->get<std::string>();
  };
  auto wf = str(j, "workflow", "");
  if (!wf) return wf.err();
  if (*wf != def.name)
    return bad("/workflow", "the plan is for workflow '" + *wf + "', not '" + def.name + "'");
  auto arr = j.find("assignments");
  if (arr == j.end() || !arr->is_array()) return bad("/assignments", "expected an array");

  std::map<std::string, std::size_t> node_index, domain_index;
  for (std::size_t i = 0; i < def.nodes.size(); ++i) node_index[def.nodes[i].node_id] = i;
  std::vector<std::string> domain_names;
  for (std::size_t d = 0; d < plat.domains.size(); ++d) {
    domain_index[plat.domains[d].name] = d;
    domain_names.push_back(plat.domains[d].name);
  }
  strategies::plan p;
  p.workflow = def.name;
  p.platform = plat.name;
  p.method = "given plan (" + path + ")";
  if (auto s = j.find("strategy"); s != j.end() && s->is_string()) {
    p.strategy = s->get<std::string>();
    if (auto why = model::limits::id_violation(p.strategy); !why.empty()) return bad("/strategy", why);
  }
  std::vector<std::optional<strategies::assignment>> by_node(def.nodes.size());
  for (std::size_t k = 0; k < arr->size(); ++k) {
    const auto& a = (*arr)[k];
    const std::string at = "/assignments/" + std::to_string(k);
    if (!a.is_object()) return bad(at, "expected an object");
    if (auto u = unknown_field(a, assignment_fields))
      return bad(at + "/" + *u, "unknown field" + did_you_mean(*u, assignment_fields));
    auto node = str(a, "node", at);
    if (!node) return node.err();
    auto domain = str(a, "domain", at);
    if (!domain) return domain.err();
    auto n = node_index.find(*node);
    if (n == node_index.end())
      return bad(at + "/node", "workflow " + def.name + " has no node '" + *node + "'");
    if (by_node[n->second]) return bad(at + "/node", "node '" + *node + "' is assigned twice");
    auto d = domain_index.find(*domain);
    if (d == domain_index.end())
      return bad(at + "/domain", "platform " + plat.name + " has no domain '" + *domain + "'" +
                                     did_you_mean(*domain, domain_names) + " (known: " + join(domain_names) + ")");
    const auto& nd = def.nodes[n->second];
    const auto& dom = plat.domains[d->second];
    if (auto why = model::hosting_violation(nd, dom); !why.empty())
      return bad(at + "/domain", "node '" + *node + "' cannot run on '" + *domain + "': " + why);
    strategies::assignment as;
    as.node = n->second;
    as.domain = d->second;
    for (const char* key : {"start_ms", "finish_ms"}) {
      auto t = a.find(key);
      if (t == a.end() || !t->is_number()) return bad(at + "/" + key, "expected a number >= 0");
      if (auto why = model::limits::range_violation(t->get<double>(), 0.0, model::limits::max_plan_ms);
          !why.empty())
        return bad(at + "/" + key, why);
    }
    as.start_ms = a["start_ms"].get<double>();
    as.finish_ms = a["finish_ms"].get<double>();
    if (as.finish_ms < as.start_ms) return bad(at + "/finish_ms", "finish_ms is before start_ms");
    as.cost = strategies::node_cost(nd, dom);
    by_node[n->second] = as;
  }
  std::size_t missing = 0;
  std::string first_missing;
  for (std::size_t i = 0; i < by_node.size(); ++i)
    if (!by_node[i] && missing++ == 0) first_missing = def.nodes[i].node_id;
  if (missing)
    return bad("/assignments", "node '" + first_missing + "'" +
                                   (missing > 1 ? " and " + std::to_string(missing - 1) + " more" : "") +
                                   " of workflow " + def.name + " not assigned");
  for (auto& a : by_node) {
    p.makespan_ms = std::max(p.makespan_ms, a->finish_ms);
    p.total_cost += a->cost;
    p.assignments.push_back(*a);
  }
  return p;
}

}  // namespace causality::cli
