// The hostile-input corpus (issue 22): files in tests/data/hostile/ and a
// few generated here (too big to keep), handed to `validate`, `plan`, `run`
// and `causality-domain` the way a hostile user or script would. For each:
// exit code 1 or 2, at most 20 s, at most 200 MB peak RSS, and exactly one
// error line naming the file (or flag) and the field; never an internal
// error, never output on stdout.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;

const std::string data = std::string(CAUSALITY_TESTS_DIR) + "/data/hostile/";
const std::string ok = data + "ok-workflow.json";
const std::string& platform = causality::testing::hetero3;

struct hostile_case {
  std::string name;                 ///< what the case stands for
  std::vector<std::string> argv;    ///< after the binary
  std::vector<std::string> expect;  ///< each must appear in the error line (the file or flag, the field)
  std::vector<std::string> absent = {};  ///< must not appear (a misattribution)
  std::string binary = CAUSALITY_CLI;
  /// Peak RSS allowed, MB. 200 for every hostile input; a workflow of a
  /// million edges is a legitimate size (issue 25 gives such workflows 1 GB)
  /// and is loaded through the JSON document today, about 660 MB here.
  long max_rss_mb = 200;
};

// Under AddressSanitizer (.ci/run's second stage) the CLI is instrumented
// too: its shadow memory, quarantine and slower code scale the bounds (ASan
// documents about 2-3x memory and 2x time; its quarantine alone holds up to
// 256 MB).
#if defined(__SANITIZE_ADDRESS__)
constexpr long rss_scale = 4, rss_extra_mb = 256, time_scale = 3;
#else
constexpr long rss_scale = 1, rss_extra_mb = 0, time_scale = 1;
#endif

