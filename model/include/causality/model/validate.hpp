#pragma once
/// \file Structural and platform validation of definitions and hints.

#include <string>
#include <vector>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"

namespace causality::model {

/// Ids unique, edges name known nodes and ports, no cycle (the error names
/// the nodes on it), schema types known, numbers finite and non-negative.
status validate_definition(const dataflow_definition& d, const std::string& file);

/// A platform is usable: at least one domain, names non-empty and unique,
/// slots >= 1, speed, bandwidth and multipliers finite and positive, costs
/// and latency finite and non-negative, multiplier keys "<kind>-><kind>".
/// platform_from_json applies it, so in-memory and file platforms obey one rule set.
status validate_platform(const platform& p, const std::string& file);

/// Every pinned domain exists; every node has at least one domain that can
/// host it (memory per slot, security level, capabilities, kind); the error
/// says which requirement no domain meets.
status validate_against_platform(const dataflow_definition& d, const platform& p,
                                 const std::string& file);

/// Why domain `dom` cannot host node `n`, or empty when it can. The single
/// source of truth for hard placement rules, used by the planner too.
std::string hosting_violation(const dataflow_node& n, const domain_spec& dom);

/// The hint names a known strategy (`known` lists accepted names) and sane limits.
status validate_hint(const initiation_hint& h, const std::vector<std::string>& known,
                     const std::string& file);
/// Each entry of the hint's domain_preference_order names a domain or a kind
/// of platform `p` (path /domain_preference_order/K; the reason names the
/// closest known name and lists them).
status validate_domain_order(const initiation_hint& h, const platform& p, const std::string& file);
/// The hint's numbers and names within limits.hpp's bounds (priority 0..100,
/// budgets, latencies, ids), whatever strategies are known.
status validate_hint_values(const initiation_hint& h, const std::string& file);
/// A retry policy within limits.hpp's bounds (max_attempts 1.., backoffs,
/// multiplier, jitter), the error at `path`/FIELD; for policies set in code
/// (runtime_config, spawn_options) as for files.
status validate_retry_policy(const retry_policy& r, const std::string& file, const std::string& path);
/// A node timeout (ms): > 0 and within limits.hpp's bound; none is fine.
status validate_timeout(const std::optional<double>& t, const std::string& file, const std::string& path);

}  // namespace causality::model
