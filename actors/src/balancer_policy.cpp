#include "causality/actors/balancer_policy.hpp"

namespace causality::actors {

namespace {
std::size_t least(const std::vector<domain_load>& c) {
  std::size_t best = 0;
  auto score = [](const domain_load& d) {
    return static_cast<double>(d.running + d.queued) / static_cast<double>(d.slots > 0 ? d.slots : 1);
  };
  for (std::size_t i = 1; i < c.size(); ++i) {
    double a = score(c[i]), b = score(c[best]);
    if (a < b || (a == b && (c[i].planned > c[best].planned ||
                             (c[i].planned == c[best].planned && c[i].speed > c[best].speed))))
      best = i;
  }
  return best;
}
std::size_t planned(const std::vector<domain_load>& c) {
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i].planned) return i;
  return 0;
}
}  // namespace

balancer_policy balancer_policy::plan_first() {
  return {"plan-first", [](const std::vector<domain_load>& c) {
            auto p = planned(c);
            if (c[p].running + c[p].queued < c[p].slots) return p;
            auto l = least(c);
            return c[l].running + c[l].queued < c[l].slots ? l : p;
          }};
}

balancer_policy balancer_policy::least_loaded() { return {"least-loaded", least}; }

balancer_policy balancer_policy::planned_only() { return {"planned-only", planned}; }

}  // namespace causality::actors
