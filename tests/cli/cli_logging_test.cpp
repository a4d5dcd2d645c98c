// Log levels of the real binaries: `causality` and `causality-domain` run as
// child processes with --log-level or CAUSALITY_LOG_LEVEL, and the levels of
// the log lines on their stderr are checked against the configured one.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
const std::string& workflow = causality::testing::forkjoin;
const std::string& platform = causality::testing::hetero3;

// Severity order of spdlog's level names as printed by the default pattern.
const std::vector<std::string> order{"trace", "debug", "info", "warning", "error", "critical"};
int rank(const std::string& l) {
  for (std::size_t i = 0; i < order.size(); ++i)
    if (order[i] == l || (l == "warn" && order[i] == "warning")) return static_cast<int>(i);
  return static_cast<int>(order.size());  // off
}

/// Levels of the log lines (`[...] [logger] [level] message`) in `text`.
std::set<std::string> levels_in(const std::string& text) {
  std::set<std::string> out;
  std::regex re(R"(\] \[[a-z]+\] \[(trace|debug|info|warning|error|critical)\] )");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1].str());
  return out;
}

/// Nothing below `level` appears; `expected` (each at or above it) does.
void check_levels(const std::string& text, const std::string& level, const std::set<std::string>& expected) {
  INFO("configured " << level << ", output:\n" << text);
  for (auto& l : levels_in(text)) CHECK(rank(l) >= rank(level));
  auto seen = levels_in(text);
  for (auto& l : expected)
    if (rank(l) >= rank(level)) CHECK(seen.count(l) == 1);
}

const char* levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};

}  // namespace

TEST_CASE("causality run logs nothing below the level given by --log-level or CAUSALITY_LOG_LEVEL",
          "[cli][log]") {
  for (const char* level : levels) {
    for (bool by_env : {false, true}) {
      std::vector<std::string> args{CAUSALITY_CLI, "run", workflow, "--platform", platform, "--time-scale", "0",
                                    "--format", "json"};
      std::map<std::string, std::optional<std::string>> env{{"CAUSALITY_LOG_LEVEL", std::nullopt}};
      if (by_env) env["CAUSALITY_LOG_LEVEL"] = level;
      else args.insert(args.end(), {"--log-level", level});
      child c(args, env);
      REQUIRE(c.started());
      REQUIRE(c.wait(120s) == 0);
      INFO((by_env ? "CAUSALITY_LOG_LEVEL=" : "--log-level ") << level);
      // trace: each planned node, debug: the files read, info: run start and end.
      check_levels(c.err, level, {"trace", "debug", "info"});
    }
  }
}

TEST_CASE("without configuration the binaries log no info lines, and --quiet hides progress",
          "[cli][log]") {
  child plain({CAUSALITY_CLI, "run", workflow, "--platform", platform, "--time-scale", "0"},
              {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
  REQUIRE(plain.wait(120s) == 0);
  CHECK(levels_in(plain.err).empty());
  CHECK(plain.err.find("progress:") != std::string::npos);

  child quiet({CAUSALITY_CLI, "run", workflow, "--platform", platform, "--time-scale", "0", "--quiet"},
              {{"CAUSALITY_LOG_LEVEL", "info"}});
  REQUIRE(quiet.wait(120s) == 0);
  CHECK(quiet.err == "");  // no progress, no info: --quiet wins over the environment
  CHECK(quiet.out.find("status:    succeeded") != std::string::npos);  // the summary stays
}

TEST_CASE("an unknown log level is a usage error: exit 2, one line listing the valid levels",
          "[cli][log]") {
  const std::string valid = "(expected trace, debug, info, warn, error, critical or off)";
  for (const std::string bin : {CAUSALITY_CLI, CAUSALITY_DOMAIN_BIN}) {
    std::vector<std::string> base{bin};
    if (bin == CAUSALITY_CLI) base.insert(base.end(), {"validate", workflow});
    auto flag = base;
    flag.insert(flag.end(), {"--log-level", "loud"});
    child a(flag, {{"CAUSALITY_LOG_LEVEL", std::nullopt}, {"CAUSALITY_TOKEN", "t-0123456789abcdef"}});
    CHECK(a.wait(30s) == 2);
    INFO(a.err);
    CHECK(a.err.find("--log-level") != std::string::npos);
    CHECK(a.err.find(valid) != std::string::npos);
    CHECK(std::count(a.err.begin(), a.err.end(), '\n') == 1);
    CHECK(a.out.empty());

    child b(base, {{"CAUSALITY_LOG_LEVEL", "verbose"}, {"CAUSALITY_TOKEN", "t-0123456789abcdef"}});
    CHECK(b.wait(30s) == 2);
    INFO(b.err);
    CHECK(b.err.find("CAUSALITY_LOG_LEVEL: unknown log level 'verbose' " + valid) != std::string::npos);
    CHECK(std::count(b.err.begin(), b.err.end(), '\n') == 1);
  }
}

TEST_CASE("causality-domain and a refused client log warnings and errors only at or above the level",
          "[cli][log][cluster]") {
  // The server logs `hosting` (info) and the refused handshake (warn); the
  // client logs the refusal (error) and fails with one line naming the domain.
  scratch s;
  for (const char* level : levels) {
    INFO("level " << level);
    child server({CAUSALITY_DOMAIN_BIN, "--name", "far", "--port", "0", "--log-level", level},
                 {{"CAUSALITY_TOKEN", "right-token-0123456789"}, {"CAUSALITY_LOG_LEVEL", std::nullopt}});
    REQUIRE(server.read_until([](const std::string& o, const std::string&) { return o.find('\n') != std::string::npos; },
                              30s));
    std::smatch m;
    REQUIRE(std::regex_search(server.out, m, std::regex(R"(listening on 127\.0\.0\.1:([0-9]+))")));
    const std::string pf = s.dir + "/remote.json";
    std::ofstream(pf) << R"({"name": "remote", "domains": [{"name": "far", "kind": "compute", "slots": 1,
      "endpoint": "127.0.0.1:)" << m[1].str() << R"("}]})";
    child client({CAUSALITY_CLI, "run", workflow, "--platform", pf, "--time-scale", "0"},
                 {{"CAUSALITY_TOKEN", "wrong-token-0123456789"}, {"CAUSALITY_LOG_LEVEL", level}});
    CHECK(client.wait(60s) == 1);
    CHECK(client.err.find("causality: cannot start the runtime: domain 'far' at 127.0.0.1:" + m[1].str() +
                          ": refused: wrong or missing cluster token") != std::string::npos);
    CHECK(client.err.find("internal error") == std::string::npos);
    check_levels(client.err, level, {"error"});
    server.signal(SIGTERM);
    CHECK(server.wait(30s) == 0);
    check_levels(server.err, level, {"info", "warning"});
  }
}
