#include "causality/domains/platform.hpp"

#include <algorithm>
#include <thread>

namespace causality::domains {

model::platform local_platform() {
  model::platform p;
  p.name = "local";
  model::domain_spec c;
  c.name = "compute";
  c.kind = model::domain_kind::compute;
  c.slots = std::max(1u, std::thread::hardware_concurrency());
  c.capabilities = {"deterministic"};
  model::domain_spec s;
  s.name = "service";
  s.kind = model::domain_kind::service;
  s.slots = 4;
  s.capabilities = {"external-api"};
  model::domain_spec v;
  v.name = "verifiable";
  v.kind = model::domain_kind::verifiable;
  v.slots = 1;
  v.security_level = 3;
  v.capabilities = {"zk", "deterministic"};
  v.cost.domain_cost_factor = 8.0;
  p.domains = {c, s, v};
  return p;
}

}  // namespace causality::domains
