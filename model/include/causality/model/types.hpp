#pragma once
/// \file The seed's data model ("Runtime Optimization and Orchestration") as
/// C++ value types, with the defaults of DESIGN.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace causality::model {

// ---------------------------------------------------------------- strategies

/// Weights of one optimization strategy (seed: OptimizationStrategy).
/// priority = resource efficiency and the workflow's priority among others,
/// latency = finish time, cost = effect cost.
struct optimization_strategy {
  std::string name;
  std::string description;
  double priority_weight = 0.6;
  double latency_weight = 0.6;
  double cost_weight = 0.6;
};

/// The four built-ins with the seed's reference weights.
optimization_strategy capital_efficiency_strategy();  // 0.8 / 0.3 / 0.5
optimization_strategy latency_strategy();             // 0.5 / 0.9 / 0.2
optimization_strategy cost_minimization_strategy();   // 0.4 / 0.2 / 0.9
optimization_strategy balanced_strategy();            // 0.6 / 0.6 / 0.6
/// The four built-ins in the order above; names are "capital-efficiency",
/// "latency", "cost-minimization", "balanced".
std::vector<optimization_strategy> builtin_strategies();

// ----------------------------------------------------------------- cost model

/// The seed's EffectCostModel.
struct effect_cost_model {
  std::uint64_t base_cost = 100;
  std::uint64_t resource_cost_per_unit = 10;
  double complexity_multiplier = 1.0;
  double domain_cost_factor = 1.0;
  std::uint64_t estimated_duration_ms = 1000;

  /// (base_cost + resource_cost_per_unit * units) * complexity * domain factor.
  double total_cost(std::uint64_t units) const;
  /// Estimated duration scaled by work: the base duration covers one quarter
  /// of the default per-unit work plus overhead, so
  /// estimated_duration_ms * complexity * (1 + units / 4); 4 units -> 2000 ms.
  double execution_time_ms(std::uint64_t units) const;
};

/// Cost units of a node: CPU-seconds at speed 1.0, rounded up, at least 1.
std::uint64_t cost_units(double cpu_time_ms);

// ----------------------------------------------------------- resource usage

/// The seed's ResourceUsageEstimate. Completion time is a duration from the
/// start of the workflow (ms), not a wall-clock timestamp.
struct resource_usage_estimate {
  /// Work in ms at speed 1.0: a finite, non-negative real (FORMATS.md; never rounded).
  double cpu_time_ms = 1000;
  std::uint64_t memory_bytes = 1ull << 20;      // 1 MiB
  std::uint64_t storage_bytes = 512ull << 10;   // 512 KiB
  std::uint64_t network_bytes = 256ull << 10;   // 256 KiB
  double estimated_completion_time_ms = 0.0;
  /// false: cpu_time_ms is the default guess above (the workflow file or the
  /// builder gave none); learned durations replace it after one measured run
  /// (strategies/perf_model.hpp, `causality run --learn`).
  bool cpu_time_given = true;
};

/// Hard limits from an initiation hint. An absent field is no limit.
/// memory_bytes limits the peak sum over concurrently running nodes;
/// the others limit workflow totals; completion_time_ms limits the makespan.
struct resource_limits {
  std::optional<std::uint64_t> cpu_time_ms;
  std::optional<std::uint64_t> memory_bytes;
  std::optional<std::uint64_t> storage_bytes;
  std::optional<std::uint64_t> network_bytes;
  std::optional<double> completion_time_ms;
  bool empty() const {
    return !cpu_time_ms && !memory_bytes && !storage_bytes && !network_bytes &&
           !completion_time_ms;
  }
};

// -------------------------------------------------------------------- domains

enum class domain_kind { compute, service, verifiable };

/// "compute" / "service" / "verifiable".
const char* to_string(domain_kind k);
/// Parses a kind name; nullopt when unknown.
std::optional<domain_kind> parse_domain_kind(const std::string& s);

/// The seed's TypedDomain: what kind of domain a definition or node expects.
struct typed_domain {
  domain_kind kind = domain_kind::compute;
  std::string name;                        ///< optional concrete domain name
  std::vector<std::string> external_apis;  ///< service: APIs it may call
  bool allows_nondeterminism = false;      ///< service: true by default
  std::vector<std::string> zk_constraints; ///< verifiable: constraint systems
  bool deterministic_only = false;         ///< verifiable: true by default

  static typed_domain compute();
  static typed_domain service(std::vector<std::string> apis = {});
  static typed_domain verifiable(std::vector<std::string> zk = {});
};

