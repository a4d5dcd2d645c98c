// The project's JSON form of a dataflow definition (FORMATS.md), both ways.
#include "causality/model/io.hpp"

#include "causality/model/limits.hpp"
#include "json_reader.hpp"

namespace causality::model {

using detail::child_path;
using detail::json_reader;
using json = nlohmann::json;

namespace {

bool read_kind(json_reader& r, const json& obj, const char* key, const std::string& base,
               std::optional<domain_kind>& out) {
  std::string s;
  if (!r.str(obj, key, base, s)) return false;
  out = parse_domain_kind(s);
  if (!out) {
    r.fail(child_path(base, key),
           "unknown domain kind '" + s + "' (known: compute, service, verifiable)");
    return false;
  }
  return true;
}

/// A typed domain: an object, or just its kind name ("service").
void read_typed_domain(json_reader& r, const json& v, const std::string& path,
                       typed_domain& out) {
  if (v.is_string()) {
    auto k = parse_domain_kind(v.get<std::string>());
    if (!k) {
      r.fail(path, "unknown domain kind '" + v.get<std::string>() +
                       "' (known: compute, service, verifiable)");
      return;
    }
    out = *k == domain_kind::service    ? typed_domain::service()
          : *k == domain_kind::verifiable ? typed_domain::verifiable()
                                          : typed_domain::compute();
    return;
  }
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"kind", "name", "external_apis", "allows_nondeterminism", "zk_constraints", "deterministic_only"});
  std::optional<domain_kind> kind;
  read_kind(r, v, "kind", path, kind);
  // Start from the kind's defaults so {"kind": "service"} means what it says.
  out = kind == domain_kind::service      ? typed_domain::service()
        : kind == domain_kind::verifiable ? typed_domain::verifiable()
                                          : typed_domain::compute();
  r.str(v, "name", path, out.name);
  r.str_list(v, "external_apis", path, out.external_apis);
  r.boolean(v, "allows_nondeterminism", path, out.allows_nondeterminism);
  r.str_list(v, "zk_constraints", path, out.zk_constraints);
  r.boolean(v, "deterministic_only", path, out.deterministic_only);
}

/// Schema: field name -> type name (strings only; the type is checked by validation).
void read_schema(json_reader& r, const json& obj, const char* key, const std::string& base,
                 std::map<std::string, std::string>& out) {
  const json* o = r.object(obj, key, base);
  if (!o) return;
  for (auto it = o->begin(); it != o->end(); ++it) {
    std::string t;
    if (!r.to_str(*it, child_path(child_path(base, key), it.key()), t)) return;
    out.emplace(it.key(), std::move(t));
  }
}

/// Ports: [{"name": "in", "type": "string"}] or the shorthand ["in"].
void read_ports(json_reader& r, const json& obj, const char* key, const std::string& base,
                std::vector<port>& out) {
  const json* a = r.array(obj, key, base);
  if (!a) return;
  std::string apath = child_path(base, key);
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size() && r.ok(); ++i) {
    const json& v = (*a)[i];
    port p;
    if (v.is_string()) {
      p.name = v.get<std::string>();
    } else {
      std::string path = child_path(apath, i);
      if (!r.expect_object(v, path)) return;
      r.only(v, path, {"name", "type"});
      r.str(v, "name", path, p.name, true);
      r.str(v, "type", path, p.type);
    }
    out.push_back(std::move(p));
  }
}

void read_resources(json_reader& r, const json& v, const std::string& path,
                    resource_usage_estimate& out) {
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"cpu_time_ms", "memory_bytes", "storage_bytes", "network_bytes", "estimated_completion_time_ms"});
  out.cpu_time_given = v.contains("cpu_time_ms");
  r.num(v, "cpu_time_ms", path, out.cpu_time_ms, detail::num_rule::non_negative);
  r.u64(v, "memory_bytes", path, out.memory_bytes);
  r.u64(v, "storage_bytes", path, out.storage_bytes);
  r.u64(v, "network_bytes", path, out.network_bytes);
  r.num(v, "estimated_completion_time_ms", path, out.estimated_completion_time_ms);
}

/// "exec": {"argv": [...], "env": {...}, "cwd": "..."}; argv non-empty.
void read_exec(json_reader& r, const json& v, const std::string& path, dataflow_node& n) {
  auto it = v.find("exec");
  if (it == v.end() || it->is_null()) return;
  const std::string p = child_path(path, "exec");
  if (!r.expect_object(*it, p)) return;
  r.only(*it, p, {"argv", "env", "cwd"});
  exec_spec e;
  r.str_list(*it, "argv", p, e.argv);
  r.str_map(*it, "env", p, e.env);
  r.str(*it, "cwd", p, e.cwd);
  if (e.argv.empty() || e.argv[0].empty())
    r.fail(child_path(p, "argv"), "must be a non-empty array of strings (the program and its arguments)");
  n.exec = std::move(e);
}

