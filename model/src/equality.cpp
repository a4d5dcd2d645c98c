// Field-by-field equality of the model's value types. Kept next to each other
// so a field added to a type is easy to add here too (the round-trip tests
// compare through these).
#include "causality/model/types.hpp"

#include <tuple>

namespace causality::model {

bool operator==(const optimization_strategy& a, const optimization_strategy& b) {
  return std::tie(a.name, a.description, a.priority_weight, a.latency_weight, a.cost_weight) ==
         std::tie(b.name, b.description, b.priority_weight, b.latency_weight, b.cost_weight);
}

bool operator==(const resource_usage_estimate& a, const resource_usage_estimate& b) {
  return std::tie(a.cpu_time_ms, a.cpu_time_given, a.memory_bytes, a.storage_bytes, a.network_bytes,
                  a.estimated_completion_time_ms) ==
         std::tie(b.cpu_time_ms, b.cpu_time_given, b.memory_bytes, b.storage_bytes, b.network_bytes,
                  b.estimated_completion_time_ms);
}

bool operator==(const resource_limits& a, const resource_limits& b) {
  return std::tie(a.cpu_time_ms, a.memory_bytes, a.storage_bytes, a.network_bytes,
                  a.completion_time_ms) == std::tie(b.cpu_time_ms, b.memory_bytes,
                                                    b.storage_bytes, b.network_bytes,
                                                    b.completion_time_ms);
}

bool operator==(const typed_domain& a, const typed_domain& b) {
  return std::tie(a.kind, a.name, a.external_apis, a.allows_nondeterminism, a.zk_constraints,
                  a.deterministic_only) == std::tie(b.kind, b.name, b.external_apis,
                                                    b.allows_nondeterminism, b.zk_constraints,
                                                    b.deterministic_only);
}

bool operator==(const domain_cost& a, const domain_cost& b) {
  return std::tie(a.base_cost, a.resource_cost_per_unit, a.domain_cost_factor,
                  a.proof_cost_per_unit, a.cost_per_external_call) ==
         std::tie(b.base_cost, b.resource_cost_per_unit, b.domain_cost_factor,
                  b.proof_cost_per_unit, b.cost_per_external_call);
}

bool operator==(const domain_spec& a, const domain_spec& b) {
  return std::tie(a.name, a.kind, a.slots, a.speed, a.memory_bytes, a.storage_bytes,
                  a.security_level, a.capabilities, a.cost, a.endpoint, a.available) ==
         std::tie(b.name, b.kind, b.slots, b.speed, b.memory_bytes, b.storage_bytes,
                  b.security_level, b.capabilities, b.cost, b.endpoint, b.available);
}

bool operator==(const network_spec& a, const network_spec& b) {
  return std::tie(a.bandwidth_bytes_per_s, a.latency_ms, a.cross_domain_multiplier) ==
         std::tie(b.bandwidth_bytes_per_s, b.latency_ms, b.cross_domain_multiplier);
}

bool operator==(const platform& a, const platform& b) {
  return std::tie(a.name, a.domains, a.network) == std::tie(b.name, b.domains, b.network);
}

bool operator==(const port& a, const port& b) {
  return std::tie(a.name, a.type) == std::tie(b.name, b.type);
}

bool operator==(const retry_policy& a, const retry_policy& b) {
  return std::tie(a.max_attempts, a.initial_backoff_ms, a.multiplier, a.max_backoff_ms, a.jitter) ==
         std::tie(b.max_attempts, b.initial_backoff_ms, b.multiplier, b.max_backoff_ms, b.jitter);
}

bool operator==(const run_policies& a, const run_policies& b) {
  return std::tie(a.retry, a.timeout_ms, a.continue_on_failure) ==
         std::tie(b.retry, b.timeout_ms, b.continue_on_failure);
}

bool operator==(const dataflow_node& a, const dataflow_node& b) {
  return std::tie(a.node_id, a.name, a.node_type, a.input_ports, a.output_ports, a.logic_ref,
                  a.domain, a.required_kind, a.resources, a.complexity, a.security_level,
                  a.capabilities, a.external_calls, a.params, a.exec, a.retry, a.timeout_ms) ==
         std::tie(b.node_id, b.name, b.node_type, b.input_ports, b.output_ports, b.logic_ref,
                  b.domain, b.required_kind, b.resources, b.complexity, b.security_level,
                  b.capabilities, b.external_calls, b.params, b.exec, b.retry, b.timeout_ms);
}

bool operator==(const dataflow_edge& a, const dataflow_edge& b) {
  return std::tie(a.edge_id, a.source_node, a.target_node, a.source_port, a.target_port,
                  a.bytes, a.transform, a.filter, a.route) ==
         std::tie(b.edge_id, b.source_node, b.target_node, b.source_port, b.target_port,
                  b.bytes, b.transform, b.filter, b.route);
}

bool operator==(const dataflow_definition& a, const dataflow_definition& b) {
  return std::tie(a.definition_id, a.name, a.input_schema, a.output_schema, a.state_schema,
                  a.nodes, a.edges, a.default_typed_domain, a.policies) ==
         std::tie(b.definition_id, b.name, b.input_schema, b.output_schema, b.state_schema,
                  b.nodes, b.edges, b.default_typed_domain, b.policies);
}

bool operator==(const initiation_hint& a, const initiation_hint& b) {
  return std::tie(a.preferred_strategy_id, a.priority, a.dataflow_definition_id,
                  a.resource_constraints, a.domain_preference_order,
                  a.prefer_parallel_execution, a.max_latency_ms, a.cost_budget, a.makespan_stretch) ==
         std::tie(b.preferred_strategy_id, b.priority, b.dataflow_definition_id,
                  b.resource_constraints, b.domain_preference_order,
                  b.prefer_parallel_execution, b.max_latency_ms, b.cost_budget, b.makespan_stretch);
}

}  // namespace causality::model
