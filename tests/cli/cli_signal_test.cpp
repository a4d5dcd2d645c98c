// SIGINT / SIGTERM during a real `causality run` of a long workflow: the
// first signal cancels the run, the summary and the requested files
// (--gantt, --dot, --metrics-out) are still written, exit 130; a second
// signal exits at once. The exit codes are listed by `causality --help`.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

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

// ---------------------------------------------------------------------------
// Every state ends on a signal within 2 s (docs: `causality --help`, exit
// codes). Each case waits for the state's marker (a debug log line, a
// connection, bytes consumed), never for a time, then signals.

namespace {

/// Signals `c` and waits for it: its exit code; `took` is the time from the
/// signal to the end of its output streams (it has exited by then).
int signal_and_time(child& c, int sig, std::chrono::milliseconds& took) {
  auto t0 = std::chrono::steady_clock::now();
  c.signal(sig);
  int rc = c.wait(30s);
  took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  return rc;
}

/// Waits until `c` has written `marker` to stderr.
bool wait_for_marker(child& c, const std::string& marker) {
  return c.read_until([&](const std::string&, const std::string& err) { return err.find(marker) != std::string::npos; },
                      120s);
}

/// A project-JSON workflow of `n` nodes: a chain of `n / 2` and `n / 2`
/// independent nodes (planning it takes seconds).
std::string big_workflow(std::size_t n) {
  std::string s = R"({"definition_id": "big", "name": "big", "nodes": [)";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += ",";
    s += R"({"node_id": "n)" + std::to_string(i) + R"(", "node_type": "noop", "resources": {"cpu_time_ms": )" +
         std::to_string(1 + i % 97) + "}" + (i % 2 ? "" : R"(, "input_ports": [{"name": "in", "type": "any"}], "output_ports": [{"name": "out", "type": "any"}])") + "}";
  }
  s += R"(], "edges": [)";
  bool first = true;
  for (std::size_t i = 2; i < n; i += 2) {
    if (!first) s += ",";
    first = false;
    s += R"({"edge_id": "e)" + std::to_string(i) + R"(", "source_node": "n)" + std::to_string(i - 2) +
         R"(", "source_port": "out", "target_node": "n)" + std::to_string(i) + R"(", "target_port": "in", "bytes": 1000})";
  }
  return s + "]}";
}

}  // namespace

TEST_CASE("a signal while planning exits 130 at once", "[cli][signal][states]") {
  scratch s;
  auto wf = s.write("big.json", big_workflow(200000));
  for (const char* cmd : {"plan", "run"}) {
    INFO(cmd);
    child c({CAUSALITY_CLI, cmd, wf, "--platform", platform, "--log-level", "debug", "--explain"});
    REQUIRE(c.started());
    // plan: "planning ..."; run: the run plans after it started (then the signal cancels it).
    REQUIRE(wait_for_marker(c, std::string(cmd) == "plan" ? "planning " : " started: "));
    std::chrono::milliseconds took{};
    int rc = signal_and_time(c, SIGTERM, took);
    INFO("stderr: " << c.err.substr(c.err.size() > 2000 ? c.err.size() - 2000 : 0));
    CHECK(rc == 130);
    CHECK(took < 2s);
    CHECK(c.err.find("causality: interrupted") != std::string::npos);
  }
}

TEST_CASE("a signal while setting up the runtime (connecting a remote domain) exits 130 at once",
          "[cli][signal][states]") {
  // A listener that accepts and never answers: the runtime waits for the
  // connection's handshake (3 s and more) when the signal comes.
  int ls = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(ls >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(ls, 8) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(ls, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  scratch s;
  auto pf = s.write("remote.json", R"({"name": "remote", "domains": [{"name": "far", "kind": "compute", "slots": 1,
    "endpoint": "127.0.0.1:)" + std::to_string(ntohs(a.sin_port)) + R"("}]})");
  child c({CAUSALITY_CLI, "run", workflow, "--platform", pf, "--log-level", "debug"},
          {{"CAUSALITY_TOKEN", "t-0123456789abcdef"}});
  REQUIRE(c.started());
  REQUIRE(wait_for_marker(c, "setting up the runtime"));
  pollfd p{ls, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 60000) == 1);  // the runtime connects
  int conn = ::accept4(ls, nullptr, nullptr, SOCK_CLOEXEC);
  REQUIRE(conn >= 0);
  std::chrono::milliseconds took{};
  int rc = signal_and_time(c, SIGINT, took);
  INFO("stderr: " << c.err);
  CHECK(rc == 130);
  CHECK(took < 2s);
  CHECK(c.err.find("causality: interrupted") != std::string::npos);
  ::close(conn);
  ::close(ls);
}

TEST_CASE("a signal during a run ends it within 2 s with the summary", "[cli][signal][states]") {
  scratch s;
  child c({CAUSALITY_CLI, "run", workflow, "--platform", platform, "--time-scale", "0.05", "--output",
           s.file("out.json")});
  start_and_wait_for_progress(c);
  std::chrono::milliseconds took{};
  int rc = signal_and_time(c, SIGTERM, took);
  INFO("stdout:\n" << c.out << "\nstderr:\n" << c.err);
  CHECK(rc == 130);
  CHECK(took < 2s);
  CHECK(c.out.find("status:    cancelled") != std::string::npos);
  CHECK(slurp(s.file("out.json")).rfind("{", 0) == 0);
}

TEST_CASE("a signal during shutdown (a --gantt FIFO nobody reads) exits 130 within 2 s", "[cli][signal][states]") {
  scratch s;
  const auto fifo = s.file("gantt.svg");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  child c({CAUSALITY_CLI, "run", causality::testing::forkjoin, "--platform", platform, "--time-scale", "0",
           "--log-level", "debug", "--gantt", fifo});
  REQUIRE(c.started());
  REQUIRE(wait_for_marker(c, "writing the requested files"));
  std::chrono::milliseconds took{};
  int rc = signal_and_time(c, SIGTERM, took);
  INFO("stderr: " << c.err);
  CHECK(rc == 130);
  CHECK(took < 2s);
  CHECK(c.err.find("causality: interrupted") != std::string::npos);
}

TEST_CASE("a signal while reading a workflow that never ends (standard input) exits 130 at once",
          "[cli][signal][states]") {
  int p[2];
  REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
  child c({CAUSALITY_CLI, "validate", "-", "--log-level", "debug"}, {}, p[0]);
  ::close(p[0]);
  REQUIRE(c.started());
  REQUIRE(wait_for_marker(c, "reading workflow -"));
  // Some bytes, then nothing and no end: once they are consumed it is reading.
  REQUIRE(::write(p[1], "{\"nodes\": [", 11) == 11);
  int left = 1;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; left > 0 && std::chrono::steady_clock::now() < deadline;) {
    REQUIRE(::ioctl(p[1], FIONREAD, &left) == 0);
    if (left > 0) c.read_until([](const std::string&, const std::string&) { return false; }, 10ms);
  }
  REQUIRE(left == 0);
  std::chrono::milliseconds took{};
  int rc = signal_and_time(c, SIGINT, took);
  INFO("stderr: " << c.err);
  CHECK(rc == 130);
  CHECK(took < 2s);
  CHECK(c.err.find("causality: interrupted") != std::string::npos);
  ::close(p[1]);
}
