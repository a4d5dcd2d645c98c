#pragma once
/// \file The built-in node types every domain runs, in-process or on a
/// domain server: `noop` and `work`. Written once, here.

#include <map>
#include <string>

#include "causality/domains/node.hpp"

namespace causality::domains {

/// `noop`: returns its input.
value noop(const value& in, node_context& ctx);

/// How long `work` keeps a CPU busy, ms: cpu_time_ms / speed (FORMATS.md)
/// times the runtime's time scale.
double work_ms(double cpu_time_ms, double speed, double time_scale);

/// Busy CPU for `ms` milliseconds; returns false (early) once `token` is cancelled.
bool spin_for_ms(double ms, const cancel_token& token = {});

/// `work`: keeps a CPU busy for work_ms(node's cpu_time_ms, domain speed,
/// time scale), watching its cancellation token (throws "cancelled");
/// passes its input on.
value work(const value& in, node_context& ctx);

/// The built-in node types by name: "noop", "work".
const std::map<std::string, node_fn>& builtin_node_types();

}  // namespace causality::domains
