#pragma once
/// \file The chainable workflow builder: nodes are C++ callables, edges may
/// transform, filter and route. A workflow is cheap to copy (shared, copy on write).

#include <memory>
#include <string>

#include "causality/actors/program.hpp"
#include "causality/model/types.hpp"

namespace causality {

using actors::node_context;
using actors::node_fn;
using actors::retry_policy;
using actors::value;

/// A dataflow definition plus the code of its nodes and edges. Node options
/// (resources(), domain(), retry(), ...) apply to the node added last, also
/// after an edge; edge options (transform(), ...) to the edge added last.
class workflow {
 public:
  /// An empty workflow named `name`.
  explicit workflow(std::string name = "workflow");
  /// Wraps a definition (e.g. loaded from a file); node bodies come from the
  /// runtime's node types by `node_type`.
  static workflow from_definition(model::dataflow_definition def);

  /// Adds a node running `fn`.
  workflow& node(std::string id, node_fn fn);
  /// Adds a node running the registered node type `type` (e.g. "work").
  workflow& node_of_type(std::string id, std::string type);
  /// Resource estimate of the last node.
  workflow& resources(model::resource_usage_estimate r);
  /// CPU time (ms at speed 1.0) of the last node; used by planning and `work`.
  workflow& cpu_ms(double ms);
  /// Complexity multiplier of the last node.
  workflow& complexity(double c);
  /// Pins the last node to a domain by name (hard).
  workflow& domain(std::string name);
  /// Restricts the last node to domains of a kind (hard).
  workflow& kind(model::domain_kind k);
  /// Security level the last node needs.
  workflow& security_level(std::uint32_t level);
  /// A capability the last node needs of its domain.
  workflow& capability(std::string c);
  /// A free-form parameter of the last node.
  workflow& param(std::string key, std::string value);
  /// Retry policy of the last node (else the run's).
  workflow& retry(retry_policy p);
  /// Timeout of the last node, from its start (else the run's): an attempt
  /// that exceeds it is cancelled and ends `timed_out`, a failure of the
  /// node (retried while it has attempts left).
  workflow& timeout_ms(double ms);
  /// Makes the last node an `exec` node running `e` (FORMATS.md "Nodes that run commands").
  workflow& exec(model::exec_spec e);
  /// The workflow's run-wide policies (a file's "policies"): retry,
  /// timeout_ms and continue_on_failure for nodes without their own; a
  /// spawn's options override them.
  workflow& policies(model::run_policies p);
  /// Makes the last node a routing node: only out-edges whose route label
  /// `fn` returns receive its output (edges without a label always do).
  workflow& router(actors::router_fn fn);

  /// Adds an edge; options below then apply to it.
  workflow& edge(const std::string& from, const std::string& to);
  /// Maps the value carried by the last edge.
  workflow& transform(actors::transform_fn fn);
  /// The last edge fires only when `fn` returns true.
  workflow& filter(actors::filter_fn fn);
  /// Route label of the last edge (see router()).
  workflow& route(std::string label);
  /// Bytes the last edge carries (for planning transfer times).
  workflow& bytes(std::uint64_t n);
  /// Key under which the last edge's value appears in a multi-input node's input object.
  workflow& port(std::string target_port);

  /// Declares a workflow input field (checked at spawn).
  workflow& input(std::string field, std::string type);
  /// Declares a workflow output field (checked at the end).
  workflow& output(std::string field, std::string type);
  /// Declares a workflow state field (checked on every update).
  workflow& state(std::string field, std::string type);

  /// The definition built so far.
  const model::dataflow_definition& definition() const;
  /// The code attached so far.
  const actors::workflow_code& code() const;

  struct impl;
  /// Shared internals (the runtime caches the compiled form there).
  const std::shared_ptr<impl>& internals() const { return impl_; }

 private:
  impl& mut();
  model::dataflow_node& last_node();
  model::dataflow_edge& last_edge();
  std::shared_ptr<impl> impl_;
};

}  // namespace causality