/// Cost parameters of a domain (platform file "cost").
struct domain_cost {
  std::uint64_t base_cost = 100;
  std::uint64_t resource_cost_per_unit = 10;
  double domain_cost_factor = 1.0;
  /// Domain-specific terms (0 by default so FORMATS.md costs hold):
  double proof_cost_per_unit = 0.0;    ///< verifiable: extra per cost unit
  double cost_per_external_call = 0.0; ///< service: extra per external call
};

/// One execution domain of a platform (FORMATS.md).
struct domain_spec {
  std::string name;
  domain_kind kind = domain_kind::compute;
  std::uint32_t slots = 1;
  double speed = 1.0;
  std::uint64_t memory_bytes = 16ull << 30;   ///< per slot
  std::uint64_t storage_bytes = 1ull << 40;
  std::uint32_t security_level = 1;
  std::vector<std::string> capabilities;
  domain_cost cost;
  std::optional<std::string> endpoint;  ///< host:port of a remote domain server
  bool available = true;

  bool has_capability(const std::string& c) const;
};

/// The network between domains (FORMATS.md).
struct network_spec {
  double bandwidth_bytes_per_s = 125000000.0;
  double latency_ms = 1.0;
  std::map<std::string, double> cross_domain_multiplier;  ///< "a->b" by kind

  /// Multiplier for a transfer from a domain of kind a to one of kind b.
  double multiplier(domain_kind a, domain_kind b) const;
  /// Transfer time of an edge between two different domains (FORMATS.md).
  double transfer_ms(std::uint64_t bytes, domain_kind a, domain_kind b) const;
};

/// A platform file.
struct platform {
  std::string name;
  std::vector<domain_spec> domains;
  network_spec network;

  /// Index of the domain with that name, or nullopt.
  std::optional<std::size_t> find_domain(const std::string& name) const;
};

// ------------------------------------------------------------------ dataflow

/// A named, typed port of a node.
struct port {
  std::string name;
  std::string type = "any";
};

/// What an `exec` node runs (FORMATS.md "Nodes that run commands"): argv as
/// given (no shell), env added to the runtime's environment, cwd (empty: the
/// runtime's working directory).
struct exec_spec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::string cwd;
  bool operator==(const exec_spec& o) const { return argv == o.argv && env == o.env && cwd == o.cwd; }
};

/// How often a failing node is tried and how long to wait in between
/// (FORMATS.md "Retries, timeouts, continue on failure"; ranges: limits.hpp).
struct retry_policy {
  std::uint32_t max_attempts = 1;   ///< attempts in all; 1 = no retry
  double initial_backoff_ms = 100;  ///< wait before the 2nd attempt
  double multiplier = 2.0;          ///< growth per further attempt
  double max_backoff_ms = 30000;    ///< cap before jitter
  double jitter = 0.0;              ///< fraction added at random: delay * (1 + jitter * u)
};

/// A workflow's run-wide policies (the file's "policies"): defaults of
/// every node without its own; a run's settings (spawn_options, `causality
/// run` flags) override them. Unset: the runtime's.
struct run_policies {
  std::optional<retry_policy> retry;
  std::optional<double> timeout_ms;  ///< per node, from its start
  std::optional<bool> continue_on_failure;
  bool empty() const { return !retry && !timeout_ms && !continue_on_failure; }
};

/// The seed's ProcessDataflowNode.
struct dataflow_node {
  std::string node_id;
  std::string name;
  std::string node_type = "noop";  ///< logic looked up by name at run time
  std::vector<port> input_ports;
  std::vector<port> output_ports;
  std::string logic_ref;            ///< optional reference to the logic
  std::optional<std::string> domain;  ///< pinned domain name (hard)
  std::optional<domain_kind> required_kind;  ///< hard: only domains of this kind
  resource_usage_estimate resources;
  double complexity = 1.0;
  std::uint32_t security_level = 0;
  std::vector<std::string> capabilities;  ///< all required of the domain
  std::uint32_t external_calls = 0;       ///< service calls the node makes
  std::map<std::string, std::string> params;  ///< free-form parameters
  std::optional<exec_spec> exec;              ///< node_type "exec": the command
  std::optional<retry_policy> retry;          ///< its own retry policy (else the run's)
  std::optional<double> timeout_ms;           ///< its own timeout from its start (else the run's)
};

