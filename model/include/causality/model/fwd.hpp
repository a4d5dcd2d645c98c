#pragma once
/// \file Forward declarations of the model's vocabulary, for headers that only
/// name these types (pointers, references, return types) and need not pull in
/// nlohmann/json or the full definitions.

namespace causality::model {

enum class errc;
struct error;
template <class T>
class expected;

struct optimization_strategy;
struct effect_cost_model;
struct resource_usage_estimate;
struct resource_limits;
enum class domain_kind;
struct typed_domain;
struct domain_cost;
struct domain_spec;
struct network_spec;
struct platform;
struct port;
struct dataflow_node;
struct dataflow_edge;
struct dataflow_definition;
struct initiation_hint;
struct dag;
struct workflow_summary;

}  // namespace causality::model
