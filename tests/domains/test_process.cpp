// domains::process with real child processes (/bin/sh, /bin/cat): output,
// exit codes, stderr tails, cancellation of a whole process group, limits.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "causality/domains/process.hpp"

using causality::domains::process;
using causality::domains::process_result;
using causality::domains::process_spec;

namespace {
process_result run(process_spec spec, const std::string& input = "") {
  process p;
  return p.run(spec, input);
}
/// Running or sleeping, not a zombie waiting for its (re)parent to reap it.
bool alive(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_s, comm, state;
  if (!(in >> pid_s >> comm >> state)) return false;
  return state != "Z" && state != "X";
}
}  // namespace

TEST_CASE("a child's stdin is the input and its stdout the output", "[process]") {
  auto r = run({{"/bin/cat"}, {}, ""}, "{\"x\": 1}");
  CHECK(r.ok());
  CHECK(r.out == "{\"x\": 1}");
}

TEST_CASE("a large input and a large output do not deadlock", "[process]") {
  std::string big(3u << 20, 'a');  // more than any pipe buffer, both ways
  auto r = run({{"/bin/cat"}, {}, ""}, big);
  REQUIRE(r.ok());
  CHECK(r.out.size() == big.size());
}

TEST_CASE("a non-zero exit is reported with its code and the tail of stderr", "[process]") {
  auto r = run({{"/bin/sh", "-c", "echo first >&2; echo 'it broke' >&2; exit 3"}, {}, ""});
  CHECK_FALSE(r.ok());
  CHECK(r.how == process_result::status::exited);
  CHECK(r.exit_code == 3);
  CHECK(r.err_tail == "first\nit broke");
  CHECK(r.describe() == "exit 3: first\nit broke");
}

TEST_CASE("only the tail of a long stderr is kept", "[process]") {
  process_spec s{{"/bin/sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line$i >&2; i=$((i+1)); done; exit 1"}, {}, ""};
  s.stderr_tail_bytes = 16;
  auto r = run(s);
  CHECK(r.err_tail.size() <= 16);
  CHECK(r.err_tail.find("line1999") != std::string::npos);
}

TEST_CASE("env adds to the environment and cwd sets the directory", "[process]") {
  auto r = run({{"/bin/sh", "-c", "printf '%s %s' \"$TAG\" \"$(pwd)\""}, {{"TAG", "x1"}}, "/tmp"});
  REQUIRE(r.ok());
  CHECK(r.out == "x1 /tmp");
}

TEST_CASE("a program that does not exist fails to start with its name", "[process]") {
  auto r = run({{"/nonexistent/prog"}, {}, ""});
  CHECK(r.how == process_result::status::spawn_failed);
  CHECK(r.describe().find("/nonexistent/prog") != std::string::npos);
}

TEST_CASE("argv is not given to a shell", "[process]") {
  auto r = run({{"/bin/echo", "$HOME; rm -rf /"}, {}, ""});
  REQUIRE(r.ok());
  CHECK(r.out == "$HOME; rm -rf /\n");
}

TEST_CASE("cancel kills the child and the processes it started", "[process]") {
  // The child starts a grandchild in the background, prints both pids and
  // waits; cancel() must take the whole group down.
  char tmpl[] = "/tmp/causality-proc-XXXXXX";
  int fd = ::mkstemp(tmpl);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::string pidfile = tmpl;
  process p;
  auto fut = std::async(std::launch::async, [&] {
    return p.run({{"/bin/sh", "-c", "sleep 1000 & echo $$ $! > " + pidfile + "; wait"}, {}, ""}, "");
  });
  // Wait until the pids are written (bounded: the child writes at once).
  pid_t sh = 0, grandchild = 0;
  for (int i = 0; i < 5000 && !grandchild; ++i) {
    std::ifstream in(pidfile);
    in >> sh >> grandchild;
    if (!grandchild) std::this_thread::yield();
  }
  REQUIRE(grandchild > 0);
  p.cancel();
  REQUIRE(fut.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto r = fut.get();
  CHECK(r.how == process_result::status::cancelled);
  // The grandchild is reaped by init once killed; give the kernel a bounded moment.
  bool gone = false;
  for (int i = 0; i < 100000 && !gone; ++i) gone = !alive(grandchild);
  CHECK(gone);
  ::unlink(pidfile.c_str());
}

TEST_CASE("cancel before run makes run return cancelled without starting", "[process]") {
  process p;
  p.cancel();
  auto r = p.run({{"/bin/cat"}, {}, ""}, "x");
  CHECK(r.how == process_result::status::cancelled);
}

TEST_CASE("stdout over its limit kills the child", "[process]") {
  process_spec s{{"/bin/sh", "-c", "yes"}, {}, ""};
  s.max_stdout_bytes = 1 << 16;
  auto r = run(s);
  CHECK(r.how == process_result::status::output_too_large);
}

TEST_CASE("a child that closes stdout but keeps running is still awaited", "[process]") {
  auto r = run({{"/bin/sh", "-c", "exec 1>&-; exec 2>&-; exit 4"}, {}, ""});
  CHECK(r.how == process_result::status::exited);
  CHECK(r.exit_code == 4);
}

TEST_CASE("a background grandchild holding the pipes does not hold the result", "[process]") {
  auto r = run({{"/bin/sh", "-c", "sleep 30 & echo $!"}, {}, ""});
  CHECK(r.ok());
  pid_t grandchild = std::atoi(r.out.c_str());
  REQUIRE(grandchild > 0);
  CHECK(alive(grandchild));  // still running: the result did not wait for it
  ::kill(grandchild, SIGKILL);
}
