#pragma once
/// \file The FORMATS.md time and cost model for one node on one domain, the
/// capability filter, and resource usage estimates. Pure functions.

#include <cstdint>
#include <string>

#include "causality/model/types.hpp"

namespace causality::strategies {

/// Effect cost of `n` on `d`: FORMATS.md
/// `(base + per_unit * ceil(cpu_time_ms/1000)) * complexity * domain_cost_factor`
/// plus the domain-specific terms `proof_cost_per_unit * units` (verifiable
/// domains) and `cost_per_external_call * external_calls` (service domains),
/// both 0 on platforms that do not set them.
double node_cost(const model::dataflow_node& n, const model::domain_spec& d);

/// Static execution time of `n` on `d` (ms): cpu_time_ms / speed.
double exec_ms(const model::dataflow_node& n, const model::domain_spec& d);

/// Why `d` cannot host `n` (hard rules: memory per slot, security level,
/// capabilities, required kind, pinned domain, availability, and the
/// definition's deterministic-only rule); empty when it can.
std::string placement_violation(const model::dataflow_node& n, const model::domain_spec& d,
                                const model::dataflow_definition& def);

/// Resource usage of `n` on `d` alone: cpu_time_ms = slot time it holds
/// (exec ms, exact), memory/storage/network of the node, and
/// estimated_completion_time_ms = exec ms (from its start).
model::resource_usage_estimate node_usage(const model::dataflow_node& n,
                                          const model::domain_spec& d);

}  // namespace causality::strategies
