#pragma once
/// \file Graph helpers over a definition: adjacency, topological order,
/// summary figures.

#include <cstdint>
#include <vector>

#include "causality/model/types.hpp"

namespace causality::model {

/// Index-based adjacency of a definition (edges resolved to node indices).
struct dag {
  std::vector<std::vector<std::size_t>> succ_edges;  ///< node -> outgoing edge indices
  std::vector<std::vector<std::size_t>> pred_edges;  ///< node -> incoming edge indices
  std::vector<std::size_t> edge_src, edge_dst;       ///< edge -> node indices
  std::vector<std::size_t> topo;                     ///< a topological order
};

/// Builds the index form; the definition must be valid (validate_definition).
dag build_dag(const dataflow_definition& d);

/// Figures printed by `causality validate`.
struct workflow_summary {
  std::size_t nodes = 0;
  std::size_t edges = 0;
  std::size_t depth = 0;        ///< levels on the longest path (in nodes)
  std::size_t max_width = 0;    ///< most nodes on one level
  double total_work_ms = 0;     ///< sum of cpu_time_ms
  double critical_path_ms = 0;  ///< longest path by cpu_time_ms, transfers free
  std::uint64_t total_bytes = 0;
};
workflow_summary summarize(const dataflow_definition& d);

}  // namespace causality::model
