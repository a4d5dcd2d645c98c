// The strategy's bounded plan objective, the limits' objectives, and the
// refusal line (docs/planner.md "Choosing a plan").
#include "objective.hpp"

#include <algorithm>
#include <cmath>

namespace causality::strategies::detail {
namespace {

constexpr double tiny = 1e-9;

double idle(const evaluated& e) { return std::max(0.0, e.r.reserved - e.r.busy); }


}  // namespace

chooser::chooser(const pool& p, const tradeoff_weights& w, bool parallel) : p_(p), w_(w) {
  const auto& lim = p.lim();
  if (lim.cost_budget && !lim.max_latency) mode_ = choice::fastest;
  if (lim.max_latency && !lim.cost_budget) mode_ = choice::cheapest;
  for (const auto& e : p.all())
    if (p.meets(e)) cands_.push_back(&e);
  if (mode_ != choice::strategy || cands_.empty()) return;
  // The one trade-off (tradeoff.hpp) over every candidate within the limits:
  // (makespan, cost, idle slot time), or the share of time nodes queue for a
  // slot with prefer_parallel_execution.
  std::vector<tradeoff_point> pts;
  pts.reserve(cands_.size());
  for (const evaluated* e : cands_) {
    const double ineff = parallel ? (e->r.wait + e->r.busy > 0 ? e->r.wait / (e->r.wait + e->r.busy) : 0)
                                  : idle(*e);
    pts.push_back({e->r.makespan, e->r.cost, ineff});
  }
  auto t = choose_tradeoff(w_, pts, "plan");
  if (t.index < cands_.size()) pick_ = cands_[t.index], why_ = std::move(t.reason);
  if (lim.cost_budget && lim.max_latency) why_ += " (within cost_budget and max_latency_ms)";
}

bool chooser::better(const evaluated& a, const evaluated& b) const {
  if (!p_.meets(a)) return false;
  if (!p_.meets(b)) return true;
  const double ma = a.r.makespan, mb = b.r.makespan, ca = a.r.cost, cb = b.r.cost;
  switch (mode_) {
    case choice::fastest:
      return ma < mb * (1 - 1e-12) || (ma <= mb * (1 + 1e-12) && ca < cb - tiny);
    case choice::cheapest:
      return ca < cb - tiny || (ca <= cb + tiny && ma < mb * (1 - 1e-12));
    case choice::strategy: break;
  }
  return &a == pick_ && &b != pick_;
}

const evaluated* chooser::best() const {
  if (mode_ == choice::strategy) return pick_;
  const evaluated* win = nullptr;
  for (const evaluated* e : cands_)
    if (!win || better(*e, *win))
      win = e;
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
  // Candidates at the winner's point (makespan and cost) are equally good.
  for (const evaluated* e : cands_)
    if (std::abs(e->r.makespan - win->r.makespan) <= 1e-9 * std::max(1.0, win->r.makespan) &&
        std::abs(e->r.cost - win->r.cost) <= tiny && pref_sum(*e) < best)
      best = pref_sum(*e), out = e;
  return out;
}

std::string chooser::reason(const evaluated& win) const {
  switch (mode_) {
    case choice::fastest:
      return "the fastest plan found within cost_budget " + num_text(*p_.lim().cost_budget) + " (it costs " +
             num_text(win.r.cost) + ")";
    case choice::cheapest:
      return "the cheapest plan found within max_latency_ms " + num_text(*p_.lim().max_latency) +
             " (it takes " + num_text(win.r.makespan) + " ms)";
    case choice::strategy: break;
  }
  return why_;
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