/// "retry": {"max_attempts": N, "initial_backoff_ms": x, "multiplier": x,
/// "max_backoff_ms": x, "jitter": x}; absent fields keep retry_policy's
/// defaults (ranges: validate_policies.cpp).
void read_retry(json_reader& r, const json& obj, const std::string& base,
                std::optional<retry_policy>& out) {
  auto it = obj.find("retry");
  if (it == obj.end() || it->is_null()) return;
  const std::string p = child_path(base, "retry");
  if (!r.expect_object(*it, p)) return;
  r.only(*it, p, {"max_attempts", "initial_backoff_ms", "multiplier", "max_backoff_ms", "jitter"});
  retry_policy rp;
  r.u32(*it, "max_attempts", p, rp.max_attempts);
  r.num(*it, "initial_backoff_ms", p, rp.initial_backoff_ms);
  r.num(*it, "multiplier", p, rp.multiplier);
  r.num(*it, "max_backoff_ms", p, rp.max_backoff_ms);
  r.num(*it, "jitter", p, rp.jitter);
  out = rp;
}

/// "policies": {"retry": {...}, "timeout_ms": x, "continue_on_failure": b}.
void read_policies(json_reader& r, const json& j, run_policies& out) {
  const json* o = r.object(j, "policies", "");
  if (!o) return;
  const std::string p = "/policies";
  r.only(*o, p, {"retry", "timeout_ms", "continue_on_failure"});
  read_retry(r, *o, p, out.retry);
  r.opt_num(*o, "timeout_ms", p, out.timeout_ms, detail::num_rule::any);
  bool b = false;
  if (r.boolean(*o, "continue_on_failure", p, b)) out.continue_on_failure = b;
}

json retry_to_json(const retry_policy& p) {
  return json{{"max_attempts", p.max_attempts},
              {"initial_backoff_ms", p.initial_backoff_ms},
              {"multiplier", p.multiplier},
              {"max_backoff_ms", p.max_backoff_ms},
              {"jitter", p.jitter}};
}

void read_node(json_reader& r, const json& v, const std::string& path, dataflow_node& n) {
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"node_id", "name", "node_type", "input_ports", "output_ports", "logic_ref", "domain",
                   "required_kind", "resources", "complexity", "security_level", "capabilities",
                   "external_calls", "params", "exec", "retry", "timeout_ms"});
  r.str(v, "node_id", path, n.node_id, true);
  if (!r.str(v, "name", path, n.name)) n.name = n.node_id;
  r.str(v, "node_type", path, n.node_type);
  read_ports(r, v, "input_ports", path, n.input_ports);
  read_ports(r, v, "output_ports", path, n.output_ports);
  r.str(v, "logic_ref", path, n.logic_ref);
  r.opt_str(v, "domain", path, n.domain);
  read_kind(r, v, "required_kind", path, n.required_kind);
  n.resources.cpu_time_given = false;  // until the file gives cpu_time_ms
  if (auto it = v.find("resources"); it != v.end() && !it->is_null())
    read_resources(r, *it, child_path(path, "resources"), n.resources);
  r.num(v, "complexity", path, n.complexity);  // range: validate_definition
  r.u32(v, "security_level", path, n.security_level);
  r.str_list(v, "capabilities", path, n.capabilities);
  r.u32(v, "external_calls", path, n.external_calls);
  r.str_map(v, "params", path, n.params);
  read_exec(r, v, path, n);
  read_retry(r, v, path, n.retry);
  r.opt_num(v, "timeout_ms", path, n.timeout_ms, detail::num_rule::any);  // range: validate_definition
}

void read_edge(json_reader& r, const json& v, const std::string& path, dataflow_edge& e) {
  if (!r.expect_object(v, path)) return;
  r.only(v, path, {"edge_id", "source_node", "target_node", "source_port", "target_port", "bytes", "transform",
                   "filter", "route"});
  r.str(v, "edge_id", path, e.edge_id, true);
  r.str(v, "source_node", path, e.source_node, true);
  r.str(v, "target_node", path, e.target_node, true);
  r.str(v, "source_port", path, e.source_port);
  r.str(v, "target_port", path, e.target_port);
  r.u64(v, "bytes", path, e.bytes);
  r.str(v, "transform", path, e.transform);
  r.str(v, "filter", path, e.filter);
  r.str(v, "route", path, e.route);
}

json typed_domain_to_json(const typed_domain& t) {
  return json{{"kind", to_string(t.kind)},
              {"name", t.name},
              {"external_apis", t.external_apis},
              {"allows_nondeterminism", t.allows_nondeterminism},
              {"zk_constraints", t.zk_constraints},
              {"deterministic_only", t.deterministic_only}};
}

json ports_to_json(const std::vector<port>& ports) {
  json a = json::array();
  for (const auto& p : ports) a.push_back({{"name", p.name}, {"type", p.type}});
  return a;
}

}  // namespace

