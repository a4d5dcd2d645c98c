// `run` takes every planning option `plan` takes (one definition shared by
// both commands), and `run --plan FILE` executes a plan printed by
// `plan --format json`, checked against the workflow and platform.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string& workflow = causality::testing::forkjoin;
const std::string& other_workflow = causality::testing::montage;
const std::string& platform = causality::testing::hetero3;

struct result {
  int rc;
  std::string out, err;
};

result cli(std::vector<std::string> args) {
  args.insert(args.begin(), CAUSALITY_CLI);
  child c(args, {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
  int rc = c.wait(120s);
  return {rc, c.out, c.err};
}

/// The long flags listed by `causality help CMD`.
std::set<std::string> flags_of(const std::string& cmd) {
  auto r = cli({"help", cmd});
  REQUIRE(r.rc == 0);
  std::set<std::string> out;
  std::regex re(R"((?:^|[ ,])(--[a-z][a-z-]*))");
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("  -", 0) == 0)
      for (auto it = std::sregex_iterator(line.begin(), line.end(), re); it != std::sregex_iterator(); ++it)
        if (it->position(1) < 30) out.insert((*it)[1].str());
  return out;
}

}  // namespace

TEST_CASE("run lists every planning flag plan lists", "[cli][run][plan]") {
  auto plan = flags_of("plan"), run = flags_of("run");
  for (const char* f : {"--strategy", "--weights", "--priority", "--budget", "--max-latency",
                        "--prefer-parallel", "--domain-order", "--strategies", "--hint"}) {
    INFO(f);
    CHECK(plan.count(f) == 1);
    CHECK(run.count(f) == 1);
  }
  // Every flag of plan that is about planning is one of run's too; the
  // others are plan's outputs.
  for (auto& f : plan) {
    if (f == "--format" || f == "--explain" || f == "--sweep" || f == "--pareto" || f == "--dot" || f == "--gantt")
      continue;
    INFO(f);
    CHECK(run.count(f) == 1);
  }
}

TEST_CASE("run plans with the planning flags as plan does", "[cli][run][plan]") {
  scratch s;
  auto strategies = s.write("strategies.json",
                            R"({"strategies": [{"name": "thrifty", "description": "mostly cost",
                               "priority_weight": 0, "latency_weight": 0.2, "cost_weight": 0.8}]})");
  auto hint = s.write("hint.json", R"({"preferred_strategy_id": "latency", "priority": 80})");
  std::vector<std::string> common{workflow, "--platform", platform, "--strategies", strategies, "--hint", hint,
                                  "--strategy", "thrifty", "--budget", "200000", "--max-latency", "100000000",
                                  "--prefer-parallel", "--domain-order", "service,compute", "--priority", "70"};
  auto p = common;
  p.insert(p.begin(), "plan");
  p.insert(p.end(), {"--format", "json"});
  auto planned = cli(p);
  INFO(planned.err);
  REQUIRE(planned.rc == 0);
  auto pj = json::parse(planned.out);
  CHECK(pj["strategy"] == "thrifty");

  auto r = common;
  r.insert(r.begin(), "run");
  r.insert(r.end(), {"--format", "json", "--time-scale", "0"});
  auto ran = cli(r);
  INFO(ran.err);
  REQUIRE(ran.rc == 0);
  auto rj = json::parse(ran.out);
  CHECK(rj["strategy"] == "thrifty");
  CHECK(rj["status"] == "succeeded");
  CHECK(rj["planned_cost"].get<double>() == Approx(pj["total_cost"].get<double>()));

  SECTION("--weights makes a custom strategy for run too") {
    auto w = cli({"run", workflow, "--platform", platform, "--weights", "0,0,1", "--format", "json",
                  "--time-scale", "0"});
    REQUIRE(w.rc == 0);
    CHECK(json::parse(w.out)["strategy"] == "custom");
  }
  SECTION("an impossible budget is refused by run with plan's line") {
    auto pb = cli({"plan", workflow, "--platform", platform, "--budget", "1000"});
    auto rb = cli({"run", workflow, "--platform", platform, "--budget", "1000"});
    CHECK(pb.rc == 1);
    CHECK(rb.rc == 1);
    CHECK(lines(rb.err) == 1);
    CHECK(rb.err.find("cost_budget 1000 cannot be met") != std::string::npos);
    CHECK(pb.err.find("cost_budget 1000 cannot be met") != std::string::npos);
  }
}

