// The Gantt and DOT writers on the shared WfCommons workloads, with a
// feasible schedule computed here (earliest free slot, topological order).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"
#include "causality/observe/gantt.hpp"

using namespace causality;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// Round-robin over domains in topological order, each node on the slot that
// frees first, after its inputs arrived (FORMATS.md transfer times).
strategies::plan list_schedule(const model::dataflow_definition& def, const model::platform& plat) {
  auto g = model::build_dag(def);
  strategies::plan p;
  p.assignments.resize(def.nodes.size());
  std::vector<std::vector<double>> slot_free(plat.domains.size());
  for (std::size_t d = 0; d < plat.domains.size(); ++d) slot_free[d].assign(plat.domains[d].slots, 0);
  std::size_t k = 0;
  for (auto v : g.topo) {
    std::size_t d = k++ % plat.domains.size();
    double ready = 0;
    for (auto e : g.pred_edges[v]) {
      const auto& u = p.assignments[g.edge_src[e]];
      double t = u.finish_ms;
      if (u.domain != d)
        t += plat.network.transfer_ms(def.edges[e].bytes, plat.domains[u.domain].kind,
                                      plat.domains[d].kind);
      ready = std::max(ready, t);
    }
    auto slot = std::min_element(slot_free[d].begin(), slot_free[d].end());
    double start = std::max(ready, *slot);
    double finish = start + double(def.nodes[v].resources.cpu_time_ms) / plat.domains[d].speed;
    *slot = finish;
    p.assignments[v] = {v, d, start, finish, 0};
    p.makespan_ms = std::max(p.makespan_ms, finish);
  }
  return p;
}

}  // namespace

TEST_CASE("Gantt and DOT of every shared workload have one bar per node and every edge",
          "[observe][gantt][workloads]") {
  auto file = GENERATE(as<std::string>{}, "1000genome-chameleon-2ch-100k-001.json",
                       "blast-chameleon-small-001.json",
                       "epigenomics-chameleon-hep-1seq-100k-001.json",
                       "helloworld-forkjoin-10-chameleon.json",
                       "montage-chameleon-dss-05d-001.json", "seismology-chameleon-100p-001.json");
  CAPTURE(file);
  const std::string shared = CAUSALITY_SHARED_DIR;
  auto def = model::load_workflow_file(shared + "/workloads/wfcommons/" + file);
  REQUIRE(def);
  auto plat = model::load_platform_file(shared + "/workloads/platforms/hetero-3.json");
  REQUIRE(plat);
  auto plan = list_schedule(*def, *plat);

  auto svg = observe::gantt_svg(*def, *plat, plan);
  REQUIRE(svg);
  CHECK(count(*svg, "class=\"bar planned") == def->nodes.size());
  for (const auto& d : plat->domains)
    CHECK(count(*svg, "<g class=\"lane\" data-domain=\"" + d.name + "\"") == d.slots);

  // The critical path is a chain: each step an edge or the same domain's slot
  // handing over, ending at the makespan.
  auto path = observe::critical_path(*def, *plat, plan);
  REQUIRE_FALSE(path.empty());
  CHECK(plan.assignments[path.back()].finish_ms == plan.makespan_ms);
  auto g = model::build_dag(*def);
  for (std::size_t i = 1; i < path.size(); ++i) {
    auto u = path[i - 1], v = path[i];
    bool edge = false;
    for (auto e : g.pred_edges[v]) edge = edge || g.edge_src[e] == u;
    bool slot = plan.assignments[u].domain == plan.assignments[v].domain &&
                std::abs(plan.assignments[u].finish_ms - plan.assignments[v].start_ms) < 1e-6;
    CHECK((edge || slot));
  }
  CHECK(count(*svg, "bar planned critical") == path.size());

  auto dot = observe::to_dot(*def, *plat, plan);
  CHECK(count(dot, " -> ") == def->edges.size());
  CHECK(count(dot, "\\ndomain: ") == def->nodes.size());
}
