#pragma once
// The cluster tests' domain server: a real causality-domain process on
// 127.0.0.1 (--port 0), and a remote domain of a platform that names it.

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "../child_process.hpp"
#include "causality/model/types.hpp"

namespace causality::testing {

/// A domain server process in a process group of its own: the group is
/// killed (SIGKILL) and the server reaped when the test is done with it, also
/// when a REQUIRE fails in the constructor (the guard is a member, already
/// constructed) or the test process dies (PR_SET_PDEATHSIG).
struct server {
  int out = -1, err = -1;
  testing::process_group proc;
  pid_t pid = -1;
  std::string port;

  server(const std::vector<std::string>& args, const std::string& token, const char* bin = CAUSALITY_DOMAIN_BIN) {
    int o[2], e[2];
    REQUIRE(pipe2(o, O_CLOEXEC) == 0);
    out = o[0];
    REQUIRE(pipe2(e, O_CLOEXEC) == 0);
    err = e[0];
    std::vector<std::string> argv_s{bin};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    // The tests read the server's info lines (refusals, cancellations).
    proc = testing::process_group(testing::spawn_in_group(
        argv_s, testing::environment_with({{"CAUSALITY_TOKEN", token}, {"CAUSALITY_LOG_LEVEL", "info"}}), o[1],
        e[1]));
    close(o[1]);
    close(e[1]);
    pid = proc.pid();
    REQUIRE(pid > 0);
    auto line = read_line(out, 20000);
    auto at = line.rfind(':');
    INFO("server said: " << line << " / stderr: " << drain(err, 0));
    REQUIRE(line.rfind("listening on 127.0.0.1:", 0) == 0);
    port = line.substr(at + 1);
  }
  server(const server&) = delete;
  server& operator=(const server&) = delete;
  ~server() {
    proc.kill_all();
    if (out >= 0) close(out);
    if (err >= 0) close(err);
  }
  void stop(int sig) {
    if (pid <= 0) return;
    proc.signal(sig);
    proc.reap();
    proc.kill_all();  // anything it left in its group
    pid = -1;
  }
  std::string endpoint() const { return "127.0.0.1:" + port; }

  /// One line from fd, waiting at most timeout_ms for data.
  static std::string read_line(int fd, int timeout_ms) {
    std::string s;
    char c;
    while (true) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return s;
      if (read(fd, &c, 1) != 1 || c == '\n') return s;
      s += c;
    }
  }
  /// Everything readable from fd until EOF (or timeout_ms without data).
  static std::string drain(int fd, int timeout_ms) {
    std::string s;
    char buf[4096];
    while (true) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return s;
      auto n = read(fd, buf, sizeof buf);
      if (n <= 0) return s;
      s.append(buf, static_cast<std::size_t>(n));
    }
  }
};

inline model::domain_spec domain(const std::string& name, std::uint32_t slots, std::optional<std::string> endpoint) {
  model::domain_spec d;
  d.name = name;
  d.slots = slots;
  d.endpoint = std::move(endpoint);
  return d;
}

}  // namespace causality::testing
