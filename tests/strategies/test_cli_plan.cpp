// `causality plan` as a user runs it on the shared workloads: FORMATS.md
// JSON checked by the independent checker, refusals as one line, exit codes.
#include <catch2/catch.hpp>

#include "../cli_runner.hpp"

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "checker.hpp"

using namespace causality;

namespace {

using causality::testing::run_cli;

std::string shared(const std::string& rel) {
  return std::string(CAUSALITY_SHARED_DIR) + "/workloads/" + rel;
}

}  // namespace

TEST_CASE("causality plan prints a feasible FORMATS.md plan for every shared workload",
          "[cli][planner]") {
  const std::string wf = GENERATE(as<std::string>{}, "1000genome-chameleon-2ch-100k-001",
                                  "blast-chameleon-small-001",
                                  "epigenomics-chameleon-hep-1seq-100k-001",
                                  "helloworld-forkjoin-10-chameleon",
                                  "montage-chameleon-dss-05d-001",
                                  "seismology-chameleon-100p-001");
  const std::string plat_name = GENERATE(as<std::string>{}, "hetero-3", "homogeneous-4");
  const std::string strategy = GENERATE(as<std::string>{}, "latency", "cost-minimization");
  const auto wf_file = shared("wfcommons/" + wf + ".json");
  const auto plat_file = shared("platforms/" + plat_name + ".json");
  auto r = run_cli("plan '" + wf_file + "' --platform '" + plat_file + "' --strategy " +
                   strategy + " --format json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output);
  CHECK(j["platform"] == plat_name);
  CHECK(j["strategy"] == strategy);
  for (const char* k : {"workflow", "makespan_ms", "total_cost", "assignments"})
    CHECK(j.contains(k));
  // Rebuild the plan from the JSON alone and check it independently.
  auto def = model::load_workflow_file(wf_file);
  auto plat = model::load_platform_file(plat_file);
  REQUIRE(def);
  REQUIRE(plat);
  REQUIRE(j["assignments"].size() == def->nodes.size());
  strategies::plan p;
  p.makespan_ms = j["makespan_ms"];
  p.total_cost = j["total_cost"];
  p.assignments.resize(def->nodes.size());
  std::map<std::string, bool> seen;
  for (const auto& a : j["assignments"]) {
    auto v = def->find_node(a["node"]);
    auto d = plat->find_domain(a["domain"]);
    REQUIRE(v);
    REQUIRE(d);
    CHECK_FALSE(seen[a["node"]]);
    seen[a["node"]] = true;
    p.assignments[*v] = {*v, *d, a["start_ms"], a["finish_ms"],
                         test::formats_cost(def->nodes[*v], plat->domains[*d])};
  }
  auto bad = test::check_plan(*def, *plat, {}, p);
  INFO(bad.size() << " violations, first: " << (bad.empty() ? "" : bad.front()));
  CHECK(bad.empty());
}

TEST_CASE("causality plan refuses an impossible budget in one line and exits 1",
          "[cli][planner]") {
  auto r = run_cli("plan '" + shared("wfcommons/blast-chameleon-small-001.json") +
                   "' --platform '" + shared("platforms/hetero-3.json") + "' --budget 1000");
  CHECK(r.exit_code == 1);
  CHECK(r.output == "causality: /cost_budget: cost_budget 1000 cannot be met: the cheapest plan "
                 "costs 8340 (over by 7340)\n");
}

TEST_CASE("causality plan explains one node and sweeps the trade-off", "[cli][planner]") {
  const auto args = "plan '" + shared("wfcommons/helloworld-forkjoin-10-chameleon.json") +
                    "' --platform '" + shared("platforms/hetero-3.json") + "'";
  auto e = run_cli(args + " --explain cpuhog_forkjoin_00000001");
  CHECK(e.exit_code == 0);
  CHECK(e.output.find("node cpuhog_forkjoin_00000001") != std::string::npos);
  CHECK(e.output.find("winner: ") != std::string::npos);
  CHECK(e.output.find("node cpuhog_forkjoin_00000002") == std::string::npos);
  auto s = run_cli(args + " --sweep --format json");
  REQUIRE(s.exit_code == 0);
  auto j = nlohmann::json::parse(s.output);
  REQUIRE(j["sweep"].size() == 11);
  CHECK(j["sweep"][0]["makespan_ms"].get<double>() <= j["sweep"][10]["makespan_ms"].get<double>());
  CHECK(j["sweep"][10]["total_cost"].get<double>() <= j["sweep"][0]["total_cost"].get<double>());
  auto u = run_cli(args + " --strategy nope");
  CHECK(u.exit_code == 1);
  CHECK(u.output.find("unknown strategy 'nope'") != std::string::npos);
}
TEST_CASE("causality plan --pareto prints the FORMATS.md front, each plan feasible",
          "[cli][planner][front]") {
  const std::string wf = GENERATE(as<std::string>{}, "montage-chameleon-dss-05d-001",
                                  "seismology-chameleon-100p-001");
  const auto wf_file = shared("wfcommons/" + wf + ".json");
  const auto plat_file = shared("platforms/hetero-3.json");
  auto r = run_cli("plan '" + wf_file + "' --platform '" + plat_file + "' --pareto --format json");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output);
  CHECK(j["platform"] == "hetero-3");
  CHECK(j.contains("workflow"));
  auto def = model::load_workflow_file(wf_file);
  auto plat = model::load_platform_file(plat_file);
  REQUIRE(def);
  REQUIRE(plat);
  const auto& front = j["front"];
  REQUIRE(front.size() >= 2);
  for (std::size_t i = 0; i < front.size(); ++i) {
    const auto& f = front[i];
    for (const char* k : {"workflow", "platform", "strategy", "makespan_ms", "total_cost",
                          "assignments", "utilisation", "idle_slot_hours", "domains_used"})
      CHECK(f.contains(k));
    if (i) {  // sorted by cost ascending, makespan strictly falling
      CHECK(f["total_cost"].get<double>() > front[i - 1]["total_cost"].get<double>());
      CHECK(f["makespan_ms"].get<double>() < front[i - 1]["makespan_ms"].get<double>());
    }
    strategies::plan p;
    p.makespan_ms = f["makespan_ms"];
    p.total_cost = f["total_cost"];
    p.assignments.resize(def->nodes.size());
    REQUIRE(f["assignments"].size() == def->nodes.size());
    for (const auto& a : f["assignments"]) {
      auto v = def->find_node(a["node"]);
      auto d = plat->find_domain(a["domain"]);
      REQUIRE(v);
      REQUIRE(d);
      p.assignments[*v] = {*v, *d, a["start_ms"], a["finish_ms"],
                           test::formats_cost(def->nodes[*v], plat->domains[*d])};
    }
    auto bad = test::check_plan(*def, *plat, {}, p);
    INFO("front point " << i << ": " << (bad.empty() ? "" : bad.front()));
    CHECK(bad.empty());
  }
  // The sweep reads from the same front: every sweep point is a front point.
  auto s = run_cli("plan '" + wf_file + "' --platform '" + plat_file + "' --sweep --format json");
  REQUIRE(s.exit_code == 0);
  // The parsed document outlives the loop (a range-for over a member of a
  // temporary would read freed memory).
  const auto sweep = nlohmann::json::parse(s.output);
  for (const auto& x : sweep.at("sweep")) {
    bool found = false;
    for (const auto& f : front)
      found = found || (f["makespan_ms"] == x["makespan_ms"] && f["total_cost"] == x["total_cost"]);
    CHECK(found);
  }
  auto text = run_cli("plan '" + wf_file + "' --platform '" + plat_file + "' --pareto");
  REQUIRE(text.exit_code == 0);
  CHECK(text.output.find("non-dominated plans, cheapest first") != std::string::npos);
}

