#pragma once
/// \file Pictures of a plan: a Gantt chart (SVG) with one lane per domain
/// slot, bars coloured by node type, planned versus actual times and the
/// critical path; and the definition as a Graphviz DOT graph.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::observe {

/// When a node really ran (ms since the workflow started).
struct node_span {
  double start_ms = 0;
  double finish_ms = 0;
};

/// What to draw besides the plan.
struct gantt_options {
  /// Measured times per node index: empty, or one entry per node (nullopt for
  /// nodes that did not run). Drawn as a thin bar under the planned one.
  std::vector<std::optional<node_span>> actual;
  std::string title;       ///< default: "<workflow> on <platform> (<strategy>)"
  double width_px = 1200;  ///< whole picture
};

/// Slot lanes of a plan: the plan says only which domain a node runs on, so
/// nodes are packed greedily (by start time) into the first free slot.
struct lane_layout {
  std::vector<std::size_t> lane_of_node;       ///< slot index within its domain
  std::vector<std::size_t> lanes_of_domain;    ///< max(slots, lanes needed)
};

/// Packs the plan's nodes into slot lanes. The plan must be checked first
/// (check_plan_shape).
lane_layout assign_lanes(const model::platform& plat, const strategies::plan& p);

/// Critical path of the schedule: from the node finishing last, repeatedly
/// the predecessor that bound its start (latest data arrival including
/// transfer time, else a node on the same domain finishing exactly then).
/// Returns node indices from first to last.
std::vector<std::size_t> critical_path(const model::dataflow_definition& def,
                                       const model::platform& plat, const strategies::plan& p);

/// Checks that the plan fits the definition and platform (one assignment per
/// node, indices in range, finite times with start <= finish).
model::status check_plan_shape(const model::dataflow_definition& def,
                               const model::platform& plat, const strategies::plan& p);

/// The Gantt chart as SVG text; errors from check_plan_shape or a bad
/// `actual` size.
model::expected<std::string> gantt_svg(const model::dataflow_definition& def,
                                       const model::platform& plat, const strategies::plan& p,
                                       const gantt_options& opts = {});

/// Writes gantt_svg to `path`; errors name the file.
model::status write_gantt_svg(const std::string& path, const model::dataflow_definition& def,
                              const model::platform& plat, const strategies::plan& p,
                              const gantt_options& opts = {});

/// The definition as a DOT digraph: node labels with id, type (and domain
/// when a plan is given), edge labels with bytes, transform, filter, route.
std::string to_dot(const model::dataflow_definition& def);
/// As above, with each node's domain from the plan (must pass check_plan_shape).
std::string to_dot(const model::dataflow_definition& def, const model::platform& plat,
                   const strategies::plan& p);

/// Writes `text` to `path`, replacing it; errors name the file.
model::status write_text_file(const std::string& path, const std::string& text);

}  // namespace causality::observe
