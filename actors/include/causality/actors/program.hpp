#pragma once
/// \file A workflow compiled for one platform: node bodies resolved, edges in
/// index form, eligible domains per node. Immutable and shared by every run.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "causality/actors/retry.hpp"
#include "causality/actors/value.hpp"
#include "causality/domains/node.hpp"
#include "causality/model/error.hpp"
#include "causality/model/types.hpp"

namespace causality::actors {

// What a node body sees and is (causality::domains, CAF-free).
using domains::cancel_token;
using domains::node_context;
using domains::node_fn;
using domains::workflow_state;

/// Maps the value carried by an edge.
using transform_fn = std::function<value(const value&)>;
/// False: the edge does not fire.
using filter_fn = std::function<bool(const value&)>;
/// Route labels chosen by a routing node; only out-edges whose `route`
/// label is listed fire (edges without a label always fire).
using router_fn = std::function<std::vector<std::string>(const value& out)>;

/// Per-node overrides of the run's defaults.
struct node_options {
  std::optional<retry_policy> retry;
  std::optional<double> timeout_ms;
};

/// Everything a definition needs beyond its data: code by node, edge, router.
struct workflow_code {
  std::unordered_map<std::string, node_fn> bodies;       ///< by node id (else node_type)
  std::unordered_map<std::string, transform_fn> transforms;  ///< by edge id
  std::unordered_map<std::string, filter_fn> filters;        ///< by edge id
  std::unordered_map<std::string, router_fn> routers;        ///< by node id
  std::unordered_map<std::string, node_options> options;     ///< by node id
};

/// Named functions a file-defined workflow refers to (node_type, edge
/// transform / filter names, node param "router").
struct function_registry {
  std::unordered_map<std::string, std::shared_ptr<const node_fn>> node_types;
  std::unordered_map<std::string, transform_fn> transforms;
  std::unordered_map<std::string, filter_fn> filters;
  std::unordered_map<std::string, router_fn> routers;
};

/// The compiled form.
struct program {
  struct edge_code {
    transform_fn transform;
    filter_fn filter;
  };
  std::shared_ptr<const model::dataflow_definition> def;
  std::shared_ptr<const model::platform> platform;
  std::vector<std::shared_ptr<const node_fn>> body;  ///< per node
  std::vector<std::uint32_t> succ_off, succ;         ///< CSR: node -> out-edge indices
  std::vector<std::uint32_t> pred_off, pred;         ///< CSR: node -> in-edge indices
  std::vector<std::uint32_t> edge_src, edge_dst;
  std::vector<std::int32_t> edge_code_of;            ///< -1 or index; empty if none
  std::vector<edge_code> edge_codes;
  std::unordered_map<std::uint32_t, router_fn> routers;
  std::unordered_map<std::uint32_t, node_options> options;
  std::vector<std::uint64_t> eligible;               ///< per node: bit d = domain d may host it
  std::vector<std::uint32_t> topo;                   ///< a topological order
  std::vector<std::uint32_t> sinks;                  ///< nodes without out-edges

  std::size_t size() const { return body.size(); }
  std::uint32_t in_degree(std::uint32_t n) const { return pred_off[n + 1] - pred_off[n]; }
};

/// Compiles a definition for a platform. Code comes from `code` (by node /
/// edge id) and then from `registry` (by node_type / function name). Errors
/// name the JSON path: unknown node type or function, edge to an unknown
/// node, a cycle, a node no domain can host, more than 64 domains.
/// A remote domain (with an `endpoint`) runs a node only by its node type,
/// and only a type `remote_types[d]` lists when that is known (the server's
/// handshake); a local domain only a node whose body is here (code or
/// registry). A node no domain can run so is refused naming node, type
/// and each domain's reason.
model::expected<std::shared_ptr<const program>> compile(
    std::shared_ptr<const model::dataflow_definition> def, const workflow_code& code,
    const function_registry& registry, std::shared_ptr<const model::platform> platform,
    const std::vector<std::optional<std::set<std::string>>>& remote_types = {});

}  // namespace causality::actors
