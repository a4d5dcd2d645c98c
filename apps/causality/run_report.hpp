#pragma once
/// \file What `causality run` prints after a run: the summary (text or JSON),
/// the per-node table and the explanations (--explain[=NODE]).

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "causality/observe/run_summary.hpp"

namespace causality::cli {

/// Text report: header lines (status, makespan, cost, adaptive, domains),
/// then one row per node (all of them up to 40 nodes; beyond, the nodes that
/// failed, moved or ran again, then the first ones, with a count of the rest).
void print_run_text(const observe::run_summary& s, double time_scale, bool dynamic, std::ostream& out);

/// The summary as JSON plus the run's settings (time_scale).
nlohmann::json run_json(const observe::run_summary& s, double time_scale);

}  // namespace causality::cli
