// Hostile inputs generated for every file format and every class of limit
// (docs/model.md "Limits"): out of range, non-finite, overflowing sums, bad
// ids, duplicate keys, nesting, sizes, files that are not regular files.
// Each is refused in one line naming the file and the JSON path.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/limits.hpp"
#include "causality/model/validate.hpp"

using namespace causality::model;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A directory of its own for each test process.
const fs::path& scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("causality-limits-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  fs::path p = scratch() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

enum class kind { workflow, platform, hint, strategy };

/// The one-line error loading `path` as `k` gives ("" when it loads).
std::string load_error(const std::string& path, kind k) {
  switch (k) {
    case kind::workflow: {
      auto d = load_workflow_file(path);
      return d ? "" : d.err().message();
    }
    case kind::platform: {
      auto p = load_platform_file(path);
      return p ? "" : p.err().message();
    }
    case kind::hint:
    case kind::strategy: {
      auto text = read_text_file(path);
      if (!text) return text.err().message();
      auto j = parse_json(*text, path);
      if (!j) return j.err().message();
      if (k == kind::hint) {
        auto h = hint_from_json(*j, path);
        return h ? "" : h.err().message();
      }
      auto s = strategy_from_json(*j, path);
      return s ? "" : s.err().message();
    }
  }
  return "";
}

json two_nodes() {
  return json{{"nodes", {{{"node_id", "a"}}, {{"node_id", "b"}}}},
              {"edges", {{{"edge_id", "e"}, {"source_node", "a"}, {"target_node", "b"}}}}};
}

json one_domain() {
  return json{{"domains", {{{"name", "d"}, {"slots", 2}, {"speed", 1.0}}}}};
}

json wfcommons() {
  return json{{"name", "w"},
              {"workflow",
               {{"specification",
                 {{"tasks", {{{"id", "t1"}, {"children", {"t2"}}}, {{"id", "t2"}}}},
                  {"files", {{{"id", "f"}, {"sizeInBytes", 10}}}}}},
                {"execution", {{"tasks", {{{"id", "t1"}, {"runtimeInSeconds", 2}}}}}}}}};
}

struct hostile {
  const char* name;
  kind k;
  std::string text;
  std::string fragment;  ///< "<path>: <reason>" part the message must hold
};

std::string with(json j, const json::json_pointer& at, json v) {
  j[at] = std::move(v);
  return j.dump();
}

std::string many_domains(std::size_t n) {
  json d = json::array();
  for (std::size_t i = 0; i < n; ++i) d.push_back({{"name", "d" + std::to_string(i)}});
  return json{{"domains", d}}.dump();
}

std::string heavy_nodes(std::size_t n, double ms) {
  json nodes = json::array();
  for (std::size_t i = 0; i < n; ++i)
    nodes.push_back({{"node_id", "n" + std::to_string(i)}, {"resources", {{"cpu_time_ms", ms}}}});
  return json{{"nodes", nodes}}.dump();
}

std::string nested(std::size_t depth) {
  return R"({"nodes": [{"node_id": "a", "params": {"x": )" + std::string(depth, '[') +
         std::string(depth, ']') + "}}]}";
}

}  // namespace

