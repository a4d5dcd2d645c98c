// The shared WfCommons workloads load with the figures their README lists,
// and survive a round trip through the project's JSON form.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"

using namespace causality::model;

namespace {

struct readme_row {
  const char* file;
  std::size_t tasks;
  std::size_t edges;
  double runtime_s;  ///< rounded to whole seconds in the README
  std::uint64_t bytes;
};

// Copied from ../examples/workloads/README.md.
const std::vector<readme_row>& readme_table() {
  static const std::vector<readme_row> rows = {
      {"1000genome-chameleon-2ch-100k-001.json", 52, 76, 2771, 11240567},
      {"blast-chameleon-small-001.json", 43, 120, 383, 794},
      {"epigenomics-chameleon-hep-1seq-100k-001.json", 41, 48, 539, 353323676},
      {"helloworld-forkjoin-10-chameleon.json", 10, 16, 1029, 145454560},
      {"montage-chameleon-dss-05d-001.json", 58, 114, 5586, 7139413893ull},
      {"seismology-chameleon-100p-001.json", 101, 100, 72, 605920},
  };
  return rows;
}

std::string workload(const char* file) {
  return std::string(CAUSALITY_SHARED_DIR) + "/workloads/wfcommons/" + file;
}

}  // namespace

TEST_CASE("every shared WfCommons workload loads with the README's counts and bytes",
          "[model][wfcommons]") {
  auto row = GENERATE(from_range(readme_table()));
  CAPTURE(row.file);
  auto d = load_workflow_file(workload(row.file));
  REQUIRE(d);
  auto s = summarize(*d);
  CHECK(s.nodes == row.tasks);
  CHECK(s.edges == row.edges);
  CHECK(s.total_bytes == row.bytes);
  CHECK(s.total_work_ms == Approx(row.runtime_s * 1000.0).margin(500.0));
}

TEST_CASE("every shared workload survives a round trip through the project's JSON form",
          "[model][roundtrip]") {
  auto row = GENERATE(from_range(readme_table()));
  CAPTURE(row.file);
  auto d = load_workflow_file(workload(row.file));
  REQUIRE(d);
  // Through text, as a user would save and reload it.
  auto text = definition_to_json(*d).dump();
  auto j = parse_json(text, "roundtrip");
  REQUIRE(j);
  auto back = definition_from_json(*j, "roundtrip");
  REQUIRE(back);
  CHECK(back->definition_id == d->definition_id);
  CHECK(back->name == d->name);
  CHECK(back->input_schema == d->input_schema);
  CHECK(back->output_schema == d->output_schema);
  CHECK(back->state_schema == d->state_schema);
  CHECK(back->default_typed_domain == d->default_typed_domain);
  REQUIRE(back->nodes.size() == d->nodes.size());
  for (std::size_t i = 0; i < d->nodes.size(); ++i) {
    CAPTURE(i);
    CHECK(back->nodes[i] == d->nodes[i]);
  }
  REQUIRE(back->edges.size() == d->edges.size());
  for (std::size_t i = 0; i < d->edges.size(); ++i) {
    CAPTURE(i);
    CHECK(back->edges[i] == d->edges[i]);
  }
  CHECK(*back == *d);
}

TEST_CASE("WfCommons tasks map to nodes with runtime, memory and per-edge file bytes",
          "[model][wfcommons]") {
  auto d = load_workflow_file(workload("helloworld-forkjoin-10-chameleon.json"));
  REQUIRE(d);
  // Read off the instance by hand: the fork task runs 100.187 s with 74628
  // bytes of memory and hands its 9090910-byte output file to each branch.
  auto i = d->find_node("cpuhog_forkjoin_00000001");
  REQUIRE(i);
  CHECK(d->nodes[*i].resources.cpu_time_ms == 100187);
  CHECK(d->nodes[*i].resources.memory_bytes == 74628);
  const dataflow_edge* fork = nullptr;
  for (const auto& e : d->edges)
    if (e.source_node == "cpuhog_forkjoin_00000001" && e.target_node == "cpuhog_forkjoin_00000002")
      fork = &e;
  REQUIRE(fork);
  CHECK(fork->bytes == 9090910);
  CHECK(fork->edge_id == "cpuhog_forkjoin_00000001->cpuhog_forkjoin_00000002");
}

TEST_CASE("the shared platforms load with the values their README describes", "[model][platform]") {
  const std::string dir = std::string(CAUSALITY_SHARED_DIR) + "/workloads/platforms/";
  auto homo = load_platform_file(dir + "homogeneous-4.json");
  REQUIRE(homo);
  REQUIRE(homo->domains.size() == 4);
  for (const auto& d : homo->domains) {
    CHECK(d.kind == domain_kind::compute);
    CHECK(d.slots == 4);
  }
  auto het = load_platform_file(dir + "hetero-3.json");
  REQUIRE(het);
  REQUIRE(het->domains.size() == 3);
  const auto& service = het->domains[*het->find_domain("service")];
  CHECK(service.kind == domain_kind::service);
  CHECK(service.speed == 3.0);
  CHECK(service.slots == 4);
  CHECK(service.cost.domain_cost_factor == 4.0);
  CHECK(service.cost.base_cost == 200);
  const auto& ver = het->domains[*het->find_domain("verifiable")];
  CHECK(ver.speed == 0.5);
  CHECK(ver.slots == 2);
  CHECK(ver.security_level == 3);
  CHECK(ver.has_capability("zk"));
  CHECK(ver.has_capability("deterministic"));
  CHECK(ver.cost.domain_cost_factor == 8.0);
  CHECK(het->network.multiplier(domain_kind::verifiable, domain_kind::service) == 2.0);
  CHECK(het->network.multiplier(domain_kind::service, domain_kind::verifiable) == 3.0);
  CHECK(het->network.multiplier(domain_kind::verifiable, domain_kind::verifiable) == 1.5);
  CHECK(het->network.multiplier(domain_kind::service, domain_kind::service) == 1.2);
  CHECK(het->network.multiplier(domain_kind::compute, domain_kind::service) == 1.0);

  for (const auto* p : {&*homo, &*het}) {
    auto back = platform_from_json(platform_to_json(*p), "roundtrip");
    REQUIRE(back);
    CHECK(*back == *p);
  }
}

TEST_CASE("the ETL example validates against the heterogeneous platform", "[model][example]") {
  auto d = load_workflow_file(std::string(CAUSALITY_SOURCE_DIR) + "/examples/workflows/etl.json");
  REQUIRE(d);
  auto p = load_platform_file(std::string(CAUSALITY_SHARED_DIR) +
                              "/workloads/platforms/hetero-3.json");
  REQUIRE(p);
  CHECK_FALSE(validate_against_platform(*d, *p, "etl.json"));
  CHECK(d->nodes.size() == 6);
  CHECK(d->edges.size() == 5);
}
