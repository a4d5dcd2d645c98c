#include "causality/runtime/workflow.hpp"

#include <mutex>

#include "workflow_impl.hpp"

namespace causality {

workflow::workflow(std::string name) : impl_(std::make_shared<impl>()) {
  impl_->def->definition_id = name;
  impl_->def->name = std::move(name);
}

workflow workflow::from_definition(model::dataflow_definition def) {
  workflow w(def.name);
  *w.impl_->def = std::move(def);
  return w;
}

workflow::impl& workflow::mut() {
  if (impl_.use_count() > 1) {
    auto copy = std::make_shared<impl>();
    copy->def = std::make_shared<model::dataflow_definition>(*impl_->def);
    copy->code = impl_->code;
    copy->last_is_edge = impl_->last_is_edge;
    impl_ = std::move(copy);
  }
  std::lock_guard<std::mutex> g(impl_->mx);
  impl_->compiled.reset();
  // Runs still in flight share the definition: copy it before changing it.
  if (impl_->def.use_count() > 1) impl_->def = std::make_shared<model::dataflow_definition>(*impl_->def);
  return *impl_;
}

model::dataflow_node& workflow::last_node() {
  auto& m = mut();
  // After an edge, a node option applies to the node added last.
  if (m.def->nodes.empty()) throw std::logic_error("workflow builder: node option used before any node was added");
  return m.def->nodes.back();
}

model::dataflow_edge& workflow::last_edge() {
  auto& m = mut();
  if (m.def->edges.empty() || !m.last_is_edge)
    throw std::logic_error("workflow builder: edge option used right after a node, not an edge");
  return m.def->edges.back();
}

workflow& workflow::node(std::string id, node_fn fn) {
  auto& m = mut();
  model::dataflow_node n;
  n.node_id = id;
  n.name = id;
  n.node_type = "code";
  n.resources.cpu_time_given = false;  // until cpu_ms() or resources() gives it
  m.code.bodies[id] = std::move(fn);
  m.def->nodes.push_back(std::move(n));
  m.last_is_edge = false;
  return *this;
}

workflow& workflow::node_of_type(std::string id, std::string type) {
  auto& m = mut();
  model::dataflow_node n;
  n.node_id = id;
  n.name = std::move(id);
  n.node_type = std::move(type);
  n.resources.cpu_time_given = false;  // until cpu_ms() or resources() gives it
  m.def->nodes.push_back(std::move(n));
  m.last_is_edge = false;
  return *this;
}

workflow& workflow::resources(model::resource_usage_estimate r) { last_node().resources = r; return *this; }
workflow& workflow::cpu_ms(double ms) {
  last_node().resources.cpu_time_ms = ms;
  last_node().resources.cpu_time_given = true;
  return *this;
}
workflow& workflow::complexity(double c) { last_node().complexity = c; return *this; }
workflow& workflow::domain(std::string name) { last_node().domain = std::move(name); return *this; }
workflow& workflow::kind(model::domain_kind k) { last_node().required_kind = k; return *this; }
workflow& workflow::security_level(std::uint32_t l) { last_node().security_level = l; return *this; }
workflow& workflow::capability(std::string c) { last_node().capabilities.push_back(std::move(c)); return *this; }
workflow& workflow::param(std::string k, std::string v) { last_node().params[std::move(k)] = std::move(v); return *this; }
workflow& workflow::retry(retry_policy p) { last_node().retry = p; return *this; }
workflow& workflow::timeout_ms(double ms) { last_node().timeout_ms = ms; return *this; }
workflow& workflow::exec(model::exec_spec e) {
  auto& n = last_node();
  n.node_type = "exec";
  n.exec = std::move(e);
  return *this;
}
workflow& workflow::policies(model::run_policies p) { mut().def->policies = std::move(p); return *this; }
workflow& workflow::router(actors::router_fn fn) {
  auto id = last_node().node_id;
  impl_->code.routers[id] = std::move(fn);
  return *this;
}

workflow& workflow::edge(const std::string& from, const std::string& to) {
  auto& m = mut();
  model::dataflow_edge e;
  e.edge_id = "e" + std::to_string(m.def->edges.size()) + ":" + from + "->" + to;
  e.source_node = from;
  e.target_node = to;
  m.def->edges.push_back(std::move(e));
  m.last_is_edge = true;
  return *this;
}
workflow& workflow::transform(actors::transform_fn fn) {
  auto id = last_edge().edge_id;
  impl_->code.transforms[id] = std::move(fn);
  return *this;
}
workflow& workflow::filter(actors::filter_fn fn) {
  auto id = last_edge().edge_id;
  impl_->code.filters[id] = std::move(fn);
  return *this;
}
workflow& workflow::route(std::string label) { last_edge().route = std::move(label); return *this; }
workflow& workflow::bytes(std::uint64_t n) { last_edge().bytes = n; return *this; }
workflow& workflow::port(std::string p) { last_edge().target_port = std::move(p); return *this; }

workflow& workflow::input(std::string f, std::string t) { mut().def->input_schema[std::move(f)] = std::move(t); return *this; }
workflow& workflow::output(std::string f, std::string t) { mut().def->output_schema[std::move(f)] = std::move(t); return *this; }
workflow& workflow::state(std::string f, std::string t) { mut().def->state_schema[std::move(f)] = std::move(t); return *this; }

const model::dataflow_definition& workflow::definition() const { return *impl_->def; }
const actors::workflow_code& workflow::code() const { return impl_->code; }

}  // namespace causality