TEST_CASE("hostile values in every format are refused naming file, JSON path and bound",
          "[model][limits]") {
  using P = json::json_pointer;
  const std::string ten_kb(10000, 'x');
  std::string deep_path = "/nodes/0/params/x";
  for (int i = 0; i < 60; ++i) deep_path += "/0";
  deep_path += ": nested deeper than 64 levels";
  auto c = GENERATE_COPY(values<hostile>({
      // workflow definition: numbers
      {"cpu_huge", kind::workflow, with(two_nodes(), P("/nodes/0/resources/cpu_time_ms"), 1e308),
       "/nodes/0/resources/cpu_time_ms: must be at most 1e+09, got 1e+308"},
      {"cpu_2_63", kind::workflow,
       with(two_nodes(), P("/nodes/0/resources/cpu_time_ms"), 9223372036854775808.0),
       "/nodes/0/resources/cpu_time_ms: must be at most 1e+09"},
      {"total_work", kind::workflow, heavy_nodes(1001, 1e9),
       "/nodes/1000/resources/cpu_time_ms: the workflow's total work reaches 1.001e+12 ms"},
      {"complexity", kind::workflow, with(two_nodes(), P("/nodes/1/complexity"), 1e300),
       "/nodes/1/complexity: must be at most 1e+06, got 1e+300"},
      {"memory", kind::workflow,
       with(two_nodes(), P("/nodes/0/resources/memory_bytes"), 9223372036854775808ull),
       "/nodes/0/resources/memory_bytes: must be at most 1099511627776"},
      {"security", kind::workflow, with(two_nodes(), P("/nodes/0/security_level"), 4294967295u),
       "/nodes/0/security_level: must be at most 1000"},
      {"edge_bytes", kind::workflow, with(two_nodes(), P("/edges/0/bytes"), 18446744073709551615ull),
       "/edges/0/bytes: must be at most 1099511627776"},
      {"completion", kind::workflow,
       with(two_nodes(), P("/nodes/0/resources/estimated_completion_time_ms"), 1e300),
       "/nodes/0/resources/estimated_completion_time_ms: must be at most 1e+12"},
      // workflow definition: ids and structure
      {"id_nul", kind::workflow, with(two_nodes(), P("/nodes/0/node_id"), std::string("a\0b", 3)),
       "/nodes/0/node_id: holds control character 0x00 at byte 1"},
      {"id_newline", kind::workflow, with(two_nodes(), P("/nodes/1/node_id"), "b\nERROR: forged line"),
       "/nodes/1/node_id: holds control character 0x0a at byte 1"},
      {"id_escape", kind::workflow, with(two_nodes(), P("/nodes/1/node_id"), "\x1b[31mred"),
       "/nodes/1/node_id: holds control character 0x1b at byte 0"},
      {"id_del", kind::workflow, with(two_nodes(), P("/nodes/1/node_id"), "b\x7f"),
       "/nodes/1/node_id: holds control character 0x7f at byte 1"},
      {"id_long", kind::workflow, with(two_nodes(), P("/nodes/1/node_id"), ten_kb),
       "/nodes/1/node_id: is 10000 bytes long, more than 256"},
      {"edge_end_escape", kind::workflow, with(two_nodes(), P("/edges/0/target_node"), "\x1b]0;x"),
       "/edges/0/target_node: holds control character 0x1b at byte 0"},
      {"empty_workflow", kind::workflow, R"({"nodes": []})",
       "/nodes: a workflow needs at least one node"},
      {"parallel_edge", kind::workflow,
       with(two_nodes(), P("/edges/1"), {{"edge_id", "e2"}, {"source_node", "a"}, {"target_node", "b"}}),
       "/edges/1: edge 'e2' repeats edge 'e' (same source, target and ports; first at /edges/0)"},
      {"duplicate_key", kind::workflow, R"({"nodes": [{"node_id": "a", "node_id": "b"}]})",
       "/nodes/0/node_id: duplicate key 'node_id' (first at line 1, column 13, again at line 1, "
       "column 29)"},
      {"duplicate_top_key", kind::workflow,
       "{\"nodes\": [{\"node_id\": \"a\"}],\n \"nodes\": []}",
       "/nodes: duplicate key 'nodes' (first at line 1, column 2, again at line 2, column 2)"},
      {"deep", kind::workflow, nested(100), deep_path},
      {"overflow_literal", kind::workflow, R"({"nodes": [{"node_id": "a", "complexity": 1e999}]})",
       "malformed JSON at line 1, column 43: number overflow parsing '1e999'"},
      // WfCommons
      {"wf_runtime", kind::workflow, with(wfcommons(), P("/workflow/execution/tasks/0/runtimeInSeconds"), 1e13),
       "/workflow/execution/tasks/0/runtimeInSeconds: must be at most 1e+06, got 1e+13 (seconds)"},
      {"wf_file_size", kind::workflow,
       with(wfcommons(), P("/workflow/specification/files/0/sizeInBytes"), 1e300),
       "/workflow/specification/files/0/sizeInBytes: must be at most 1099511627776, got 1e+300"},
      {"wf_id_newline", kind::workflow, with(wfcommons(), P("/workflow/specification/tasks/1/id"), "t\n2"),
       "/workflow/specification/tasks/1/id: holds control character 0x0a"},
      {"wf_duplicate_key", kind::workflow,
       R"({"workflow": {"specification": {"tasks": [{"id": "t", "id": "u"}]}}})",
       "/workflow/specification/tasks/0/id: duplicate key 'id'"},
      // platform
      {"slots", kind::platform, with(one_domain(), P("/domains/0/slots"), 3000000000u),
       "/domains/0/slots: must be at most 4096, got 3000000000"},
      {"speed_huge", kind::platform, with(one_domain(), P("/domains/0/speed"), 1e308),
       "/domains/0/speed: must be at most 1000, got 1e+308"},
      {"speed_tiny", kind::platform, with(one_domain(), P("/domains/0/speed"), 1e-300),
       "/domains/0/speed: must be at least 0.001, got 1e-300"},
      {"bandwidth", kind::platform, with(one_domain(), P("/network/bandwidth_bytes_per_s"), 1e-300),
       "/network/bandwidth_bytes_per_s: must be at least 1e+06, got 1e-300"},
      {"latency", kind::platform, with(one_domain(), P("/network/latency_ms"), 1e308),
       "/network/latency_ms: must be at most 1e+06, got 1e+308"},
      {"base_cost", kind::platform, with(one_domain(), P("/domains/0/cost/base_cost"), 18446744073709551615ull),
       "/domains/0/cost/base_cost: must be at most 1000000000, got 18446744073709551615"},
      {"cost_factor", kind::platform, with(one_domain(), P("/domains/0/cost/domain_cost_factor"), 1e300),
       "/domains/0/cost/domain_cost_factor: must be at most 1e+06"},
      {"multiplier", kind::platform,
       with(one_domain(), P("/network/cross_domain_multiplier/compute->service"), 1e300),
       "/network/cross_domain_multiplier/compute->service: must be at most 1000"},
      {"domains_500", kind::platform, many_domains(500), "/domains: 500 domains, more than 64"},
      {"domain_name", kind::platform, with(one_domain(), P("/domains/0/name"), "d\r\n"),
       "/domains/0/name: holds control character 0x0d at byte 1"},
      {"pf_duplicate_key", kind::platform, R"({"domains": [{"name": "a", "slots": 1, "slots": 2}]})",
       "/domains/0/slots: duplicate key 'slots'"},
      // hint
      {"priority", kind::hint, R"({"priority": 4294967295})",
       "/priority: must be at most 100, got 4294967295"},
      {"budget", kind::hint, R"({"cost_budget": 18446744073709551615})",
       "/cost_budget: must be at most 1000000000000000000"},
      {"hint_latency", kind::hint, R"({"max_latency_ms": 18446744073709551615})",
       "/max_latency_ms: must be at most 1000000000000"},
      {"hint_order", kind::hint, "{\"domain_preference_order\": [\"a\\u001b[2J\"]}",
       "/domain_preference_order/0: holds control character 0x1b"},
      // strategy
      {"weight_huge", kind::strategy, R"({"name": "s", "latency_weight": 1e308})",
       "/latency_weight: must be at most 100, got 1e+308"},
      {"weights_zero", kind::strategy,
       R"({"name": "s", "priority_weight": 0, "latency_weight": 0, "cost_weight": 0})",
       "the weights must not all be zero"},
      {"strategy_name", kind::strategy, "{\"name\": \"s\\n\"}", "/name: holds control character 0x0a"},
  }));
  const std::string path = write_file(std::string(c.name) + ".json", c.text);
  CAPTURE(c.name, path);
  const std::string msg = load_error(path, c.k);
  CAPTURE(msg);
  REQUIRE_FALSE(msg.empty());
  CHECK(msg.rfind(path + ": ", 0) == 0);  // names the file first
  CHECK(msg.find(c.fragment) != std::string::npos);
  for (char ch : msg) CHECK_FALSE((static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f));
}