expected<dataflow_definition> definition_from_json(const json& j, const std::string& file) {
  json_reader r(file);
  dataflow_definition d;
  if (!r.expect_object(j, "")) return r.err();
  r.only(j, "", {"definition_id", "name", "input_schema", "output_schema", "state_schema", "default_typed_domain",
                 "nodes", "edges", "policies"});
  r.str(j, "name", "", d.name);
  if (!r.str(j, "definition_id", "", d.definition_id)) d.definition_id = d.name;
  read_schema(r, j, "input_schema", "", d.input_schema);
  read_schema(r, j, "output_schema", "", d.output_schema);
  read_schema(r, j, "state_schema", "", d.state_schema);
  if (auto it = j.find("default_typed_domain"); it != j.end() && !it->is_null())
    read_typed_domain(r, *it, "/default_typed_domain", d.default_typed_domain);
  read_policies(r, j, d.policies);
  if (const json* nodes = r.array(j, "nodes", "", true)) {
    if (nodes->size() > limits::max_nodes)  // before allocating per node
      r.fail("/nodes", std::to_string(nodes->size()) + " nodes, more than " +
                           std::to_string(limits::max_nodes));
    if (!r.ok()) return r.err();
    d.nodes.resize(nodes->size());
    for (std::size_t i = 0; i < nodes->size() && r.ok(); ++i)
      read_node(r, (*nodes)[i], child_path("/nodes", i), d.nodes[i]);
  }
  if (const json* edges = r.array(j, "edges", ""); edges && r.ok()) {
    if (edges->size() > limits::max_edges)
      r.fail("/edges", std::to_string(edges->size()) + " edges, more than " +
                           std::to_string(limits::max_edges));
    if (!r.ok()) return r.err();
    d.edges.resize(edges->size());
    for (std::size_t i = 0; i < edges->size() && r.ok(); ++i)
      read_edge(r, (*edges)[i], child_path("/edges", i), d.edges[i]);
  }
  if (!r.ok()) return r.err();
  return d;
}

json definition_to_json(const dataflow_definition& d) {
  json nodes = json::array();
  for (const auto& n : d.nodes) {
    json jn{{"node_id", n.node_id},
            {"name", n.name},
            {"node_type", n.node_type},
            {"input_ports", ports_to_json(n.input_ports)},
            {"output_ports", ports_to_json(n.output_ports)},
            {"logic_ref", n.logic_ref},
            {"resources",
             {{"cpu_time_ms", n.resources.cpu_time_ms},
              {"memory_bytes", n.resources.memory_bytes},
              {"storage_bytes", n.resources.storage_bytes},
              {"network_bytes", n.resources.network_bytes},
              {"estimated_completion_time_ms", n.resources.estimated_completion_time_ms}}},
            {"complexity", n.complexity},
            {"security_level", n.security_level},
            {"capabilities", n.capabilities},
            {"external_calls", n.external_calls},
            {"params", n.params}};
    if (!n.resources.cpu_time_given) jn["resources"].erase("cpu_time_ms");  // the default guess: not written
    if (n.domain) jn["domain"] = *n.domain;
    if (n.required_kind) jn["required_kind"] = to_string(*n.required_kind);
    if (n.exec) jn["exec"] = {{"argv", n.exec->argv}, {"env", n.exec->env}, {"cwd", n.exec->cwd}};
    if (n.retry) jn["retry"] = retry_to_json(*n.retry);
    if (n.timeout_ms) jn["timeout_ms"] = *n.timeout_ms;
    nodes.push_back(std::move(jn));
  }
  json edges = json::array();
  for (const auto& e : d.edges)
    edges.push_back({{"edge_id", e.edge_id},
                     {"source_node", e.source_node},
                     {"target_node", e.target_node},
                     {"source_port", e.source_port},
                     {"target_port", e.target_port},
                     {"bytes", e.bytes},
                     {"transform", e.transform},
                     {"filter", e.filter},
                     {"route", e.route}});
  json out{{"definition_id", d.definition_id},
           {"name", d.name},
           {"input_schema", d.input_schema},
           {"output_schema", d.output_schema},
           {"state_schema", d.state_schema},
           {"default_typed_domain", typed_domain_to_json(d.default_typed_domain)},
           {"nodes", std::move(nodes)},
           {"edges", std::move(edges)}};
  if (!d.policies.empty()) {
    json p = json::object();
    if (d.policies.retry) p["retry"] = retry_to_json(*d.policies.retry);
    if (d.policies.timeout_ms) p["timeout_ms"] = *d.policies.timeout_ms;
    if (d.policies.continue_on_failure) p["continue_on_failure"] = *d.policies.continue_on_failure;
    out["policies"] = std::move(p);
  }
  return out;
}

}  // namespace causality::model