/// The seed's ProcessDataflowEdge: data flow with transform, filter, route.
/// transform / filter / route are names of registered functions (or
/// expressions) resolved by the runtime; empty means none.
struct dataflow_edge {
  std::string edge_id;
  std::string source_node;
  std::string target_node;
  std::string source_port;
  std::string target_port;
  std::uint64_t bytes = 0;
  std::string transform;
  std::string filter;
  std::string route;
};

/// The seed's ProcessDataflowDefinition.
struct dataflow_definition {
  std::string definition_id;
  std::string name;
  std::map<std::string, std::string> input_schema;   ///< field -> type name
  std::map<std::string, std::string> output_schema;
  std::map<std::string, std::string> state_schema;
  std::vector<dataflow_node> nodes;
  std::vector<dataflow_edge> edges;
  typed_domain default_typed_domain;
  run_policies policies;

  /// Index of the node with that id, or nullopt (linear; build a map for loops).
  std::optional<std::size_t> find_node(const std::string& id) const;
};

/// Schema type names accepted in input/output/state schemas and port types.
bool is_known_schema_type(const std::string& t);
/// All accepted schema type names, for error messages.
const std::vector<std::string>& known_schema_types();

/// The seed's ProcessDataflowInitiationHint (all eight fields).
struct initiation_hint {
  std::string preferred_strategy_id = "balanced";
  std::uint32_t priority = 50;
  std::optional<std::string> dataflow_definition_id;
  resource_limits resource_constraints;
  /// Domain names or kind names ("service"), most preferred first. Soft.
  std::vector<std::string> domain_preference_order;
  bool prefer_parallel_execution = false;
  std::optional<std::uint64_t> max_latency_ms;
  std::optional<std::uint64_t> cost_budget;
  /// The trade-off's makespan stretch: the cheapest plan considered may take
  /// at most this many times the fastest plan's makespan (docs/planner.md;
  /// unset: 3). Soft: it shapes the choice, it limits nothing.
  std::optional<double> makespan_stretch;
};

// ------------------------------------------------------------------ equality
// Field-by-field equality: what "lossless round trip" is measured against.

/// Field-by-field equality of model values.
bool operator==(const optimization_strategy& a, const optimization_strategy& b);
bool operator==(const resource_usage_estimate& a, const resource_usage_estimate& b);
bool operator==(const resource_limits& a, const resource_limits& b);
bool operator==(const typed_domain& a, const typed_domain& b);
bool operator==(const domain_cost& a, const domain_cost& b);
bool operator==(const domain_spec& a, const domain_spec& b);
bool operator==(const network_spec& a, const network_spec& b);
bool operator==(const platform& a, const platform& b);
bool operator==(const port& a, const port& b);
bool operator==(const retry_policy& a, const retry_policy& b);
bool operator==(const run_policies& a, const run_policies& b);
bool operator==(const dataflow_node& a, const dataflow_node& b);
bool operator==(const dataflow_edge& a, const dataflow_edge& b);
bool operator==(const dataflow_definition& a, const dataflow_definition& b);
bool operator==(const initiation_hint& a, const initiation_hint& b);

/// Negations of the field-by-field equalities.
inline bool operator!=(const optimization_strategy& a, const optimization_strategy& b) { return !(a == b); }
inline bool operator!=(const resource_usage_estimate& a, const resource_usage_estimate& b) { return !(a == b); }
inline bool operator!=(const resource_limits& a, const resource_limits& b) { return !(a == b); }
inline bool operator!=(const typed_domain& a, const typed_domain& b) { return !(a == b); }
inline bool operator!=(const domain_cost& a, const domain_cost& b) { return !(a == b); }
inline bool operator!=(const domain_spec& a, const domain_spec& b) { return !(a == b); }
inline bool operator!=(const network_spec& a, const network_spec& b) { return !(a == b); }
inline bool operator!=(const platform& a, const platform& b) { return !(a == b); }
inline bool operator!=(const port& a, const port& b) { return !(a == b); }
inline bool operator!=(const retry_policy& a, const retry_policy& b) { return !(a == b); }
inline bool operator!=(const run_policies& a, const run_policies& b) { return !(a == b); }
inline bool operator!=(const dataflow_node& a, const dataflow_node& b) { return !(a == b); }
inline bool operator!=(const dataflow_edge& a, const dataflow_edge& b) { return !(a == b); }
inline bool operator!=(const dataflow_definition& a, const dataflow_definition& b) { return !(a == b); }
inline bool operator!=(const initiation_hint& a, const initiation_hint& b) { return !(a == b); }

}  // namespace causality::model
