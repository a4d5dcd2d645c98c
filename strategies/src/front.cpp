// The pool of evaluated candidates and the (makespan, cost) front
// (docs/planner.md "The front"): cheapest plan, budget-constrained passes at
// many levels, deadline-constrained passes, HEFT on domain subsets,
// LOSS/GAIN paths, then gap filling where neighbours are far apart.
#include <algorithm>
#include <cmath>
#include <functional>

#include "search.hpp"

namespace causality::strategies::detail {

limits limits_of(const model::initiation_hint& hint) {
  limits l;
  const auto& rc = hint.resource_constraints;
  if (hint.cost_budget) l.cost_budget = static_cast<double>(*hint.cost_budget);
  if (hint.max_latency_ms) l.max_latency = static_cast<double>(*hint.max_latency_ms);
  l.completion = rc.completion_time_ms;
  if (rc.cpu_time_ms) l.cpu = static_cast<double>(*rc.cpu_time_ms);
  l.network = rc.network_bytes;
  l.memory = rc.memory_bytes;
  return l;
}

evaluated pool::evaluate(const pass_params& p) const {
  evaluated e{p, run_pass(pb_, p), 0, 0, {}};
  for (const auto& a : e.r.a) e.cpu += a.finish_ms - a.start_ms;
  e.network = pb_.node_net_bytes + e.r.cross_bytes;
  return e;
}

const evaluated& pool::add(const pass_params& p) { return keep(evaluate(p)); }

const evaluated& pool::add_assignment(std::vector<std::int32_t> a, std::string tag) {
  pass_params p;
  p.assign = std::make_shared<const std::vector<std::int32_t>>(std::move(a));
  p.tag = std::move(tag);
  return add(p);
}

const evaluated& pool::keep(evaluated e) {
  all_.push_back(std::move(e));
  return all_.back();
}

bool pool::meets_hard(const evaluated& e) const {
  if (!e.ok()) return false;
  const double tol = 1e-9;
  if (lim_.completion && e.r.makespan > *lim_.completion + tol) return false;
  if (lim_.cpu && e.cpu > *lim_.cpu + tol) return false;
  if (lim_.network && e.network > *lim_.network) return false;
  if (lim_.memory && e.r.peak_mem > *lim_.memory) return false;
  return true;
}

bool pool::meets(const evaluated& e) const {
  if (!meets_hard(e)) return false;
  if (lim_.cost_budget && e.r.cost > *lim_.cost_budget * (1 + 1e-12) + 1e-9) return false;
  if (lim_.max_latency && e.r.makespan > *lim_.max_latency + 1e-9) return false;
  return true;
}

std::vector<const evaluated*> pareto(const pool& p,
                                     const std::function<bool(const evaluated&)>& keep) {
  std::vector<const evaluated*> c;
  for (const auto& e : p.all())
    if (keep(e)) c.push_back(&e);
  std::sort(c.begin(), c.end(), [](const evaluated* a, const evaluated* b) {
    if (a->r.cost != b->r.cost) return a->r.cost < b->r.cost;
    return a->r.makespan < b->r.makespan;
  });
  std::vector<const evaluated*> out;
  for (const evaluated* e : c)  // by cost ascending: keep strictly faster ones
    if (out.empty() || e->r.makespan < out.back()->r.makespan * (1 - 1e-12)) {
      if (!out.empty() && e->r.cost <= out.back()->r.cost) out.back() = e;
      else out.push_back(e);
    }
  return out;
}

namespace {

/// HEFT restricted to subsets of the domains: all of them for up to 6
/// domains, else singletons, cost-ordered prefixes and leave-one-out.
void subset_candidates(pool& p) {
  const problem& pb = p.pb();
  const std::size_t D = pb.D;
  std::vector<std::vector<unsigned char>> subsets;
  if (D <= 6) {
    for (std::uint32_t m = 1; m + 1 < (1u << D); ++m) {
      std::vector<unsigned char> s(D);
      for (std::size_t d = 0; d < D; ++d) s[d] = (m >> d) & 1;
      subsets.push_back(std::move(s));
    }
  } else {
    // Domains by mean cost per unit of speed-adjusted work, cheapest first.
    std::vector<double> rate(D, 0);
    for (std::size_t d = 0; d < D; ++d) {
      double c = 0, n = 0;
      for (std::size_t v = 0; v < pb.V; ++v)
        if (pb.ok[v * D + d]) c += pb.cost[v * D + d], n += 1;
      rate[d] = n > 0 ? c / n : 0;
    }
    std::vector<std::size_t> order(D);
    for (std::size_t d = 0; d < D; ++d) order[d] = d;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return rate[a] < rate[b];
    });
    for (std::size_t k = 1; k < D; ++k) {
      std::vector<unsigned char> s(D, 0), one(D, 0), drop(D, 1);
      for (std::size_t i = 0; i < k; ++i) s[order[i]] = 1;
      one[order[k - 1]] = 1;
      drop[order[k - 1]] = 0;
      subsets.push_back(std::move(s));
      subsets.push_back(std::move(one));
      subsets.push_back(std::move(drop));
    }
  }
  for (auto& s : subsets) {
    bool hosts = true;  // every node placeable inside the subset
    for (std::size_t v = 0; v < pb.V && hosts; ++v) {
      if (pb.fixed[v]) continue;
      bool any = false;
      for (std::size_t d = 0; d < D && !any; ++d) any = s[d] && pb.ok[v * D + d];
      hosts = any;
    }
    if (!hosts) continue;
    pass_params q;
    q.heft = true;
    q.allowed = std::make_shared<const std::vector<unsigned char>>(std::move(s));
    p.add(q);
  }
}

