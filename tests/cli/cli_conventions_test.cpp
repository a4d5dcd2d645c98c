// CLI conventions of the real binaries: --version, help [command], "did you
// mean" for flags, commands, strategies and domains, range checks of the
// numeric flags, and error lines that name the failing operation.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
const std::string& workflow = causality::testing::forkjoin;
const std::string& platform = causality::testing::hetero3;

struct result {
  int rc;
  std::string out, err;
};

result run(std::vector<std::string> args, std::map<std::string, std::optional<std::string>> env = {}) {
  env.emplace("CAUSALITY_LOG_LEVEL", std::nullopt);
  child c(args, env);
  int rc = c.wait(120s);
  return {rc, c.out, c.err};
}
result cli(std::vector<std::string> args, std::map<std::string, std::optional<std::string>> env = {}) {
  args.insert(args.begin(), CAUSALITY_CLI);
  return run(args, env);
}

/// Exit `code`, exactly one line on stderr containing `text`, nothing on stdout.
void one_line(const result& r, int code, const std::string& text) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.rc == code);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find(text) != std::string::npos);
  CHECK(r.err.find("internal error") == std::string::npos);
  CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("the version flag and the version command print the version", "[cli][conventions]") {
  auto v = cli({"--version"});
  CHECK(v.rc == 0);
  CHECK(v.out == "causality 0.1.0\n");
  CHECK(cli({"version"}).out == "causality 0.1.0\n");
  auto d = run({CAUSALITY_DOMAIN_BIN, "--version"});
  CHECK(d.rc == 0);
  CHECK(d.out == "causality-domain 0.1.0\n");
}

TEST_CASE("help [command] shows the help of causality or of one command", "[cli][conventions]") {
  auto all = cli({"help"});
  CHECK(all.rc == 0);
  for (const char* c : {"validate", "plan", "run", "version", "help"}) CHECK(all.out.find(std::string("  ") + c) != std::string::npos);
  auto r = cli({"help", "run"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("--plan") != std::string::npos);
  CHECK(r.out.find("--platform") != std::string::npos);
  CHECK(r.out == cli({"run", "--help"}).out);
  one_line(cli({"help", "rn"}), 2, "causality: help: unknown command 'rn' (did you mean 'run'?)");
  one_line(cli({"rn", workflow}), 2, "causality: unknown command 'rn' (did you mean 'run'?)");
}

TEST_CASE("a mistyped flag is named with the closest flag, before any other complaint",
          "[cli][conventions]") {
  one_line(cli({"run", workflow, "--plattform", platform}), 2,
           "causality: unknown flag '--plattform' for causality run (did you mean '--platform'?) (try causality help run)");
  one_line(cli({"plan", workflow, "--platform", platform, "--stratgy", "latency"}), 2,
           "unknown flag '--stratgy' for causality plan (did you mean '--strategy'?)");
  one_line(cli({"validate", workflow, "--fromat", "json"}), 2, "(did you mean '--format'?)");
  // Nothing close: no suggestion, and never a flag the command does not have.
  auto far = cli({"run", workflow, "--platform", platform, "--xyzzy"});
  one_line(far, 2, "unknown flag '--xyzzy' for causality run (try causality help run)");
}

TEST_CASE("a mistyped strategy or domain gets the closest name", "[cli][conventions]") {
  for (const char* cmd : {"plan", "run"}) {
    INFO(cmd);
    one_line(cli({cmd, workflow, "--platform", platform, "--strategy", "latncy"}), 1,
             "causality: --strategy: unknown strategy 'latncy' (did you mean 'latency'?) (known: ");
    one_line(cli({cmd, workflow, "--platform", platform, "--domain-order", "service,computr"}), 1,
             "causality: --domain-order: no domain or kind 'computr' in platform hetero-3 (did you mean 'compute'?)");
  }
}

TEST_CASE("causality-domain names the closest domain of its platform", "[cli][conventions]") {
  one_line(run({CAUSALITY_DOMAIN_BIN, "--platform", platform, "--domain", "computr"}, {{"CAUSALITY_TOKEN", "t-0123456789abcdef"}}),
           2, ": no domain 'computr' (did you mean 'compute'?) (known: compute, service, verifiable)");
}

TEST_CASE("every numeric flag is range-checked with the range in the error", "[cli][conventions]") {
  const std::vector<std::string> base{"run", workflow, "--platform", platform};
  auto with = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return cli(a);
  };
  one_line(with({"--priority", "500"}), 2, "--priority: must be a whole number from 0 to 100, got '500'");
  one_line(with({"--priority", "-1"}), 2, "--priority: must be a whole number from 0 to 100, got '-1'");
  one_line(with({"--priority", "4294967295"}), 2, "--priority: must be a whole number from 0 to 100");
  // No 309-digit bound: the range as documented.
  one_line(with({"--budget", "-5"}), 2, "causality: --budget: must be a whole number from 0 to 1e+18, got '-5' (try --help)");
  CHECK(with({"--budget", "-5"}).err.size() < 120);
  one_line(with({"--budget", "1e400"}), 2, "--budget: must be a whole number from 0 to 1e+18");
  one_line(with({"--budget", "99999999999999999999999"}), 2, "--budget: must be a whole number");
  one_line(with({"--max-latency", "0"}), 2, "--max-latency: must be a whole number from 1 to 1e+12, got '0'");
  one_line(with({"--time-scale", "-1"}), 2, "--time-scale: must be a number from 0 to 1e+09, got '-1'");
  one_line(with({"--time-scale", "nan"}), 2, "--time-scale: must be finite (a number from 0 to 1e+09), got 'nan'");
  one_line(with({"--time-scale", "inf"}), 2, "--time-scale: must be finite");
  one_line(with({"--time-scale", "1e400"}), 2, "--time-scale: must be finite");
  one_line(with({"--threads", "1000"}), 2, "--threads: must be a whole number from 0 to 256, got '1000'");
  one_line(with({"--metrics-port", "70000"}), 2, "--metrics-port: must be a whole number from 0 to 65535, got '70000'");
  one_line(with({"--weights", "1e308,1,1"}), 2, "--weights: the priority weight must be a number from 0 to 100, got '1e308'");
  one_line(with({"--weights", "0,nan,1"}), 2, "--weights: the latency weight must be finite");
  one_line(with({"--weights", "0,1,-1"}), 2, "--weights: the cost weight must be a number from 0 to 100, got '-1'");
  one_line(with({"--weights", "0,0,0"}), 2, "--weights: the weights must not all be 0");
  one_line(with({"--weights", "1,2"}), 2, "--weights: expected PRIORITY,LATENCY,COST");
  // A control byte in a value is shown, not printed raw.
  auto esc = with({"--time-scale", "1\x1b[31mred"});
  one_line(esc, 2, "--time-scale: must be a number");
  CHECK(esc.err.find('\x1b') == std::string::npos);
  for (const char* cmd : {"plan", "run"}) {
    INFO(cmd);
    one_line(cli({cmd, workflow, "--platform", platform, "--priority", "101"}), 2,
             "--priority: must be a whole number from 0 to 100, got '101'");
    one_line(cli({cmd, workflow, "--platform", platform, "--weights", "inf,1,1"}), 2, "--weights: the priority weight must be finite");
  }
  auto domain = [&](std::vector<std::string> a) {
    a.insert(a.begin(), CAUSALITY_DOMAIN_BIN);
    return run(a, {{"CAUSALITY_TOKEN", "t-0123456789abcdef"}});
  };
  one_line(domain({"--slots", "0"}), 2, "causality-domain: --slots: must be a whole number from 1 to 4096, got '0'");
  one_line(domain({"--port", "70000"}), 2, "--port: must be a whole number from 0 to 65535, got '70000'");
  one_line(domain({"--speed", "0"}), 2, "--speed: must be a number from 0.001 to 1000, got '0'");
  one_line(domain({"--speed", "nan"}), 2, "--speed: must be finite");
  one_line(domain({"--max-payload-bytes", "0"}), 2, "--max-payload-bytes: must be a whole number from 1 to 1073741824");
  one_line(domain({"--handshake-timeout-ms", "nan"}), 2, "--handshake-timeout-ms: must be finite (a number from 1 to 3600000), got 'nan'");
  one_line(domain({"--handshake-timeout-ms", "0"}), 2, "--handshake-timeout-ms: must be a number from 1 to 3600000");
  one_line(domain({"--handshake-timeout-ms", "inf"}), 2, "--handshake-timeout-ms: must be finite");
  one_line(domain({"--max-unauthenticated", "0"}), 2, "--max-unauthenticated: must be a whole number from 1 to 65536");
}

