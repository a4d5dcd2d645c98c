// Learned durations across runs (`causality run --learn`, `plan --learn`,
// `causality models show|clear`): five commands of 400 ms with no
// cpu_time_ms on one slot are planned at the default guess of 1000 ms each
// (5000 ms, refused under --max-latency 3000) until one run has measured
// them; the second run is then planned within 20 % of what it measures, and
// `plan --explain` names the estimate it took.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

struct result {
  int rc;
  std::string out, err;
};

result cli(std::vector<std::string> args, std::map<std::string, std::optional<std::string>> env = {}) {
  args.insert(args.begin(), CAUSALITY_CLI);
  env.emplace("CAUSALITY_LOG_LEVEL", std::nullopt);
  child c(args, env);
  int rc = c.wait(120s);
  return {rc, c.out, c.err};
}

/// Five independent `sleep 0.4` nodes without an estimate.
std::string five_sleeps(const scratch& s) {
  json nodes = json::array();
  for (int i = 1; i <= 5; ++i)
    nodes.push_back({{"node_id", "s" + std::to_string(i)},
                     {"node_type", "exec"},
                     {"exec", {{"argv", {"sleep", "0.4"}}}}});
  return s.write("sleeps.json", json{{"definition_id", "sleeps"}, {"name", "sleeps"}, {"nodes", nodes},
                                     {"edges", json::array()}}
                                    .dump());
}

std::string one_slot(const scratch& s) {
  return s.write("one.json", R"({"name": "one", "domains": [{"name": "cpu", "kind": "compute", "slots": 1}]})");
}

json run_json(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"run"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("--format");
  args.push_back("json");
  auto r = cli(args);
  INFO(r.err);
  REQUIRE(r.rc == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("cli: a second run with --learn is planned within 20 % of its measured makespan", "[cli][learn]") {
  scratch s;
  auto wf = five_sleeps(s), plat = one_slot(s), models = s.file("models");

  // No history: the default guess, 5 x 1000 ms, is over the limit of 3000 ms.
  auto refused = cli({"run", wf, "--platform", plat, "--learn", "--models", models, "--max-latency", "3000"});
  CHECK(refused.rc == 1);
  CHECK(refused.err.find("5000") != std::string::npos);
  auto guess = cli({"plan", wf, "--platform", plat, "--explain", "s1"});
  REQUIRE(guess.rc == 0);
  CHECK(guess.out.find("1000 ms: the default guess (no cpu_time_ms)") != std::string::npos);

  auto first = run_json({wf, "--platform", plat, "--learn", "--models", models});
  const double first_planned = first["planned_makespan_ms"].get<double>();
  const double first_actual = first["actual_makespan_ms"].get<double>();
  CHECK(first_planned == Approx(5000));
  CHECK(first_actual >= 2000);
  REQUIRE(std::filesystem::exists(models + "/history.json"));

  // Learned: the limit that refused the first run admits the second, whose
  // plan is within 20 % of what it then measures.
  auto second = run_json({wf, "--platform", plat, "--learn", "--models", models, "--max-latency", "3000"});
  const double planned = second["planned_makespan_ms"].get<double>();
  const double actual = second["actual_makespan_ms"].get<double>();
  INFO("second run: planned " << planned << " ms, measured " << actual << " ms");
  CHECK(std::abs(planned - actual) <= 0.2 * actual);
  CHECK(planned < 0.8 * first_planned);

  auto why = cli({"plan", wf, "--platform", plat, "--models", models, "--explain", "s3"});
  REQUIRE(why.rc == 0);
  CHECK(why.out.find("from history (2 runs of 'sleeps/s3' on 'cpu')") != std::string::npos);

  auto shown = cli({"models", "show", "--models", models, "--format", "json"});
  REQUIRE(shown.rc == 0);
  auto j = json::parse(shown.out);
  REQUIRE(j["models"].size() == 5);
  for (auto& m : j["models"]) {
    CHECK(m["runs"] == 2);
    CHECK(m["domain"] == "cpu");
  }
  auto cleared = cli({"models", "clear", "--models", models});
  REQUIRE(cleared.rc == 0);
  CHECK_FALSE(std::filesystem::exists(models + "/history.json"));
  auto empty = cli({"models", "show", "--models", models});
  CHECK(empty.out.find("no learned durations") != std::string::npos);
}

TEST_CASE("cli: without --learn nothing is read or written, and a damaged history is set aside with a warning",
          "[cli][learn]") {
  scratch s;
  auto wf = five_sleeps(s), plat = one_slot(s), models = s.file("models");
  // The default directory comes from XDG_CACHE_HOME; a run without --learn leaves it alone.
  auto plain = cli({"run", wf, "--platform", plat}, {{"XDG_CACHE_HOME", s.file("cache")},
                                                    {"CAUSALITY_MODELS_DIR", std::nullopt}});
  REQUIRE(plain.rc == 0);
  CHECK_FALSE(std::filesystem::exists(s.file("cache")));
  auto learned = cli({"run", wf, "--platform", plat, "--learn"}, {{"XDG_CACHE_HOME", s.file("cache")},
                                                                 {"CAUSALITY_MODELS_DIR", std::nullopt}});
  REQUIRE(learned.rc == 0);
  CHECK(std::filesystem::exists(s.file("cache") + "/causality/models/history.json"));

  std::filesystem::create_directories(models);
  s.write("models/history.json", "{\"version\": 1, \"modles\": []}");
  auto r = cli({"run", wf, "--platform", plat, "--models", models});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(r.err.find("history.json") != std::string::npos);
  CHECK(r.err.find("did you mean 'models'") != std::string::npos);
  CHECK(r.err.find("kept as " + models + "/history.json.bad") != std::string::npos);
  CHECK(slurp(models + "/history.json.bad") == "{\"version\": 1, \"modles\": []}");
  auto shown = cli({"models", "show", "--models", models, "--format", "json"});
  REQUIRE(shown.rc == 0);
  CHECK(json::parse(shown.out)["models"].size() == 5);  // the run started a new history
}