TEST_CASE("the examples' own values are within the limits", "[model][limits]") {
  // Control: the generated files above differ from a loadable one only in
  // the hostile value.
  CHECK(load_error(write_file("ok_wf.json", two_nodes().dump()), kind::workflow).empty());
  CHECK(load_error(write_file("ok_wfc.json", wfcommons().dump()), kind::workflow).empty());
  CHECK(load_error(write_file("ok_pf.json", one_domain().dump()), kind::platform).empty());
  CHECK(load_error(write_file("ok_pf64.json", many_domains(64)), kind::platform).empty());
  CHECK(load_error(write_file("ok_hint.json", R"({"priority": 100})"), kind::hint).empty());
  CHECK(load_error(write_file("ok_s.json", R"({"name": "s", "latency_weight": 100})"),
                   kind::strategy)
            .empty());
}

TEST_CASE("a string longer than the limit is refused with its path", "[model][limits]") {
  std::string big(limits::max_string_bytes + 1, 'x');
  const std::string path =
      write_file("long_string.json", R"({"nodes": [{"node_id": "a", "logic_ref": ")" + big + "\"}]}");
  auto msg = load_error(path, kind::workflow);
  CHECK_THAT(msg, Catch::StartsWith(path + ": /nodes/0/logic_ref: string of 16777217 bytes, more than 16777216"));
}

