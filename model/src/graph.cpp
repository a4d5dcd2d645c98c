// Index form of a definition and the summary figures of `causality validate`.
// Everything here is O(V + E): the loaders feed it 100k-node workflows.
#include "causality/model/graph.hpp"

#include <algorithm>
#include <unordered_map>

namespace causality::model {

dag build_dag(const dataflow_definition& d) {
  const std::size_t n = d.nodes.size(), m = d.edges.size();
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) index.emplace(d.nodes[i].node_id, i);

  dag g;
  g.succ_edges.resize(n);
  g.pred_edges.resize(n);
  g.edge_src.assign(m, SIZE_MAX);
  g.edge_dst.assign(m, SIZE_MAX);
  std::vector<std::size_t> indegree(n, 0);
  for (std::size_t k = 0; k < m; ++k) {
    auto s = index.find(d.edges[k].source_node);
    auto t = index.find(d.edges[k].target_node);
    if (s == index.end() || t == index.end()) continue;  // invalid input: left unresolved
    g.edge_src[k] = s->second;
    g.edge_dst[k] = t->second;
    g.succ_edges[s->second].push_back(k);
    g.pred_edges[t->second].push_back(k);
    ++indegree[t->second];
  }

  // Kahn's algorithm; the topo vector doubles as the FIFO queue. Nodes on a
  // cycle never reach in-degree 0 and are left out (validation reports them).
  g.topo.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] == 0) g.topo.push_back(i);
  for (std::size_t head = 0; head < g.topo.size(); ++head)
    for (auto e : g.succ_edges[g.topo[head]])
      if (--indegree[g.edge_dst[e]] == 0) g.topo.push_back(g.edge_dst[e]);
  return g;
}

workflow_summary summarize(const dataflow_definition& d) {
  workflow_summary s;
  s.nodes = d.nodes.size();
  s.edges = d.edges.size();
  for (const auto& e : d.edges) s.total_bytes += e.bytes;
  for (const auto& n : d.nodes) s.total_work_ms += static_cast<double>(n.resources.cpu_time_ms);

  dag g = build_dag(d);
  std::vector<std::size_t> level(d.nodes.size(), 1);
  std::vector<double> finish(d.nodes.size(), 0.0);
  for (auto v : g.topo) {
    double start = 0;
    for (auto e : g.pred_edges[v]) {
      level[v] = std::max(level[v], level[g.edge_src[e]] + 1);
      start = std::max(start, finish[g.edge_src[e]]);
    }
    finish[v] = start + static_cast<double>(d.nodes[v].resources.cpu_time_ms);
    s.depth = std::max(s.depth, level[v]);
    s.critical_path_ms = std::max(s.critical_path_ms, finish[v]);
  }
  std::vector<std::size_t> width(s.depth + 1, 0);
  for (auto v : g.topo) s.max_width = std::max(s.max_width, ++width[level[v]]);
  return s;
}

}  // namespace causality::model
