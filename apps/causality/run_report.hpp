#pragma once
/// \file What `causality run` prints after a run: the summary (text or JSON),
/// the per-node table and the explanations (--explain[=NODE]).

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "causality/actors/run_state.hpp"
#include "causality/observe/run_summary.hpp"

namespace causality::cli {

/// Text report: header lines (status, makespan, cost, adaptive, domains),
/// then one row per node (all of them up to 40 nodes; beyond, the nodes that
/// failed, moved or ran again, then the first ones, with a count of the rest).
void print_run_text(const observe::run_summary& s, double time_scale, bool dynamic, std::ostream& out);

/// The summary as JSON plus the run's settings (time_scale).
nlohmann::json run_json(const observe::run_summary& s, double time_scale);

/// "attempts:" then a line per failed attempt (node, attempt number, its
/// error; at most 100 lines, then a count), for nodes that failed at least once.
void print_attempt_errors(const std::vector<actors::node_result>& results, std::ostream& out);

/// Adds each node's "attempt_errors" (every failed attempt's error, in
/// order; [] when none) to the records of run_json's "nodes".
void add_attempt_errors(nlohmann::json& j, const std::vector<actors::node_result>& results);
/// "stderr of nodes that succeeded:": each such node's stderr tail (at most
/// 20 nodes, 1000 bytes each; every one in --format json as the node's "stderr").
void print_stderr_tails(const std::vector<actors::node_result>& results, std::ostream& out);

}  // namespace causality::cli