TEST_CASE("operational failures name the operation, never 'internal error'", "[cli][conventions]") {
  char tmpl[] = "/tmp/causality-conv-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string pf = std::string(tmpl) + "/remote.json";
  // Port 1 on 127.0.0.1: nothing listens there.
  std::ofstream(pf) << R"({"name": "remote", "domains": [{"name": "far", "kind": "compute", "slots": 1,
    "endpoint": "127.0.0.1:1"}]})";
  one_line(cli({"run", workflow, "--platform", pf, "--time-scale", "0"}, {{"CAUSALITY_TOKEN", "t-0123456789abcdef"}}), 1,
           "causality: cannot start the runtime: domain 'far': cannot reach 127.0.0.1:1");
  auto no_token = cli({"run", workflow, "--platform", pf, "--time-scale", "0"}, {{"CAUSALITY_TOKEN", std::nullopt}});
  one_line(no_token, 1, "causality: cannot start the runtime: ");
  CHECK(no_token.err.find("no cluster token: give --token-file or set CAUSALITY_TOKEN") != std::string::npos);
  // ... and the flag it suggests is one `run` has.
  CHECK(cli({"help", "run"}).out.find("--token-file") != std::string::npos);
  const std::string token = std::string(tmpl) + "/token";
  std::ofstream(token) << "secret-0123456789abcdef\n";
  one_line(cli({"run", workflow, "--platform", pf, "--token-file", token}), 1,
           token + ": token file must be readable by its owner only (chmod 600)");
  std::system(("rm -rf '" + std::string(tmpl) + "'").c_str());
}

TEST_CASE("plan --explain before the workflow does not swallow it", "[cli][conventions]") {
  auto r = cli({"plan", "--explain", workflow, "--platform", platform});
  INFO(r.err);
  CHECK(r.rc == 0);
  CHECK(r.out.find("winner: ") != std::string::npos);
  one_line(cli({"plan", "--platform", platform}), 2, "causality: workflow is required");
}