/// Evenly spaced (geometric) levels from lo to hi, ends included.
std::vector<double> levels(double lo, double hi, std::size_t n) {
  std::vector<double> out;
  if (!(lo > 0) || !(hi > lo) || n < 2) return {lo, hi};
  for (std::size_t k = 0; k < n; ++k)
    out.push_back(lo * std::pow(hi / lo, static_cast<double>(k) / static_cast<double>(n - 1)));
  return out;
}

void budget_pass(pool& p, double b, bool share, rank_kind r) {
  pass_params q;
  q.budget = b;
  q.budget_share = share;
  q.rank = r;
  p.add(q);
}

void deadline_pass(pool& p, double l, rank_kind r) {
  pass_params q;
  q.deadline = l;
  q.rank = r;
  p.add(q);
}

}  // namespace

void front_candidates(pool& p) {
  const problem& pb = p.pb();
  const bool small = pb.work() <= insertion_limit;
  auto feasible = [&](const evaluated& e) { return p.meets_hard(e); };
  const auto cheap = cheapest_assignment(pb);
  p.add_assignment(cheap, "cheapest");
  double cmin = 0;
  for (std::size_t v = 0; v < pb.V; ++v) cmin += pb.cost[v * pb.D + cheap[v]];
  budget_pass(p, cmin, false, rank_kind::slot_mean);
  auto front = pareto(p, feasible);
  if (front.empty()) return;
  const double cmax = front.back()->r.cost;
  const double mfast = front.back()->r.makespan, mslow = front.front()->r.makespan;
  // Up to 5000 node x domain pairs the dense set; up to 2e4 half the levels.
  const bool dense = pb.work() <= 5000;
  const std::size_t nb = dense ? 20 : small ? 10 : 6, nd = dense ? 12 : small ? 6 : 4;
  for (double b : levels(cmin, cmax, nb)) {
    budget_pass(p, b, false, rank_kind::slot_mean);
    budget_pass(p, b, true, rank_kind::slot_mean);
    if (small) budget_pass(p, b, false, rank_kind::up_down);
  }
  for (double l : levels(mfast, mslow, nd)) deadline_pass(p, l, rank_kind::slot_mean);
  if (small) subset_candidates(p);
  // LOSS path from the fastest plan and GAIN path from the cheapest, taken
  // at every level of cost they cross.
  const auto lv = levels(cmin, cmax, dense ? 16 : small ? 8 : 4);
  for (bool loss : {true, false}) {
    std::vector<std::vector<std::int32_t>> snaps;
    std::vector<std::int32_t> prev;
    std::size_t next = loss ? lv.size() : 0;
    reassign_path(pb, loss ? assignment_of(*front.back()) : cheap, loss,
                  [](double) { return false; },
                  [&](double c, const std::vector<std::int32_t>& a) {
                    if (loss) {  // first assignment at or below each level
                      bool hit = false;
                      while (next > 0 && c <= lv[next - 1]) hit = true, --next;
                      if (hit) snaps.push_back(a);
                    } else {  // last assignment at or below each level
                      bool crossed = false;
                      while (next < lv.size() && c > lv[next]) crossed = true, ++next;
                      if (crossed && !prev.empty()) snaps.push_back(prev);
                      prev = a;
                    }
                  });
    if (!loss && !prev.empty()) snaps.push_back(prev);
    for (auto& a : snaps) p.add_assignment(std::move(a), loss ? "loss path" : "gain path");
  }
  // Gap filling: where two neighbours differ by more than 25 % on both
  // axes, budget and deadline passes at the geometric midpoints.
  for (int round = 0; round < (dense ? 3 : small ? 2 : 1); ++round) {
    front = pareto(p, feasible);
    std::vector<std::pair<double, double>> mids;
    for (std::size_t i = 1; i < front.size(); ++i) {
      const auto& a = front[i - 1]->r;
      const auto& b = front[i]->r;
      if (b.cost > 1.25 * a.cost || a.makespan > 1.25 * b.makespan)
        mids.push_back({std::sqrt(a.cost * b.cost), std::sqrt(a.makespan * b.makespan)});
    }
    if (mids.empty()) break;
    for (auto [c, m] : mids) {
      budget_pass(p, c, false, rank_kind::slot_mean);
      budget_pass(p, c, true, rank_kind::up_down);
      deadline_pass(p, m, rank_kind::slot_mean);
    }
  }
}

}  // namespace causality::strategies::detail
