// The handshake reply of a domain server: what it hosts, each domain's spec
// as the server runs it, and how that is compared with the platform file.
#include <catch2/catch.hpp>

#include <causality/domains/remote.hpp>

using namespace causality;
namespace remote = domains::remote;

namespace {
model::domain_spec platform_domain(const std::string& name, std::uint32_t slots, double speed,
                                   model::domain_kind kind) {
  model::domain_spec d;
  d.name = name;
  d.slots = slots;
  d.speed = speed;
  d.kind = kind;
  return d;
}
}  // namespace

TEST_CASE("the handshake reply carries each hosted domain's spec and reads back unchanged", "[domains][remote]") {
  remote::hosts h;
  h.domains = {"a", "b"};
  h.node_types = {"noop", "work"};
  h.specs = {{"a", "service", 3, 0.5}, {"b", "compute", 1, 2.0}};
  auto back = remote::parse_hosts(remote::hosts_json(h));
  REQUIRE(back);
  CHECK(back->domains == h.domains);
  CHECK(back->node_types == h.node_types);
  CHECK(back->specs == h.specs);
}

TEST_CASE("a handshake reply without specs is read; a malformed spec names its field", "[domains][remote]") {
  auto old = remote::parse_hosts(R"({"domains": ["a"], "node_types": ["noop"]})");
  REQUIRE(old);
  CHECK(old->specs.empty());
  auto bad = remote::parse_hosts(
      R"({"domains": ["a"], "node_types": ["noop"], "specs": [{"name": "a", "kind": "compute", "slots": 2, "speed": -1}]})");
  REQUIRE_FALSE(bad);
  CHECK(bad.err().path == "/specs/0/speed");
  auto no_slots =
      remote::parse_hosts(R"({"domains": ["a"], "node_types": [], "specs": [{"name": "a", "kind": "compute", "speed": 1}]})");
  REQUIRE_FALSE(no_slots);
  CHECK(no_slots.err().path == "/specs/0/slots");
}

TEST_CASE("spec_mismatch names each differing field with the platform's and the server's value", "[domains][remote]") {
  remote::hosts h;
  h.domains = {"far"};
  h.specs = {{"far", "service", 3, 0.5}};
  CHECK(remote::spec_mismatch(platform_domain("far", 3, 0.5, model::domain_kind::service), h).empty());
  CHECK(remote::spec_mismatch(platform_domain("far", 3, 2, model::domain_kind::service), h) ==
        "speed: the platform says 2, the server 0.5");
  CHECK(remote::spec_mismatch(platform_domain("far", 1, 0.5, model::domain_kind::compute), h) ==
        "slots: the platform says 1, the server 3; kind: the platform says compute, the server service");
  // A domain the server gives no spec for (an older server): nothing to compare.
  CHECK(remote::spec_mismatch(platform_domain("other", 9, 9, model::domain_kind::compute), h).empty());
  // Fractional speeds compare by value, not by their text.
  h.specs[0].speed = 0.1 + 0.2;
  CHECK(remote::spec_mismatch(platform_domain("far", 3, 0.3, model::domain_kind::service), h).empty());
}
