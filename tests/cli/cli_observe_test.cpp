// `causality plan/run` with the observe outputs (--dot, --gantt,
// --metrics-out, --metrics-port): the CLI runs as a child process and the
// files it writes are checked against the workflow read independently here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
const std::string shared = CAUSALITY_SHARED_DIR;
const std::string workflow = shared + "/workloads/wfcommons/helloworld-forkjoin-10-chameleon.json";
const std::string platform = shared + "/workloads/platforms/hetero-3.json";

/// Runs the CLI with `args`; stdout and stderr go to files in `s`. Exit code.
int cli(const scratch& s, const std::string& args) {
  std::string cmd = std::string("'") + CAUSALITY_CLI + "' " + args + " >'" + s.file("out.txt") +
                    "' 2>'" + s.file("err.txt") + "'";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// The task ids of the WfCommons instance, read without the project's loader.
std::set<std::string> task_ids() {
  auto j = nlohmann::json::parse(slurp(workflow));
  std::set<std::string> ids;
  for (auto& t : j["workflow"]["specification"]["tasks"]) ids.insert(t["id"].get<std::string>());
  return ids;
}

/// data-node values of the SVG elements whose class attribute is exactly `cls`
/// (the planned bar may also carry " critical").
std::multiset<std::string> bars(const std::string& svg, const std::string& cls) {
  std::multiset<std::string> out;
  std::regex re("<rect class=\"" + cls + "( critical)?\" data-node=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[2].str());
  return out;
}

std::multiset<std::string> as_multi(const std::set<std::string>& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("cli plan --dot --gantt writes a DOT with every node and one planned bar per node",
          "[cli][observe]") {
  scratch s;
  auto ids = task_ids();
  REQUIRE(ids.size() == 10);
  REQUIRE(cli(s, "plan '" + workflow + "' --platform '" + platform + "' --strategy latency --dot '" +
                     s.file("plan.dot") + "' --gantt '" + s.file("plan.svg") + "'") == 0);
  auto dot = slurp(s.file("plan.dot"));
  CHECK(dot.rfind("digraph", 0) == 0);
  for (auto& id : ids) CHECK(dot.find("\"" + id + "\"") != std::string::npos);
  auto svg = slurp(s.file("plan.svg"));
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(bars(svg, "bar planned") == as_multi(ids));
  CHECK(bars(svg, "bar actual").empty());  // a plan has no measured times
}

TEST_CASE("cli run --gantt --metrics-out: planned and actual bars, finished total equals nodes",
          "[cli][observe]") {
  scratch s;
  auto ids = task_ids();
  REQUIRE(cli(s, "run '" + workflow + "' --platform '" + platform +
                     "' --strategy cost-minimization --time-scale 0 --format json --gantt '" +
                     s.file("run.svg") + "' --dot '" + s.file("run.dot") + "' --metrics-out '" +
                     s.file("metrics.prom") + "' --metrics-port 0") == 0);
  auto svg = slurp(s.file("run.svg"));
  CHECK(bars(svg, "bar planned") == as_multi(ids));
  CHECK(bars(svg, "bar actual") == as_multi(ids));
  auto dot = slurp(s.file("run.dot"));
  for (auto& id : ids) CHECK(dot.find("\"" + id + "\"") != std::string::npos);

  // Sum the finished counter over its domain series; every sample line is
  // `name{labels} value`.
  std::istringstream prom(slurp(s.file("metrics.prom")));
  std::string line;
  double finished = 0, failed = 0, cost = 0;
  bool typed = false;
  std::regex sample(R"(^(\w+)\{domain="[^"]*"\} ([0-9.eE+-]+)$)");
  while (std::getline(prom, line)) {
    if (line == "# TYPE causality_nodes_finished_total counter") typed = true;
    std::smatch m;
    if (!std::regex_match(line, m, sample)) continue;
    if (m[1] == "causality_nodes_finished_total") finished += std::stod(m[2]);
    if (m[1] == "causality_nodes_failed_total") failed += std::stod(m[2]);
    if (m[1] == "causality_cost_accrued_total") cost += std::stod(m[2]);
  }
  CHECK(typed);
  CHECK(finished == static_cast<double>(ids.size()));
  CHECK(failed == 0);
  CHECK(std::regex_search(slurp(s.file("err.txt")),
                          std::regex(R"(metrics: http://127\.0\.0\.1:[1-9][0-9]*/metrics)")));
  auto out = nlohmann::json::parse(slurp(s.file("out.txt")));
  CHECK(out["status"] == "succeeded");
  CHECK(out.contains("replanned_nodes"));
  // One record per node, each naming where it was planned and where it ran.
  REQUIRE(out["nodes"].size() == ids.size());
  for (auto& n : out["nodes"]) {
    CHECK(n["status"] == "succeeded");
    CHECK(n["domain"].is_string());
    CHECK(!n["planned_domain"].get<std::string>().empty());
    CHECK(n["attempts"] == 1);
    CHECK(n["finish_ms"].get<double>() >= n["start_ms"].get<double>());
  }
  // The cost accrued per domain adds up to the run's actual cost.
  CHECK(cost == Approx(out["actual_cost"].get<double>()));
}

TEST_CASE("cli observe outputs: an unwritable file is one error line naming it, exit non-zero",
          "[cli][observe]") {
  scratch s;
  const std::string bad = s.file("no-such-dir/x.svg");
  SECTION("plan --gantt") {
    CHECK(cli(s, "plan '" + workflow + "' --platform '" + platform + "' --gantt '" + bad + "'") != 0);
  }
  SECTION("run --metrics-out") {
    CHECK(cli(s, "run '" + workflow + "' --platform '" + platform +
                     "' --time-scale 0 --format json --metrics-out '" + bad + "'") != 0);
  }
  auto err = slurp(s.file("err.txt"));
  CHECK(err.find(bad) != std::string::npos);
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
}

TEST_CASE("cli plan: --dot with --sweep is refused", "[cli][observe]") {
  scratch s;
  CHECK(cli(s, "plan '" + workflow + "' --platform '" + platform + "' --sweep --dot '" +
                   s.file("p.dot") + "'") == 1);
  CHECK(slurp(s.file("err.txt")).find("--sweep") != std::string::npos);
}
