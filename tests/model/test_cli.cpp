// `causality validate` as a user runs it: exit codes, summary, one-line errors.
#include <catch2/catch.hpp>

#include "../cli_runner.hpp"

#include <string>

#include <nlohmann/json.hpp>

namespace {

using causality::testing::run_cli;

std::string shared(const std::string& rel) {
  return std::string("'") + CAUSALITY_SHARED_DIR + "/workloads/" + rel + "'";
}

}  // namespace

TEST_CASE("causality validate prints the summary of a workload and exits 0", "[cli]") {
  auto r = run_cli("validate " + shared("wfcommons/montage-chameleon-dss-05d-001.json") +
                   " --platform " + shared("platforms/hetero-3.json"));
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  // Counts and bytes from workloads/README.md.
  CHECK_THAT(r.output, Catch::Contains("nodes:         58\n"));
  CHECK_THAT(r.output, Catch::Contains("edges:         114\n"));
  CHECK_THAT(r.output, Catch::Contains("total bytes:   7139413893\n"));
  CHECK_THAT(r.output, Catch::Contains("platform:      hetero-3"));
}

TEST_CASE("causality validate --format json prints the figures as JSON", "[cli]") {
  auto r = run_cli("validate " + shared("wfcommons/blast-chameleon-small-001.json") +
                   " --format json");
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output);
  CHECK(j["nodes"] == 43);
  CHECK(j["edges"] == 120);
  CHECK(j["total_bytes"] == 794);
  CHECK(j["valid"] == true);
}

TEST_CASE("causality validate exits 1 with one line naming the problem", "[cli]") {
  const std::string bad = std::string(CAUSALITY_TEST_DATA) + "/bad/";
  SECTION("a malformed workflow") {
    auto r = run_cli("validate '" + bad + "cycle.json'");
    CHECK(r.exit_code == 1);
    CHECK(r.output == "causality: " + bad + "cycle.json: /edges/3: cycle: a -> b -> c -> a\n");
  }
  SECTION("a missing platform file") {
    auto r = run_cli("validate " + shared("wfcommons/blast-chameleon-small-001.json") +
                     " --platform /nonexistent/platform.json");
    CHECK(r.exit_code == 1);
    CHECK(r.output == "causality: /nonexistent/platform.json: no such file\n");
  }
  SECTION("a malformed platform") {
    auto r = run_cli("validate " + shared("wfcommons/blast-chameleon-small-001.json") +
                     " --platform '" + bad + "pf_zero_slots.json'");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("/domains/0/slots: must be at least 1, got 0"));
  }
  SECTION("a workflow the platform cannot host") {
    const std::string dir = std::string(CAUSALITY_TEST_DATA) + "/placement/";
    auto r = run_cli("validate '" + dir + "security_too_high.json' --platform '" + dir +
                     "platform.json'");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("needs security level 5"));
  }
}
