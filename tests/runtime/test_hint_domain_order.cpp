// An embedder's domain_preference_order is checked against the platform as
// the CLI's --domain-order is: a typo is refused at spawn, naming the entry
// and the closest known name, instead of being silently ignored.
#include <catch2/catch.hpp>

#include <chrono>

#include <causality/causality.hpp>

using namespace causality;

namespace {
model::platform two_domains() {
  model::platform p;
  p.name = "pair";
  model::domain_spec a;
  a.name = "gpu-box";
  a.slots = 1;
  model::domain_spec b;
  b.name = "cheap";
  b.slots = 1;
  b.kind = model::domain_kind::service;
  p.domains = {a, b};
  return p;
}
}  // namespace

TEST_CASE("a typo in domain_preference_order is refused at spawn with the closest name", "[runtime][hint]") {
  runtime_config cfg;
  cfg.platform = two_domains();
  runtime rt(cfg);
  auto wf = workflow("w").node_of_type("a", "noop");
  model::initiation_hint hint;
  hint.domain_preference_order = {"cheap", "gpu-bx"};
  auto run = rt.spawn(wf, hint);
  REQUIRE_FALSE(run);
  CHECK(run.err().path == "/hint/domain_preference_order/1");
  CHECK(run.err().reason ==
        "no domain or kind 'gpu-bx' in platform pair (did you mean 'gpu-box'?) (known: gpu-box, cheap, compute, service)");
}

TEST_CASE("domain_preference_order accepts domain names and kinds of the platform", "[runtime][hint]") {
  runtime_config cfg;
  cfg.platform = two_domains();
  runtime rt(cfg);
  auto wf = workflow("w").node_of_type("a", "noop");
  model::initiation_hint hint;
  hint.domain_preference_order = {"service", "gpu-box"};
  auto run = rt.spawn(wf, hint);
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(30)));
  CHECK(run->outcome().status == run_status::succeeded);
}
