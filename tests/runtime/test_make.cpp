// runtime::make: failures a caller must handle come back as an error with
// its code, not as an exception.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace causality;

TEST_CASE("runtime::make: a remote domain that is down is errc::remote_unreachable", "[runtime][make]") {
  auto p = runtime_config::local_platform();
  p.domains[1].endpoint = "127.0.0.1:1";  // nothing listens on port 1
  runtime_config cfg;
  cfg.platform = p;
  cfg.cluster_token = "secret-0123456789";
  auto rt = runtime::make(cfg);
  REQUIRE_FALSE(rt);
  CHECK(rt.err().code == model::errc::remote_unreachable);
  CHECK(rt.err().reason.find("cannot reach 127.0.0.1:1") != std::string::npos);
}

TEST_CASE("runtime::make: a good config gives a runtime that runs", "[runtime][make]") {
  runtime_config cfg;
  cfg.metric_flush_ms = 5;  // an interval is a field with a default
  cfg.metric_flush_batch = 1;
  auto rt = runtime::make(cfg);
  REQUIRE(rt);
  CHECK(runtime_config{}.remote_heartbeat_ms == 500);
  CHECK(runtime_config{}.remote_handshake_timeout_ms == 10'000);
  CHECK(runtime_config{}.metric_flush_ms == 100);
  CHECK(runtime_config{}.metric_flush_batch == 1024);
  auto wf = workflow("w").node("n", [](const value&, node_context&) { return value(7); });
  auto run = rt->spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  CHECK(run->output() == value(7));
}
