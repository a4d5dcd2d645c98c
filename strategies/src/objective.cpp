// The strategy's bounded plan objective, the limits' objectives, and the
// refusal line (docs/planner.md "Choosing a plan").
#include "objective.hpp"

#include <algorithm>
#include <cmath>

namespace causality::strategies::detail {
namespace {

constexpr double tiny = 1e-9;

double idle(const evaluated& e) { return std::max(0.0, e.r.reserved - e.r.busy); }

double sum_finish(const evaluated& e) {
  double s = 0;
  for (const auto& a : e.r.a) s += a.finish_ms;
  return s;
}

}  // namespace

weights effective(const model::optimization_strategy& s, std::uint32_t priority) {
  const double pi = std::min(1.0, static_cast<double>(priority) / 100.0);
  double l = s.latency_weight + pi * s.priority_weight, c = s.cost_weight,
         e = (1 - pi) * s.priority_weight;
  const double m = std::max({l, c, e});
  if (m > 0 && std::isfinite(m)) l /= m, c /= m, e /= m;  // huge weights: same ratios
  const double sl = l * l, sc = c * c, se = e * e;
  weights w;
  w.wl = sl * sl;
  w.wc = sc * sc;
  w.we = se * se;
  w.stretch = sl > 0 ? 1 + std::min(2.0, sc / sl) : std::numeric_limits<double>::infinity();
  return w;
}

chooser::chooser(const pool& p, weights w, bool parallel) : p_(p), w_(w), parallel_(parallel) {
  const auto& lim = p.lim();
  if (lim.cost_budget && !lim.max_latency) mode_ = choice::fastest;
  if (lim.max_latency && !lim.cost_budget) mode_ = choice::cheapest;
  for (const auto& e : p.all())
    if (p.meets(e)) {
      mstar_ = std::min(mstar_, e.r.makespan);
      cstar_ = std::min(cstar_, e.r.cost);
      istar_ = std::min(istar_, idle(e));
      wmin_ = std::min(wmin_, e.r.busy);
    }
  if (mode_ != choice::strategy) return;
  for (const evaluated* e : pareto(p, [&](const evaluated& x) { return p.meets(x); }))
    front_.insert(e);
  // A strategy that weighs idle capacity (wE >= 0.05 max(wL, wC)) also sees
  // the plans non-dominated in (makespan, cost, idle slot time).
  if (w_.we >= 0.05 * std::max(w_.wl, w_.wc)) {
    std::vector<const evaluated*> c;
    for (const auto& e : p.all())
      if (p.meets(e)) c.push_back(&e);
    for (const evaluated* a : c) {
      bool dominated = false;
      for (const evaluated* b : c) {
        if (b == a) continue;
        const bool le = b->r.makespan <= a->r.makespan && b->r.cost <= a->r.cost &&
                        idle(*b) <= idle(*a);
        const bool lt = b->r.makespan < a->r.makespan || b->r.cost < a->r.cost ||
                        idle(*b) < idle(*a);
        if (le && lt) {
          dominated = true;
          break;
        }
      }
      if (!dominated) front_.insert(a);
    }
  }
}

double chooser::objective(const evaluated& e) const {
  const double ineff = parallel_ ? (e.r.wait + e.r.busy > 0 ? e.r.wait / (e.r.wait + e.r.busy) : 0)
                                 : std::log((idle(e) + 0.1 * wmin_ + tiny) / (istar_ + 0.1 * wmin_ + tiny));
  return w_.wl * std::log((e.r.makespan + tiny) / (mstar_ + tiny)) +
         w_.wc * std::log((e.r.cost + tiny) / (cstar_ + tiny)) + w_.we * ineff;
}

bool chooser::admissible(const evaluated& e) const {
  if (!p_.meets(e)) return false;
  if (mode_ != choice::strategy) return true;
  return front_.count(&e) && e.r.makespan <= w_.stretch * mstar_ * (1 + 1e-12);
}

bool chooser::better(const evaluated& a, const evaluated& b) const {
  if (!admissible(a)) return false;
  if (!admissible(b)) return true;
  const double ma = a.r.makespan, mb = b.r.makespan, ca = a.r.cost, cb = b.r.cost;
  switch (mode_) {
    case choice::fastest:
      return ma < mb * (1 - 1e-12) || (ma <= mb * (1 + 1e-12) && ca < cb - tiny);
    case choice::cheapest:
      return ca < cb - tiny || (ca <= cb + tiny && ma < mb * (1 - 1e-12));
    case choice::strategy: break;
  }
  const double ja = objective(a), jb = objective(b);
  return ja < jb - 1e-12 || (ja <= jb + 1e-12 && sum_finish(a) < sum_finish(b) - 1e-6);
}

bool chooser::same(const evaluated& a, const evaluated& b) const {
  switch (mode_) {
    case choice::fastest:
    case choice::cheapest:
      return std::abs(a.r.makespan - b.r.makespan) <= 1e-9 * std::max(1.0, b.r.makespan) &&
             std::abs(a.r.cost - b.r.cost) <= tiny;
    case choice::strategy: break;
  }
  return objective(a) <= objective(b) + 1e-9;
}

const evaluated* chooser::best() const {
  const evaluated* win = nullptr;
  for (const auto& e : p_.all())
    if (admissible(e) && (!win || better(e, *win))) win = &e;
  return win;
}

const evaluated* chooser::preferred(const evaluated* win) const {
  const problem& pb = p_.pb();
  if (!pb.has_pref) return win;
  auto pref_sum = [&](const evaluated& e) {
    double s = 0;
    for (const auto& a : e.r.a) s += pb.pref[a.domain];
    return s;
  };
  const evaluated* out = win;
  double best = pref_sum(*win);
  auto equal_point = [&](const evaluated& e) {
    return std::abs(e.r.makespan - win->r.makespan) <= 1e-9 * std::max(1.0, win->r.makespan) &&
           std::abs(e.r.cost - win->r.cost) <= tiny;
  };
  for (const auto& e : p_.all())
    if (p_.meets(e) && (equal_point(e) || (admissible(e) && same(e, *win))) &&
        pref_sum(e) < best)
      best = pref_sum(e), out = &e;
  return out;
}

std::string chooser::describe() const {
  switch (mode_) {
    case choice::fastest: return "fastest plan within cost_budget";
    case choice::cheapest: return "cheapest plan within max_latency_ms";
    case choice::strategy: break;
  }
  return "strategy objective";
}

std::optional<model::error> refusal(const pool& p, const model::initiation_hint& hint) {
  const auto& lim = p.lim();
  double mstar = std::numeric_limits<double>::infinity(), cstar = mstar, cpumin = mstar;
  const evaluated* first_ok = nullptr;
  for (const auto& e : p.all())
    if (e.ok()) {
      if (!first_ok) first_ok = &e;
      mstar = std::min(mstar, e.r.makespan);
      cstar = std::min(cstar, e.r.cost);
      cpumin = std::min(cpumin, e.cpu);
    }
  if (!first_ok) return model::error{"", "/resource_constraints", p.all().front().r.error};
  auto miss = [](const std::string& path, const std::string& what, double limit, double best,
                 const std::string& unit, const std::string& best_what) {
    return model::error{"", path,
                        what + " " + num_text(limit) + unit + " cannot be met: " + best_what +
                            " " + num_text(best) + unit + " (over by " +
                            num_text(best - limit) + unit + ")"};
  };
  if (lim.completion && mstar > *lim.completion)
    return miss("/resource_constraints/completion_time_ms", "completion time limit",
                *lim.completion, mstar, " ms", "the fastest plan found takes");
  if (lim.cpu && cpumin > *lim.cpu)
    return miss("/resource_constraints/cpu_time_ms", "cpu time limit", *lim.cpu, cpumin, " ms",
                "the least cpu time found is");
  if (lim.max_latency && mstar > *lim.max_latency)
    return miss("/max_latency_ms", "max_latency_ms", *lim.max_latency, mstar, " ms",
                "the fastest plan found takes");
  if (lim.cost_budget && cstar > *lim.cost_budget)
    return miss("/cost_budget", "cost_budget", *lim.cost_budget, cstar, "",
                "the cheapest plan costs");
  // Each limit alone is reachable but not together: report the time
  // reachable within the cost budget (the cost side is exact).
  double tl = std::numeric_limits<double>::infinity();
  if (lim.max_latency) tl = *lim.max_latency;
  if (lim.completion) tl = std::min(tl, *lim.completion);
  double best = std::numeric_limits<double>::infinity();
  for (const auto& e : p.all())
    if (e.ok() && (!lim.cost_budget || e.r.cost <= *lim.cost_budget))
      best = std::min(best, e.r.makespan);
  if (lim.cost_budget && std::isfinite(tl) && std::isfinite(best))
    return model::error{"", "/max_latency_ms",
                        "max_latency_ms " + num_text(tl) + " ms and cost_budget " +
                            num_text(*lim.cost_budget) +
                            " cannot both be met: within the budget the fastest plan found "
                            "takes " + num_text(best) + " ms (over by " + num_text(best - tl) +
                            " ms)"};
  for (const auto& e : p.all())
    if (!e.ok()) return model::error{"", "/resource_constraints", e.r.error};
  return model::error{"", "/resource_constraints",
                      "no plan keeps every hard limit (network " +
                          std::to_string(first_ok->network) + " bytes, peak memory " +
                          std::to_string(first_ok->r.peak_mem) + " bytes in the best try)"};
}

}  // namespace causality::strategies::detail