TEST_CASE("run --plan executes the plan printed by plan --format json", "[cli][run][plan]") {
  scratch s;
  // cost-minimization differs from run's default (balanced): the run must use the file.
  auto p = cli({"plan", workflow, "--platform", platform, "--strategy", "cost-minimization", "--format", "json"});
  REQUIRE(p.rc == 0);
  auto pj = json::parse(p.out);
  auto balanced = json::parse(cli({"plan", workflow, "--platform", platform, "--format", "json"}).out);
  REQUIRE(balanced["total_cost"] != pj["total_cost"]);
  auto file = s.write("plan.json", p.out);
  auto r = cli({"run", workflow, "--platform", platform, "--plan", file, "--format", "json", "--time-scale", "0.001"});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  auto rj = json::parse(r.out);
  CHECK(rj["status"] == "succeeded");
  CHECK(rj["strategy"] == "cost-minimization");
  CHECK(rj["planned_cost"].get<double>() == Approx(pj["total_cost"].get<double>()));
  CHECK(rj["planned_makespan_ms"].get<double>() == Approx(pj["makespan_ms"].get<double>() * 0.001));

  auto refused = [&](const json& plan, const std::string& expected, std::vector<std::string> extra = {}) {
    auto f = s.write("bad.json", plan.dump());
    std::vector<std::string> args{"run", workflow, "--platform", platform, "--plan", f, "--time-scale", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto b = cli(args);
    INFO(b.err);
    CHECK(b.rc == 1);
    CHECK(lines(b.err) == 1);
    CHECK(b.err.find(expected) != std::string::npos);
    CHECK(b.out.empty());
  };
  SECTION("a plan of another workflow") {
    auto other = cli({"plan", other_workflow, "--platform", platform, "--format", "json"});
    REQUIRE(other.rc == 0);
    auto oj = json::parse(other.out);
    refused(oj, "causality: " + s.file("bad.json") + ": /workflow: the plan is for workflow '" +
                    oj["workflow"].get<std::string>() + "', not '" + pj["workflow"].get<std::string>() + "'");
  }
  SECTION("a node missing") {
    auto bad = pj;
    auto gone = bad["assignments"][3]["node"].get<std::string>();
    bad["assignments"].erase(3);
    refused(bad, "/assignments: node '" + gone + "' of workflow");
  }
  SECTION("a node twice") {
    auto bad = pj;
    bad["assignments"].push_back(bad["assignments"][0]);
    refused(bad, "/assignments/10/node: node '" + bad["assignments"][0]["node"].get<std::string>() +
                     "' is assigned twice");
  }
  SECTION("a node the workflow does not have") {
    auto bad = pj;
    bad["assignments"][2]["node"] = "ghost";
    refused(bad, "/assignments/2/node: workflow " + pj["workflow"].get<std::string>() + " has no node 'ghost'");
  }
  SECTION("an unknown domain") {
    auto bad = pj;
    bad["assignments"][0]["domain"] = "computr";
    refused(bad, "/assignments/0/domain: platform hetero-3 has no domain 'computr' (did you mean 'compute'?)");
  }
  SECTION("not a plan") { refused(json::array({1, 2}), "a plan is an object"); }
  SECTION("flags that choose a plan do not combine with --plan") {
    refused(pj, "--plan: the plan is given, so --strategy", {"--strategy", "latency"});
  }
}

TEST_CASE("plan and run without --platform use this machine's platform and say so", "[cli][run][plan]") {
  const std::string said = "causality: no --platform: using this machine's platform 'local' (compute: ";
  auto p = cli({"plan", workflow});
  INFO(p.err);
  CHECK(p.rc == 0);
  CHECK(p.err.rfind(said, 0) == 0);
  CHECK(p.err.find("service: 4 slots, verifiable: 1 slot)") != std::string::npos);
  CHECK(p.out.find("compute") != std::string::npos);  // the plan places nodes on the local domains
  auto r = cli({"run", workflow, "--time-scale", "0.001", "--format", "json"});
  INFO(r.err);
  CHECK(r.rc == 0);
  CHECK(r.err.rfind(said, 0) == 0);
  CHECK(json::parse(r.out).at("status") == "succeeded");
  // --quiet: nothing said.
  auto q = cli({"plan", workflow, "--quiet"});
  CHECK(q.rc == 0);
  CHECK(q.err.find("no --platform") == std::string::npos);
}

TEST_CASE("run shows what a command that succeeded wrote to stderr", "[cli][run]") {
  scratch s;
  auto wf = s.write("warns.json", R"({"name": "warns", "nodes": [
    {"node_id": "w", "node_type": "exec", "exec": {"argv": ["/bin/sh", "-c", "echo 'low disk' >&2; echo fine"]}},
    {"node_id": "q", "node_type": "exec", "exec": {"argv": ["/bin/sh", "-c", "echo quiet"]}}], "edges": []})");
  auto plat = s.write("one.json", R"({"name": "one", "domains": [{"name": "cpu", "kind": "compute", "slots": 2}]})");
  auto text = cli({"run", wf, "--platform", plat});
  INFO(text.err);
  REQUIRE(text.rc == 0);
  CHECK(text.out.find("stderr of nodes that succeeded:\n  w:\n    low disk\n") != std::string::npos);
  CHECK(text.out.find("  q:\n") == std::string::npos);
  auto js = cli({"run", wf, "--platform", plat, "--format", "json"});
  REQUIRE(js.rc == 0);
  auto j = json::parse(js.out);
  int seen = 0;
  for (auto& n : j["nodes"]) {
    if (n["node"] == "w") {
      CHECK(n["stderr"] == "low disk");
      ++seen;
    }
    if (n["node"] == "q") {
      CHECK_FALSE(n.contains("stderr"));
      ++seen;
    }
  }
  CHECK(seen == 2);
}
