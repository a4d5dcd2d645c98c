// libFuzzer target: what the remote protocol's frames carry as text, as a
// domain server or the runtime decodes it (domains/src/remote.cpp): a node's
// input or output payload (JSON -> value), the handshake reply listing the
// hosted domains, their specs and the node types, and an endpoint. The first
// byte picks the decoder. CAF's own framing (BASP) is CAF's code and not fuzzed here.
// Oracles: no crash or sanitizer report; an error is one printable line; an
// accepted payload is stable after one round trip (to_json, from_json,
// to_json gives the same text); an accepted handshake reply or endpoint
// round-trips unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "causality/domains/remote.hpp"
#include "fuzz_check.hpp"

namespace {

void one_line(const causality::model::error& e) {
  const std::string m = e.message();
  if (e.reason.empty()) causality::fuzz::fail("empty reason: " + m);
  if (m.find('\n') != std::string::npos || m.find('\r') != std::string::npos)
    causality::fuzz::fail("error spans several lines: " + m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality::domains;
  if (size == 0) return 0;
  const int which = data[0] % 3;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (which == 0) {
    auto v = remote::from_json(text);
    if (!v) {
      one_line(v.err());
      return 0;
    }
    auto s1 = remote::to_json(*v);
    if (!s1) causality::fuzz::fail("a decoded payload cannot be encoded: " + s1.err().message());
    auto v2 = remote::from_json(*s1);
    if (!v2) causality::fuzz::fail("an encoded payload cannot be decoded: " + v2.err().message());
    auto s2 = remote::to_json(*v2);
    if (!s2 || *s2 != *s1) causality::fuzz::fail("payload round trip is not stable: " + *s1);
  } else if (which == 1) {
    auto h = remote::parse_hosts(text);
    if (!h) {
      one_line(h.err());
      return 0;
    }
    auto back = remote::parse_hosts(remote::hosts_json(*h));
    if (!back || back->domains != h->domains || back->node_types != h->node_types || back->specs != h->specs)
      causality::fuzz::fail("handshake reply round trip changed it");
  } else {
    auto ep = remote::parse_endpoint(text);
    if (!ep) {
      one_line(ep.err());
      return 0;
    }
    if (ep->first.empty() || ep->second == 0) causality::fuzz::fail("accepted endpoint without host or port: " + text);
    auto back = remote::parse_endpoint(ep->first + ":" + std::to_string(ep->second));
    if (!back || *back != *ep) causality::fuzz::fail("endpoint round trip changed it: " + text);
  }
  return 0;
}
