// oneTBB flow graph peer: a static dependency graph with no planning and no
// per-node actor; the lower bound of what a task graph costs here.
#include <chrono>

#include <tbb/flow_graph.h>
#include <tbb/global_control.h>

#include "peers.hpp"

namespace causality::bench {

std::vector<double> run_tbb(const workload& w, int threads, int reps) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  using node_t = tbb::flow::continue_node<tbb::flow::continue_msg>;
  std::vector<double> times;
  for (int r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    tbb::flow::graph g;
    std::vector<std::unique_ptr<node_t>> nodes;
    nodes.reserve(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
      double work = w.work_us[k];
      nodes.push_back(std::make_unique<node_t>(
          g, [work](const tbb::flow::continue_msg&) { busy_work(work); }));
    }
    for (std::size_t k = 0; k < w.size(); ++k)
      for (auto s : w.succs[k]) tbb::flow::make_edge(*nodes[k], *nodes[s]);
    for (std::size_t k = 0; k < w.size(); ++k)
      if (w.preds[k].empty()) nodes[k]->try_put(tbb::flow::continue_msg());
    g.wait_for_all();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return times;
}

}  // namespace causality::bench
