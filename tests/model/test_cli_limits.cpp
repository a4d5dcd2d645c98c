// `causality validate/plan/run` refuse out-of-limit files in one line naming
// the file and the JSON path, with exit code 1 (docs/model.md "Limits").
#include <catch2/catch.hpp>

#include "../cli_runner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using causality::testing::run_cli;
namespace fs = std::filesystem;

std::string put(const std::string& name, const std::string& text) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("causality-cli-limits-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

const char* k_workflow =
    R"({"name": "w", "nodes": [{"node_id": "a"}, {"node_id": "b"}],
        "edges": [{"edge_id": "e", "source_node": "a", "target_node": "b"}]})";
const char* k_platform = R"({"name": "p", "domains": [{"name": "d", "slots": 2}]})";

/// One line, exit 1.
void check_refusal(const causality::testing::run_result& r, const std::string& line) {
  CAPTURE(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output == "causality: " + line + "\n");
}

}  // namespace

TEST_CASE("cli: a strategies file may not redefine a built-in strategy", "[cli][limits]") {
  const std::string wf = put("wf.json", k_workflow), pf = put("pf.json", k_platform);
  for (const char* name : {"latency", "balanced", "cost-minimization", "capital-efficiency"}) {
    const std::string s = put("s.json", std::string(R"([{"name": ")") + name + R"(", "latency_weight": 1}])");
    check_refusal(run_cli("plan '" + wf + "' --platform '" + pf + "' --strategies '" + s + "'"),
                  s + ": /0/name: '" + name +
                      "' is a built-in strategy and cannot be redefined (choose another name)");
  }
  const std::string twice =
      put("twice.json", R"({"strategies": [{"name": "x"}, {"name": "x", "cost_weight": 1}]})");
  check_refusal(run_cli("plan '" + wf + "' --platform '" + pf + "' --strategies '" + twice + "'"),
                twice + ": /strategies/1/name: strategy 'x' is defined twice (first at /strategies/0)");
  const std::string absurd = put("absurd.json", R"([{"name": "x", "cost_weight": 1e308}])");
  check_refusal(run_cli("plan '" + wf + "' --platform '" + pf + "' --strategies '" + absurd + "'"),
                absurd + ": /0/cost_weight: must be at most 100, got 1e+308");
  const std::string fine = put("fine.json", R"([{"name": "mine", "cost_weight": 2}])");
  auto ok = run_cli("plan '" + wf + "' --platform '" + pf + "' --strategies '" + fine + "' --strategy mine");
  CAPTURE(ok.output);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("cli: more than 64 domains is refused naming the platform file", "[cli][limits]") {
  std::string domains;
  for (int i = 0; i < 500; ++i) domains += (i ? "," : "") + std::string(R"({"name": "d)") + std::to_string(i) + "\"}";
  const std::string wf = put("wf.json", k_workflow);
  const std::string pf = put("pf500.json", R"({"domains": [)" + domains + "]}");
  check_refusal(run_cli("validate '" + wf + "' --platform '" + pf + "'"),
                pf + ": /domains: 500 domains, more than 64 (the runtime's limit)");
  check_refusal(run_cli("plan '" + wf + "' --platform '" + pf + "'"),
                pf + ": /domains: 500 domains, more than 64 (the runtime's limit)");
}

TEST_CASE("cli: a platform's speed out of range blames the platform field", "[cli][limits]") {
  const std::string wf = put("wf.json", k_workflow);
  const std::string pf = put("slow.json", R"({"domains": [{"name": "d", "speed": 1e-300}]})");
  check_refusal(run_cli("plan '" + wf + "' --platform '" + pf + "'"),
                pf + ": /domains/0/speed: must be at least 0.001, got 1e-300");
  const std::string many = put("slots.json", R"({"domains": [{"name": "d", "slots": 3000000000}]})");
  check_refusal(run_cli("plan '" + wf + "' --platform '" + many + "'"),
                many + ": /domains/0/slots: must be at most 4096, got 3000000000");
}

TEST_CASE("cli: devices, FIFOs and duplicate keys are refused in one line", "[cli][limits]") {
  check_refusal(run_cli("validate /dev/zero"), "/dev/zero: is a character device, not a regular file");
  const std::string wf = put("wf.json", k_workflow);
  check_refusal(run_cli("validate '" + wf + "' --platform /dev/urandom"),
                "/dev/urandom: is a character device, not a regular file");
  const std::string fifo = (fs::path(wf).parent_path() / "fifo").string();
  ::unlink(fifo.c_str());
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  check_refusal(run_cli("plan '" + wf + "' --platform '" + put("pf.json", k_platform) + "' --strategies '" + fifo + "'"),
                fifo + ": is a FIFO, not a regular file");
  ::unlink(fifo.c_str());
  const std::string dup = put("dup.json", R"({"nodes": [{"node_id": "a"}], "nodes": []})");
  check_refusal(run_cli("validate '" + dup + "'"),
                dup + ": /nodes: duplicate key 'nodes' (first at line 1, column 2, again at line 1, column 31)");
}

TEST_CASE("cli: run refuses a hostile inputs or plan file naming it", "[cli][limits]") {
  const std::string wf = put("wf.json", k_workflow), pf = put("pf.json", k_platform);
  const std::string in = put("in.json", R"({"x": 1, "x": 2})");
  check_refusal(run_cli("run '" + wf + "' --platform '" + pf + "' --inputs '" + in + "'"),
                in + ": /x: duplicate key 'x' (first at line 1, column 2, again at line 1, column 10)");
  const std::string plan = put("plan.json", R"({"workflow": "w", "assignments": [
      {"node": "a", "domain": "d", "start_ms": 0, "finish_ms": 1e300},
      {"node": "b", "domain": "d", "start_ms": 0, "finish_ms": 1}]})");
  check_refusal(run_cli("run '" + wf + "' --platform '" + pf + "' --plan '" + plan + "'"),
                plan + ": /assignments/0/finish_ms: must be at most 1e+15, got 1e+300");
}

TEST_CASE("cli: an inputs file keeps to the workflow's input_schema", "[cli][limits]") {
  const std::string wf = put("schema.json", R"({"name": "w", "input_schema": {"count": "int", "label": "string"},
      "nodes": [{"node_id": "a"}]})");
  const std::string pf = put("pf.json", k_platform);
  const std::string typo = put("typo.json", R"({"count": 2, "lable": "x"})");
  check_refusal(run_cli("run '" + wf + "' --platform '" + pf + "' --inputs '" + typo + "'"),
                typo + ": /lable: not in the workflow's input_schema (did you mean 'label'?) (it has: count, label)");
  const std::string wrong = put("wrong.json", R"({"count": "two"})");
  check_refusal(run_cli("run '" + wf + "' --platform '" + pf + "' --inputs '" + wrong + "'"),
                wrong + ": /count: input_schema wants int, got string");
  const std::string good = put("good.json", R"({"count": 2, "label": "x"})");
  auto r = run_cli("run '" + wf + "' --platform '" + pf + "' --inputs '" + good + "' --time-scale 0");
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
}

TEST_CASE("cli: a workflow may come from stdin, read once and bounded", "[cli][limits]") {
  const std::string wf = put("wf.json", k_workflow);
  auto r = run_cli("validate - < '" + wf + "'");
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("nodes:         2\n"));
  auto big = run_cli("validate - < /dev/zero");
  CHECK(big.exit_code == 1);
  CHECK(big.output ==
        "causality: -: is larger than the limit of 67108864 bytes (set CAUSALITY_MAX_FILE_BYTES to change it)\n");
}