void check_all(const std::vector<hostile_case>& cases) {
  for (const auto& c : cases) {
    std::vector<std::string> argv{c.binary};
    argv.insert(argv.end(), c.argv.begin(), c.argv.end());
    std::string shown;
    for (auto& a : argv) shown += (a.size() > 80 ? a.substr(0, 80) + "..." : a) + " ";
    INFO("case: " << c.name << "\n  " << shown);
    auto t0 = std::chrono::steady_clock::now();
    child p(argv, {{"CAUSALITY_LOG_LEVEL", std::nullopt}, {"CAUSALITY_TOKEN", "t-0123456789abcdef"}});
    REQUIRE(p.started());
    int rc = p.wait(25s * time_scale);
    auto took = std::chrono::steady_clock::now() - t0;
    INFO("exit " << rc << ", " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                 << " ms, peak RSS " << p.usage().ru_maxrss / 1024 << " MB\nstdout: " << p.out.substr(0, 500)
                 << "\nstderr: " << p.err.substr(0, 2000));
    CHECK((rc == 1 || rc == 2));
    CHECK(took <= 20s * time_scale);
    CHECK(p.usage().ru_maxrss <= (c.max_rss_mb * rss_scale + rss_extra_mb) * 1024);
    CHECK(lines(p.err) == 1);
    CHECK(p.err.find("internal error") == std::string::npos);
    CHECK(p.out.empty());
    for (auto& e : c.expect) CHECK(p.err.find(e) != std::string::npos);
    for (auto& a : c.absent) CHECK(p.err.find(a) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("hostile flags are refused in one line naming the flag", "[cli][hostile]") {
  const std::vector<std::string> run{"run", ok, "--platform", platform, "--time-scale", "0"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = run;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  check_all({
      {"--weights of 1e308", with({"--weights", "1e308,1,1"}), {"--weights", "priority weight", "1e308"}},
      {"--weights NaN", {"plan", ok, "--platform", platform, "--weights", "1,nan,1"}, {"--weights", "latency weight"}},
      {"--budget -5 (no 300-digit bound)", with({"--budget", "-5"}), {"--budget", "0 to 1e+18"}},
      {"--budget 1e400", {"plan", ok, "--platform", platform, "--budget", "1e400"}, {"--budget"}},
      {"--priority 101", with({"--priority", "101"}), {"--priority", "0 to 100"}},
      {"--priority 4294967295 (as a hint's)", {"plan", ok, "--platform", platform, "--priority", "4294967295"},
       {"--priority", "0 to 100"}},
      {"--max-latency 0", with({"--max-latency", "0"}), {"--max-latency"}},
      {"--time-scale nan", {"run", ok, "--platform", platform, "--time-scale", "nan"}, {"--time-scale", "finite"}},
      {"--time-scale 1e308", {"run", ok, "--platform", platform, "--time-scale", "1e308"}, {"--time-scale"}},
      {"--threads 1e9", with({"--threads", "1000000000"}), {"--threads"}},
      {"--metrics-port -1", with({"--metrics-port", "-1"}), {"--metrics-port"}},
      {"causality-domain --handshake-timeout-ms nan", {"--handshake-timeout-ms", "nan"},
       {"causality-domain: --handshake-timeout-ms", "finite"}, {}, CAUSALITY_DOMAIN_BIN},
      {"causality-domain --speed 1e308", {"--speed", "1e308"}, {"--speed"}, {}, CAUSALITY_DOMAIN_BIN},
      {"causality-domain --max-unauthenticated 0", {"--max-unauthenticated", "0"}, {"--max-unauthenticated"}, {},
       CAUSALITY_DOMAIN_BIN},
  });
}

TEST_CASE("an output file that cannot be written fails the command in one line", "[cli][hostile]") {
  const std::vector<std::string> run{"run", ok, "--platform", platform, "--time-scale", "0", "--quiet"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = run;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  check_all({
      {"--output /dev/full", with({"--output", "/dev/full"}), {"--output /dev/full", "write failed"}},
      {"--output into a missing directory", with({"--output", "/nonexistent-dir/out.json"}),
       {"--output /nonexistent-dir/out.json", "cannot open"}},
      {"--gantt /dev/full", with({"--gantt", "/dev/full"}), {"/dev/full", "--gantt"}},
      {"--dot /dev/full", with({"--dot", "/dev/full"}), {"/dev/full", "--dot"}},
      {"--metrics-out /dev/full", with({"--metrics-out", "/dev/full"}), {"/dev/full", "--metrics-out"}},
      {"plan --dot /dev/full", {"plan", ok, "--platform", platform, "--dot", "/dev/full"}, {"/dev/full", "--dot"}},
  });
}

TEST_CASE("standard output that cannot be written fails the command", "[cli][hostile]") {
  // The shell only redirects; the process that fails is causality itself.
  for (const std::string& cmd : {"validate '" + ok + "'", "plan '" + ok + "' --platform '" + platform + "'",
                                "run '" + ok + "' --platform '" + platform + "' --time-scale 0 --quiet",
                                "run '" + ok + "' --platform '" + platform + "' --time-scale 0 --quiet --output -"}) {
    INFO(cmd);
    child p({"/bin/sh", "-c", std::string("exec '") + CAUSALITY_CLI + "' " + cmd + " > /dev/full"},
            {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
    int rc = p.wait(30s);
    INFO(p.err);
    CHECK(rc == 1);
    CHECK(lines(p.err) == 1);
    CHECK(p.err.find("causality: ") == 0);
    CHECK(p.err.find("write failed") != std::string::npos);
  }
}

namespace {

/// The big cases, generated (too big to keep in the repository).
struct generated {
  scratch s;
  std::string long_id, sum_overflow, many_edges, many_domains;
  generated() {
    long_id = s.write("wf-id-10mb.json", R"({"definition_id": "w", "name": "w", "nodes": [{"node_id": ")" +
                                             std::string(10u << 20, 'x') + R"(", "node_type": "noop"}]})");
    // 1001 nodes of 1e9 ms each: every one in range, the sum (1.001e12 ms) not.
    std::string w = R"({"definition_id": "w", "name": "w", "nodes": [)";
    for (int i = 0; i < 1001; ++i)
      w += std::string(i ? "," : "") + R"({"node_id": "n)" + std::to_string(i) +
           R"(", "node_type": "noop", "resources": {"cpu_time_ms": 1000000000}})";
    sum_overflow = s.write("wf-work-sum.json", w + "]}");
    // 1e6 edges over 1000 nodes, the last one closing a cycle.
    std::string e = R"({"definition_id": "w", "name": "w", "nodes": [)";
    for (int i = 0; i < 1000; ++i)
      e += std::string(i ? "," : "") + R"({"node_id": "n)" + std::to_string(i) +
           R"(", "node_type": "noop", "input_ports": [{"name": "i", "type": "any"}], "output_ports": [{"name": "o", "type": "any"}]})";
    e += R"(], "edges": [)";
    std::size_t k = 0;
    for (int a = 0; a < 1000 && k < 1000000; ++a)
      for (int b = a + 1; b < 1000 && k < 999999; ++b, ++k)
        e += std::string(k ? "," : "") + R"({"edge_id": "e)" + std::to_string(k) + R"(", "source_node": "n)" +
             std::to_string(a) + R"(", "source_port": "o", "target_node": "n)" + std::to_string(b) +
             R"(", "target_port": "i"})";
    e += R"(, {"edge_id": "back", "source_node": "n999", "source_port": "o", "target_node": "n0", "target_port": "i"}]})";
    many_edges = s.write("wf-1e6-edges.json", e);
    std::string p = R"({"name": "many", "domains": [)";
    for (int i = 0; i < 500; ++i)
      p += std::string(i ? "," : "") + R"({"name": "d)" + std::to_string(i) + R"(", "kind": "compute", "slots": 1})";
    many_domains = s.write("plat-500-domains.json", p + "]}");
  }
};

}  // namespace