TEST_CASE("files that are not regular files are refused at once", "[model][limits]") {
  using clock = std::chrono::steady_clock;
  SECTION("a character device") {
    for (const char* dev : {"/dev/zero", "/dev/urandom"}) {
      auto t0 = clock::now();
      auto msg = load_error(dev, kind::workflow);
      CHECK(msg == std::string(dev) + ": is a character device, not a regular file");
      CHECK(clock::now() - t0 < std::chrono::seconds(1));
      CHECK(load_error(dev, kind::platform) == std::string(dev) + ": is a character device, not a regular file");
    }
  }
  SECTION("a FIFO nobody writes to") {
    const std::string fifo = (scratch() / "fifo").string();
    ::unlink(fifo.c_str());
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto t0 = clock::now();
    CHECK(load_error(fifo, kind::platform) == fifo + ": is a FIFO, not a regular file");
    CHECK(clock::now() - t0 < std::chrono::seconds(1));
    ::unlink(fifo.c_str());
  }
}

TEST_CASE("a file above the size limit is refused before it is read; the limit is configurable",
          "[model][limits]") {
  const std::string path = write_file("big.json", heavy_nodes(100, 1.0));  // ~5 KB
  ::setenv(limits::max_file_bytes_env, "1000", 1);
  auto msg = load_error(path, kind::workflow);
  ::setenv(limits::max_file_bytes_env, "nonsense", 1);
  auto bad_env = load_error(path, kind::workflow);
  ::unsetenv(limits::max_file_bytes_env);
  CHECK(msg == path + ": is larger than the limit of 1000 bytes (set CAUSALITY_MAX_FILE_BYTES to change it)");
  CHECK_THAT(bad_env, Catch::StartsWith("CAUSALITY_MAX_FILE_BYTES: must be a whole number of bytes"));
  CHECK(load_error(path, kind::workflow).empty());  // the default limit again
}

TEST_CASE("a workflow's cost on a platform is summed and bounded", "[model][limits]") {
  auto def = workflow_from_json(json{{"nodes", {{{"node_id", "a"},
                                                 {"complexity", 1e6},
                                                 {"resources", {{"cpu_time_ms", 1e9}}}}}}},
                                "wf.json");
  REQUIRE(def);
  auto plat = platform_from_json(json::parse(R"({"name": "dear", "domains": [{"name": "d", "cost":
      {"base_cost": 1000000000, "resource_cost_per_unit": 1000000000, "domain_cost_factor": 1e6}}]})"),
                                 "pf.json");
  INFO((plat ? "" : plat.err().message()));
  REQUIRE(plat);
  auto bad = validate_against_platform(*def, *plat, "wf.json");
  REQUIRE(bad);
  CHECK_THAT(bad->message(), Catch::StartsWith("wf.json: /nodes/0: node 'a' costs 1.000001e+27 on domain 'd' "
                                                "of platform 'dear': the workflow's cost would exceed 1e+18"));
}

TEST_CASE("an error message is one printable line whatever the input held", "[model][limits]") {
  error e{"f\n.json", "/a\x1b", "bad \x7f value\r\n"};
  CHECK(e.message() == "f\\x0a.json: /a\\x1b: bad \\x7f value\\x0d\\x0a");
}