TEST_CASE("causality plan --stretch bounds the cost strategy's makespan by that many fastest plans",
          "[cli][planner]") {
  const auto wf = shared("wfcommons/seismology-chameleon-100p-001.json");
  const auto plat = shared("platforms/hetero-3.json");
  auto plan = [&](const std::string& flags) {
    auto r = run_cli("plan '" + wf + "' --platform '" + plat + "' " + flags + " --format json");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.output);
  };
  const double fastest = plan("--strategy latency")["makespan_ms"];
  const auto wide = plan("--strategy cost-minimization");
  const auto tight = plan("--strategy cost-minimization --stretch 1.25");
  INFO("fastest " << fastest << ", default stretch " << wide["makespan_ms"] << " ms cost "
                  << wide["total_cost"] << ", stretch 1.25 " << tight["makespan_ms"] << " ms cost "
                  << tight["total_cost"]);
  CHECK(tight["makespan_ms"].get<double>() <= 1.25 * fastest * (1 + 1e-9));
  CHECK(wide["makespan_ms"].get<double>() <= 3 * fastest * (1 + 1e-9));
  // The default stretch (3) admits slower plans: the cost plan is cheaper there.
  CHECK(wide["makespan_ms"].get<double>() > 1.25 * fastest);
  CHECK(wide["total_cost"].get<double>() < tight["total_cost"].get<double>());

  for (const char* bad : {"0.5", "nan", "1e9", "x"}) {
    auto r = run_cli("plan '" + wf + "' --platform '" + plat + "' --stretch " + bad);
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("--stretch") != std::string::npos);
  }
}
