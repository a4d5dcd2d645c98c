// SIGINT / SIGTERM during a real `causality run` of a long workflow: the
// first signal cancels the run, the summary and the requested files
// (--gantt, --dot, --metrics-out) are still written, exit 130; a second
// signal exits at once. The exit codes are listed by `causality --help`.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
// 58 tasks; at --time-scale 0.05 the first finishes after about 9 s and the
// run lasts about 18 s: the signal always comes while nodes run.
const std::string& workflow = causality::testing::montage;
const std::string& platform = causality::testing::hetero3;

/// Starts the run and waits until it reports a finished node.
void start_and_wait_for_progress(child& c) {
  REQUIRE(c.started());
  bool progressed = c.read_until(
      [](const std::string&, const std::string& err) {
        return std::regex_search(err, std::regex(R"(progress: [1-9][0-9]*/[0-9]+ done)"));
      },
      180s);
  INFO(c.err);
  REQUIRE(progressed);
}

}  // namespace

TEST_CASE("the first SIGINT or SIGTERM cancels run, prints the summary, writes the files, exits 130",
          "[cli][signal]") {
  for (int sig : {SIGINT, SIGTERM}) {
    INFO("signal " << sig);
    scratch s;
    child c({CAUSALITY_CLI, "run", workflow, "--platform", platform, "--time-scale", "0.05", "--gantt",
             s.file("run.svg"), "--dot", s.file("run.dot"), "--metrics-out", s.file("metrics.prom")});
    start_and_wait_for_progress(c);
    c.signal(sig);
    int rc = c.wait(60s);
    INFO("stdout:\n" << c.out << "\nstderr:\n" << c.err);
    CHECK(rc == 130);
    CHECK(c.err.find("causality: interrupted: cancelling the run") != std::string::npos);
    CHECK(c.out.find("status:    cancelled (cancelled by the caller)") != std::string::npos);
    CHECK(c.out.find("makespan:  planned") != std::string::npos);
    auto svg = slurp(s.file("run.svg"));
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("</svg>") != std::string::npos);
    CHECK(svg.find("class=\"bar actual\"") != std::string::npos);  // the nodes that ran before the signal
    CHECK(slurp(s.file("run.dot")).rfind("digraph", 0) == 0);
    auto prom = slurp(s.file("metrics.prom"));
    CHECK(std::regex_search(prom, std::regex(R"(causality_nodes_finished_total\{domain="[a-z]+"\} [1-9])")));
  }
}

TEST_CASE("a second signal exits at once without the summary", "[cli][signal]") {
  scratch s;
  child c({CAUSALITY_CLI, "run", workflow, "--platform", platform, "--time-scale", "0.05", "--gantt",
           s.file("run.svg")});
  start_and_wait_for_progress(c);
  // Two different signals: both are delivered (two of one kind may merge).
  c.signal(SIGINT);
  c.signal(SIGTERM);
  int rc = c.wait(60s);
  INFO("stdout:\n" << c.out << "\nstderr:\n" << c.err);
  CHECK(rc == 130);
  CHECK(c.err.find("causality: interrupted again: exiting now") != std::string::npos);
  CHECK(c.out.find("status:") == std::string::npos);
}

TEST_CASE("causality --help lists the exit codes", "[cli][signal]") {
  child c({CAUSALITY_CLI, "--help"});
  REQUIRE(c.wait(30s) == 0);
  CHECK(c.out.find("Exit codes: 0 success; 1 failure") != std::string::npos);
  CHECK(c.out.find("2 usage error") != std::string::npos);
  CHECK(c.out.find("130") != std::string::npos);
  CHECK(c.out.find("interrupted (SIGINT or SIGTERM") != std::string::npos);
}