TEST_CASE("hostile files are refused in one line naming the file and the field", "[cli][hostile]") {
  generated g;
  auto d = [](const std::string& f) { return data + f; };
  auto validate = [&](const std::string& f) { return std::vector<std::string>{"validate", d(f)}; };
  auto plan_on = [&](const std::string& p) { return std::vector<std::string>{"plan", ok, "--platform", d(p)}; };
  check_all({
      // Hangs and unbounded memory.
      {"/dev/zero as a workflow", {"validate", "/dev/zero"}, {"/dev/zero"}},
      {"/dev/urandom as a workflow", {"plan", "/dev/urandom", "--platform", platform}, {"/dev/urandom"}},
      {"/dev/zero as a platform", {"plan", ok, "--platform", "/dev/zero"}, {"/dev/zero"}},
      {"/dev/zero as strategies", {"plan", ok, "--platform", platform, "--strategies", "/dev/zero"}, {"/dev/zero"}},
      {"/dev/zero as a hint", {"plan", ok, "--platform", platform, "--hint", "/dev/zero"}, {"/dev/zero"}},
      {"/dev/zero as --inputs", {"run", ok, "--platform", platform, "--inputs", "/dev/zero"}, {"/dev/zero"}},
      {"slots 3e9 (plan)", plan_on("plat-slots-3e9.json"), {"plat-slots-3e9.json", "slots"}},
      {"slots 3e9 (run)", {"run", ok, "--platform", d("plat-slots-3e9.json")}, {"plat-slots-3e9.json", "slots"}},
      {"1e6 edges", {"plan", g.many_edges, "--platform", platform}, {"wf-1e6-edges.json"}, {}, CAUSALITY_CLI, 1024},
      {"WfCommons task of 1e13 s", {"run", d("wfc-task-1e13s.json"), "--platform", platform, "--time-scale", "1e-9"},
       {"wfc-task-1e13s.json", "runtimeInSeconds"}},
      {"deep nesting", validate("wf-deep.json"), {"wf-deep.json"}},
      {"truncated", validate("wf-truncated.json"), {"wf-truncated.json"}},
      {"NaN literal", validate("wf-nan-literal.json"), {"wf-nan-literal.json"}},
      // Silently accepted before.
      {"cpu_time_ms 1e308", validate("wf-cpu-1e308.json"), {"wf-cpu-1e308.json", "cpu_time_ms"}},
      {"cpu_time_ms 2^63 (run)", {"run", d("wf-cpu-2p63.json"), "--platform", platform}, {"wf-cpu-2p63.json", "cpu_time_ms"}},
      {"cpu_time_ms u64 max", validate("wf-cpu-u64max.json"), {"wf-cpu-u64max.json", "cpu_time_ms"}},
      {"total work overflowing", {"validate", g.sum_overflow}, {"wf-work-sum.json", "cpu_time_ms"}},
      {"memory_bytes u64 max", validate("wf-memory-u64max.json"), {"wf-memory-u64max.json", "memory_bytes"}},
      {"id with NUL", validate("wf-id-nul.json"), {"wf-id-nul.json", "node_id"}},
      {"id with a newline", validate("wf-id-newline.json"), {"wf-id-newline.json", "node_id"}, {"ERROR: forged"}},
      {"id with ANSI escapes", validate("wf-id-ansi.json"), {"wf-id-ansi.json", "node_id"}},
      {"ids differing after a NUL", validate("wf-id-nul-twins.json"), {"wf-id-nul-twins.json", "node_id"}},
      {"empty id", validate("wf-id-empty.json"), {"wf-id-empty.json", "node_id"}},
      {"id of 10 MB", {"validate", g.long_id}, {"wf-id-10mb.json", "node_id"}},
      {"duplicate key in a node", validate("wf-dup-key.json"), {"wf-dup-key.json", "node_id"}},
      {"duplicate top-level key", validate("wf-dup-key-top.json"), {"wf-dup-key-top.json", "nodes"}},
      {"parallel duplicate edges", validate("wf-parallel-edges.json"), {"wf-parallel-edges.json", "edges"}},
      {"empty workflow", validate("wf-empty.json"), {"wf-empty.json", "nodes"}},
      {"complexity 1e300", {"plan", d("wf-complexity-huge.json"), "--platform", platform},
       {"wf-complexity-huge.json", "complexity"}},
      {"speed 1e308", plan_on("plat-speed-1e308.json"), {"plat-speed-1e308.json", "speed"}},
      {"speed 1e-300 (blames the platform)", plan_on("plat-speed-1e-300.json"), {"plat-speed-1e-300.json", "speed"},
       {"/nodes/0"}},
      {"bandwidth 1e-300", plan_on("plat-bandwidth-1e-300.json"), {"plat-bandwidth-1e-300.json", "bandwidth_bytes_per_s"}},
      {"latency 1e308", plan_on("plat-latency-1e308.json"), {"plat-latency-1e308.json", "latency_ms"}},
      {"base_cost u64 max", plan_on("plat-base-cost-u64max.json"), {"plat-base-cost-u64max.json", "base_cost"}},
      {"domain_cost_factor 1e300", plan_on("plat-cost-factor-huge.json"),
       {"plat-cost-factor-huge.json", "domain_cost_factor"}},
      {"domain name with ANSI escapes", plan_on("plat-domain-name-ansi.json"), {"plat-domain-name-ansi.json", "name"}},
      {"500 domains (blames the platform)", {"plan", ok, "--platform", g.many_domains},
       {"plat-500-domains.json", "domains"}, {"ok-workflow.json"}},
      {"strategies shadowing a built-in", {"plan", ok, "--platform", platform, "--strategies", d("strat-shadow-latency.json")},
       {"strat-shadow-latency.json", "name"}},
      {"absurd strategy weights", {"plan", ok, "--platform", platform, "--strategies", d("strat-weights-absurd.json")},
       {"strat-weights-absurd.json", "priority_weight"}},
      {"all-zero strategy weights", {"plan", ok, "--platform", platform, "--strategies", d("strat-weights-zero.json")},
       {"strat-weights-zero.json", "weight"}},
      {"hint priority 4294967295", {"plan", ok, "--platform", platform, "--hint", d("hint-priority-u32max.json")},
       {"hint-priority-u32max.json", "priority"}},
      {"hint cost_budget -5", {"plan", ok, "--platform", platform, "--hint", d("hint-budget-neg.json")},
       {"hint-budget-neg.json", "cost_budget"}},
      {"hint makespan_stretch 0.5", {"plan", ok, "--platform", platform, "--hint", d("hint-stretch-below-1.json")},
       {"hint-stretch-below-1.json", "makespan_stretch"}},
      {"inputs not an object", {"run", ok, "--platform", platform, "--inputs", d("inputs-not-object.json")},
       {"inputs-not-object.json"}},
      // Unknown fields: refused with the closest known name, never ignored.
      {"workflow field 'nodez'", validate("wf-unknown-field.json"), {"wf-unknown-field.json", "/nodez", "'nodes'"}},
      {"hint field 'makespan_strech'", {"plan", ok, "--platform", platform, "--hint", d("hint-unknown-field.json")},
       {"hint-unknown-field.json", "/makespan_strech", "'makespan_stretch'"}},
      {"platform field 'slot'", plan_on("plat-unknown-field.json"), {"plat-unknown-field.json", "/domains/0/slot", "'slots'"}},
  });
}
