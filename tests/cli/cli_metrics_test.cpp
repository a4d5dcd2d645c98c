// Metrics of a real `causality run`, scraped from its /metrics endpoint while
// it runs and read from --metrics-out after it ended, parsed by the reference
// Prometheus parser (python3-prometheus-client) and checked series by series
// against the run's own JSON summary.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string& platform = causality::testing::hetero3;
const std::string parser = std::string(CAUSALITY_SOURCE_DIR) + "/tests/cli/parse_prometheus.py";

/// GET /metrics over a real socket (HTTP/1.0: the server closes after it).
std::string scrape(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  const std::string req = "GET /metrics HTTP/1.0\r\nHost: t\r\n\r\n";
  REQUIRE(send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
  std::string resp;
  char buf[8192];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) resp.append(buf, static_cast<std::size_t>(n));
  close(fd);
  auto body = resp.find("\r\n\r\n");
  REQUIRE(body != std::string::npos);
  return resp.substr(body + 4);
}

/// The text parsed by the reference parser.
struct parsed {
  json families;
  json samples;
  double value(const std::string& name, const json& labels = json::object()) const {
    const json* found = nullptr;
    for (auto& s : samples)
      if (s["name"] == name && s["labels"] == labels) {
        REQUIRE(found == nullptr);
        found = &s;
      }
    INFO("sample " << name << " " << labels.dump());
    REQUIRE(found != nullptr);
    return (*found)["value"].get<double>();
  }
  double sum(const std::string& name) const {
    double t = 0;
    for (auto& s : samples)
      if (s["name"] == name) t += s["value"].get<double>();
    return t;
  }
};

parsed parse(const scratch& s, const std::string& text, const std::string& name) {
  std::ofstream(s.file(name)) << text;
  child py({"/usr/bin/python3", parser, s.file(name)});
  REQUIRE(py.started());
  int rc = py.wait(60s);
  INFO(py.err);
  REQUIRE(rc == 0);
  auto j = json::parse(py.out);
  return {j["families"], j["samples"]};
}

double regex_sum(const std::string& text, const std::string& name) {
  double t = 0;
  std::regex re("^" + name + "\\{[^}]*\\} ([0-9.e+]+)$", std::regex::multiline);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    t += std::stod((*it)[1].str());
  return t;
}

}  // namespace

TEST_CASE("a live scrape counts nodes as they start; the final snapshot matches the run",
          "[cli][metrics]") {
  scratch s;
  child run({CAUSALITY_CLI, "run", montage, "--platform", platform, "--time-scale", "0.02", "--format", "json",
             "--metrics-port", "0", "--metrics-out", s.file("final.prom")},
            {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
  std::smatch m;
  REQUIRE(run.read_until(
      [&](const std::string&, const std::string& err) {
        return std::regex_search(err, m, std::regex(R"(metrics: http://127\.0\.0\.1:([0-9]+)/metrics)"));
      },
      60s));
  const int port = std::stoi(m[1].str());

  // Mid-run: nodes are running, so more started than settled. Scrape until
  // a scrape shows it (bounded: the run takes seconds).
  std::string live;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    live = scrape(port);
    if (regex_sum(live, "causality_nodes_started_total") >
        regex_sum(live, "causality_nodes_finished_total") + regex_sum(live, "causality_nodes_failed_total"))
      break;
  }
  auto lp = parse(s, live, "live.prom");
  INFO(live);
  CHECK(lp.sum("causality_nodes_started_total") >
        lp.sum("causality_nodes_finished_total") + lp.sum("causality_nodes_failed_total"));

  REQUIRE(run.wait(300s) == 0);
  auto summary = json::parse(run.out);
  const auto text = slurp(s.file("final.prom"));
  auto p = parse(s, text, "final.prom");
  INFO(text);

  // Prometheus naming: counters end in _total (the parser strips it from the
  // family), the histogram is in seconds, the utilisation a ratio.
  CHECK(p.families["causality_nodes_started"] == "counter");
  CHECK(p.families["causality_nodes_finished"] == "counter");
  CHECK(p.families["causality_nodes_failed"] == "counter");
  CHECK(p.families["causality_cost_accrued"] == "counter");
  CHECK(p.families["causality_strategy_switches"] == "counter");
  CHECK(p.families["causality_node_latency_seconds"] == "histogram");
  CHECK(p.families["causality_domain_utilisation_ratio"] == "gauge");
  CHECK(p.families["causality_queue_depth"] == "gauge");
  // Bucket bounds are plain decimals (no exponent), from 1 ms to 600 s.
  std::regex le(R"rx(le="([^"]*)")rx");
  std::size_t bounds = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), le); it != std::sregex_iterator(); ++it, ++bounds)
    CHECK(std::regex_match((*it)[1].str(), std::regex(R"(\+Inf|[0-9]+(\.[0-9]+)?)")));
  CHECK(bounds > 0);
  CHECK(text.find("le=\"0.001\"") != std::string::npos);
  CHECK(text.find("le=\"600\"") != std::string::npos);

  // Each series against the run.
  double nodes = 0, cost = 0;
  for (auto& d : summary["domains"]) {
    const json l{{"domain", d["domain"]}};
    const double n = d["nodes"].get<double>();
    INFO("domain " << d["domain"]);
    nodes += n;
    CHECK(p.value("causality_nodes_finished_total", l) == n);
    CHECK(p.value("causality_nodes_started_total", l) == n);  // no failures, no retries
    CHECK(p.value("causality_nodes_failed_total", l) == 0);
    CHECK(p.value("causality_node_latency_seconds_count", l) == n);
    CHECK(p.value("causality_node_latency_seconds_sum", l) ==
          Approx(d["busy_ms"].get<double>() / 1000).epsilon(1e-3).margin(1e-3));
    auto inf = l;
    inf["le"] = "+Inf";
    CHECK(p.value("causality_node_latency_seconds_bucket", inf) == n);
    CHECK(p.value("causality_queue_depth", l) == 0);
    auto u = p.value("causality_domain_utilisation_ratio", l);
    CHECK(u >= 0);
    CHECK(u <= 1);
    cost += p.value("causality_cost_accrued_total", l);
  }
  CHECK(nodes == 58);
  CHECK(cost == Approx(summary["actual_cost"].get<double>()));
  CHECK(p.value("causality_strategy_switches_total") == summary["strategy_switches"].get<double>());
}

TEST_CASE("the strategy switches counter equals the switches the run reports", "[cli][metrics]") {
  // --dynamic on montage: 58 nodes queued on 14 slots at the start put the
  // adaptive policy in its high-load regime, a switch to latency.
  scratch s;
  child run({CAUSALITY_CLI, "run", montage, "--platform", platform, "--time-scale", "0.01", "--dynamic",
             "--format", "json", "--metrics-out", s.file("final.prom")},
            {{"CAUSALITY_LOG_LEVEL", "off"}});
  REQUIRE(run.wait(300s) == 0);
  auto summary = json::parse(run.out);
  const double switches = summary["strategy_switches"].get<double>();
  REQUIRE(switches >= 1);
  auto p = parse(s, slurp(s.file("final.prom")), "final.prom");
  CHECK(p.value("causality_strategy_switches_total") == switches);
}
