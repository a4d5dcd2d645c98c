#include "schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace causality::strategies::detail {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double eps = 1e-9;
/// Scores within this much of the best are near-ties for the preference order.
constexpr double near_tie = 0.01;

/// Natural log to ~1e-5 relative: scores compare ratios, so the libm
/// precision is not needed in the inner loop.
inline double fast_ln(double x) {
  int ex;
  double m = std::frexp(x, &ex);  // x = m * 2^ex, m in [0.5, 1)
  if (m < 0.7071067811865476) {
    m *= 2;
    --ex;
  }
  const double z = (m - 1) / (m + 1), z2 = z * z;
  // ln(m) = 2 atanh(z), series to z^9 (|z| < 0.172).
  const double l = 2 * z * (1 + z2 * (1.0 / 3 + z2 * (1.0 / 5 + z2 * (1.0 / 7 + z2 / 9))));
  return l + ex * 0.6931471805599453;
}

struct interval {
  double s, f;
  std::uint32_t node;
};

/// Where a node would start on one domain.
struct slot_fit {
  double start = inf;
  std::uint32_t slot = 0;
  double gap = 0;  ///< idle time left before it on that slot
};

/// Busy intervals of every slot plus the memory profile when limited.
class timeline {
 public:
  timeline(const problem& pb) : pb_(pb) {
    const auto& ds = pb.plat->domains;
    base_.resize(pb.D + 1, 0);
    for (std::size_t d = 0; d < pb.D; ++d) base_[d + 1] = base_[d] + ds[d].slots;
    slots_.resize(base_[pb.D]);
    tails_.assign(slots_.size(), 0.0);
    // Insertion into idle holes (HEFT) up to insertion_limit node x domain
    // pairs; beyond, nodes are appended after each slot's last node so big
    // workflows plan in near-linear time (docs/planner.md).
    insertion_ = static_cast<double>(pb.V) * static_cast<double>(pb.D) <= insertion_limit;
  }

  /// Earliest start >= t on slot k for duration e (insertion policy).
  double fit(std::uint32_t k, double t, double e, double& gap) const {
    const auto& iv = slots_[k];
    if (iv.empty() || e <= 0) {  // a zero-length node holds no slot time
      gap = 0;
      return t;
    }
    const double tail = tails_[k];
    if (tail <= t || !insertion_) {
      gap = tail <= t ? t - tail : 0;
      return std::max(t, tail);
    }
    // First interval ending after t; intervals are disjoint so f is sorted.
    auto it = std::upper_bound(iv.begin(), iv.end(), t,
                               [](double x, const interval& a) { return x < a.f; });
    double cur = t;
    for (; it != iv.end(); ++it) {
      if (cur + e <= it->s) break;
      cur = std::max(cur, it->f);
    }
    gap = it == iv.begin() ? 0 : cur - std::prev(it)->f;
    return cur;
  }

  /// Earliest time a slot of domain d is free after its last node.
  double earliest_tail(std::size_t d) const {
    double t = inf;
    for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) t = std::min(t, tails_[k]);
    return t;
  }

  /// Best slot of domain d: earliest start, lowest slot on ties.
  slot_fit fit_domain(std::size_t d, double t, double e) const {
    slot_fit best;
    if (!insertion_ || e <= 0) {
      // Append mode: only the slots' last finish times matter.
      for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) {
        const double tail = tails_[k];
        if (tail <= t || e <= 0) return {t, k, tail > 0 ? t - tail : 0};
        if (tail < best.start) best = {tail, k, 0};
      }
      return best;
    }
    for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) {
      double gap;
      double s = fit(k, t, e, gap);
      if (s < best.start) {
        best = {s, k, gap};
        if (s <= t) break;  // nothing can start earlier than t
      }
    }
    return best;
  }

  /// Earliest fit that also keeps the peak concurrent memory within the limit.
  slot_fit fit_limited(std::size_t d, double t, double e, std::uint64_t mem) const {
    for (;;) {
      slot_fit f = fit_domain(d, t, e);
      if (!pb_.mem_limit || e <= 0) return f;
      double next = memory_conflict(f.start, f.start + e, mem);
      if (next < 0) return f;
      t = next;
    }
  }

  /// -1 when `mem` fits during [s, f); else the next time memory is released.
  double memory_conflict(double s, double f, std::uint64_t mem) const {
    overlap_.clear();
    for (const auto& r : running_)
      if (r.s < f && r.f > s) overlap_.push_back(r);
    const std::uint64_t lim = *pb_.mem_limit;
    auto check = [&](double p) -> double {
      std::uint64_t sum = mem;
      double release = inf;
      for (const auto& r : overlap_)
        if (r.s <= p && p < r.f) {
          sum += r.mem;
          release = std::min(release, r.f);
        }
      return sum > lim ? release : -1;
    };
    if (double r = check(s); r >= 0) return r;
    for (const auto& o : overlap_)
      if (o.s > s)
        if (double r = check(o.s); r >= 0) return r;
    return -1;
  }

  void place(std::uint32_t k, double s, double f, std::uint32_t node, std::uint64_t mem) {
    auto& iv = slots_[k];
    if (f <= s) return;  // zero length: occupies nothing, keeps f sorted
    tails_[k] = std::max(tails_[k], f);
    auto it = std::upper_bound(iv.begin(), iv.end(), s,
                               [](double x, const interval& a) { return x < a.s; });
    iv.insert(it, interval{s, f, node});
    if (f > s && pb_.mem_limit) running_.push_back({s, f, mem});
  }

  /// First slot of d free during [s, f), for fixed nodes.
  std::optional<std::uint32_t> free_slot(std::size_t d, double s, double f) const {
    for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) {
      bool clash = false;
      for (const auto& x : slots_[k])
        if (x.s < f && s < x.f) clash = true;
      if (!clash) return k;
    }
    return std::nullopt;
  }

 private:
  struct run {
    double s, f;
    std::uint64_t mem;
  };
  const problem& pb_;
  bool insertion_ = true;
  std::vector<double> tails_;  ///< latest finish per slot
  std::vector<std::uint32_t> base_;
  std::vector<std::vector<interval>> slots_;
  std::vector<run> running_;
  mutable std::vector<run> overlap_;
};

/// Mean multiplier between two different slots (HEFT's average
/// communication cost) or two different domains.
double mean_multiplier(const problem& pb, bool by_slot) {
  const auto& ds = pb.plat->domains;
  double sum = 0, pairs = 0;
  for (std::size_t a = 0; a < pb.D; ++a)
    for (std::size_t b = 0; b < pb.D; ++b) {
      double wa = by_slot ? ds[a].slots : 1, wb = by_slot ? ds[b].slots : 1;
      if (a == b) {
        pairs += by_slot ? wa * (wa - 1) : 0;  // same domain: free
        continue;
      }
      sum += wa * wb * pb.mult[pb.kind[a]][pb.kind[b]];
      pairs += wa * wb;
    }
  return pairs > 0 ? sum / pairs : 0;
}

}  // namespace

std::uint64_t peak_memory(const model::dataflow_definition& def,
                          const std::vector<assignment>& a) {
  std::vector<std::pair<double, std::int64_t>> ev;
  ev.reserve(2 * a.size());
  for (const auto& x : a)
    if (x.finish_ms > x.start_ms) {
      const auto m = static_cast<std::int64_t>(def.nodes[x.node].resources.memory_bytes);
      ev.emplace_back(x.start_ms, m);
      ev.emplace_back(x.finish_ms, -m);
    }
  std::sort(ev.begin(), ev.end());  // releases sort before starts at equal times
  std::int64_t cur = 0, peak = 0;
  for (const auto& e : ev) peak = std::max(peak, cur += e.second);
  return static_cast<std::uint64_t>(peak);
}

pass_result run_pass(const problem& pb, const pass_params& pp,
                     std::vector<node_explanation>* explain) {
  const std::size_t V = pb.V, D = pb.D;
  const auto& ds = pb.plat->domains;
  pass_result res;
  res.a.resize(V);

  // Mean execution time per node for the rank.
  std::vector<double> wbar(V), rank(V, 0.0), prio(V);
  const rank_kind rk = pp.rank;
  for (std::size_t v = 0; v < V; ++v) {
    double sum = 0, w = 0, mn = inf;
    for (std::size_t d = 0; d < D; ++d) {
      std::size_t i = v * D + d;
      if (!pb.ok[i]) continue;
      double wt = (rk == rank_kind::slot_mean || rk == rank_kind::up_down) ? ds[d].slots : 1.0;
      sum += wt * pb.exec[i];
      w += wt;
      mn = std::min(mn, pb.exec[i]);
    }
    if (pb.fixed[v]) mn = sum = pb.fixed[v]->finish_ms - pb.fixed[v]->start_ms, w = 1;
    wbar[v] = rk == rank_kind::optimistic ? mn : (w > 0 ? sum / w : 0);
  }
  const double cm = rk == rank_kind::optimistic
                        ? 0
                        : mean_multiplier(pb, rk != rank_kind::domain_mean);
  // Upward rank in reverse depth order (depth is a valid topological key).
  const auto& order = pb.topo;
  for (std::size_t i = V; i-- > 0;) {
    std::uint32_t v = order[i];
    double m = 0;
    for (std::uint32_t k = pb.succ_off[v]; k < pb.succ_off[v + 1]; ++k)
      m = std::max(m, pb.succ_base[k] * cm + rank[pb.succ_node[k]]);
    rank[v] = wbar[v] + m;
  }
  for (std::size_t v = 0; v < V; ++v) prio[v] = rank[v];
  if (pp.noise > 0)
    for (std::uint32_t v = 0; v < V; ++v) {
      std::uint32_t h = (v + 1) * 2654435761u ^ (pp.seed + 1) * 2246822519u;
      h ^= h >> 15;
      h *= 2246822519u;
      h ^= h >> 13;
      prio[v] *= 1 + pp.noise * (static_cast<double>(h) / 4294967296.0 - 0.5);
    }
  if (rk == rank_kind::up_down) {
    std::vector<double> down(V, 0.0);
    for (std::uint32_t v : order)
      for (std::uint32_t k = pb.pred_off[v]; k < pb.pred_off[v + 1]; ++k) {
        std::uint32_t p = pb.pred_node[k];
        down[v] = std::max(down[v], down[p] + wbar[p] + pb.pred_base[k] * cm);
      }
    for (std::size_t v = 0; v < V; ++v) prio[v] += down[v];
  }

  timeline tl(pb);
  std::vector<std::uint32_t> dom(V, 0);
  std::vector<double> fin(V, 0.0);
  std::vector<unsigned char> done(V, 0);
  std::vector<std::uint32_t> used(D, 0);
  std::uint64_t net_used = 0;
  double proj = 0;  // projected makespan: max over placed of finish + tail

  auto commit = [&](std::uint32_t v, std::size_t d, double s, double f, std::uint32_t slot) {
    tl.place(slot, s, f, v, pb.def->nodes[v].resources.memory_bytes);
    dom[v] = static_cast<std::uint32_t>(d);
    fin[v] = f;
    done[v] = 1;
    ++used[d];
    double c = pb.cost[v * D + d];
    res.a[v] = assignment{v, d, s, f, c};
    res.cost += c;
    res.busy += f - s;
    res.makespan = std::max(res.makespan, f);
    proj = std::max(proj, f + rank[v] - wbar[v]);
  };

  // Fixed nodes first, exactly where they are; by start time so first-fit
  // slot assignment never needs more slots than the overlap.
  std::vector<std::uint32_t> fixed_order;
  for (std::uint32_t v = 0; v < V; ++v)
    if (pb.fixed[v]) fixed_order.push_back(v);
  std::sort(fixed_order.begin(), fixed_order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return pb.fixed[a]->start_ms < pb.fixed[b]->start_ms;
  });
  for (std::uint32_t v : fixed_order)
    if (const auto& f = pb.fixed[v]) {
      auto slot = tl.free_slot(f->domain, f->start_ms, f->finish_ms);
      if (!slot) {
        res.error = "fixed nodes overlap beyond the slots of domain '" + ds[f->domain].name + "'";
        return res;
      }
      commit(v, f->domain, f->start_ms, f->finish_ms, *slot);
    }

  // Ready list by priority (max first); ties: lower depth, then lower index.
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (prio[a] != prio[b]) return prio[a] < prio[b];
    if (pb.depth[a] != pb.depth[b]) return pb.depth[a] > pb.depth[b];
    return a > b;
  };
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, decltype(before)> ready(before);
  std::vector<std::uint32_t> missing(V, 0);
  auto release = [&](std::uint32_t v) {
    for (std::uint32_t k = pb.succ_off[v]; k < pb.succ_off[v + 1]; ++k) {
      std::uint32_t s = pb.succ_node[k];
      if (!done[s] && --missing[s] == 0) ready.push(s);
    }
  };
  for (std::uint32_t v = 0; v < V; ++v) {
    if (done[v]) continue;
    for (std::uint32_t k = pb.pred_off[v]; k < pb.pred_off[v + 1]; ++k)
      missing[v] += !done[pb.pred_node[k]];
    if (!missing[v]) ready.push(v);
  }

  std::vector<double> rdy(D), start(D), finish(D), gap(D), term_l(D), term_c(D), term_e(D),
      score(D);
  std::vector<std::uint32_t> slot(D), stamp(D, 0);
  std::vector<unsigned char> live(D);
  std::vector<std::uint64_t> cross(D);
  std::size_t placed = 0;
  while (!ready.empty()) {
    const std::uint32_t v = ready.top();
    ready.pop();
    ++placed;
    const auto& node = pb.def->nodes[v];
    const std::size_t row = v * D;
    const std::uint32_t p0 = pb.pred_off[v], p1 = pb.pred_off[v + 1];
    double fmin = inf, r0 = inf, cmin = inf;
    std::size_t heft_best = D;
    // Data arrival on a domain of each kind that hosts none of the
    // predecessors; only the few domains hosting one need the exact loop.
    double arrive[3] = {pb.now, pb.now, pb.now};
    std::uint64_t xb_all = 0;
    for (std::uint32_t k = p0; k < p1; ++k) {
      const std::uint32_t p = pb.pred_node[k];
      const int kp = pb.kind[dom[p]];
      for (int kk = 0; kk < 3; ++kk)
        arrive[kk] = std::max(arrive[kk], fin[p] + pb.pred_base[k] * pb.mult[kp][kk]);
      xb_all += pb.pred_bytes[k];
      stamp[dom[p]] = v + 1;
    }
    for (std::size_t d = 0; d < D; ++d) {
      live[d] = pb.ok[row + d];
      if (!live[d]) continue;
      const int kd = pb.kind[d];
      double r = arrive[kd];
      std::uint64_t xb = xb_all;
      if (stamp[d] == v + 1) {
        r = pb.now;
        xb = 0;
        for (std::uint32_t k = p0; k < p1; ++k) {
          const std::uint32_t p = pb.pred_node[k];
          const std::uint32_t dp = dom[p];
          double t = fin[p];
          if (dp != d) {
            t += pb.pred_base[k] * pb.mult[pb.kind[dp]][kd];
            xb += pb.pred_bytes[k];
          }
          r = std::max(r, t);
        }
      }
      cross[d] = xb;
      if (pb.net_budget && net_used + xb > *pb.net_budget) {
        live[d] = 0;
        continue;
      }
      const double e = pb.exec[row + d];
      slot_fit f = tl.fit_limited(d, r, e, node.resources.memory_bytes);
      rdy[d] = r;
      start[d] = f.start;
      finish[d] = f.start + e;
      slot[d] = f.slot;
      gap[d] = f.gap;
      if (finish[d] < fmin) {
        fmin = finish[d];
        heft_best = d;
      }
      r0 = std::min(r0, r);
      cmin = std::min(cmin, pb.cost[row + d]);
    }
    const double lcmin = std::log(cmin + eps);
    if (heft_best == D) {
      res.error = "node '" + node.node_id +
                  "' cannot be placed without exceeding the network limit (resource_constraints."
                  "network_bytes)";
      return res;
    }
    std::size_t win = heft_best;
    const char* rule = "earliest finish (HEFT rule)";
    if (pp.lookahead && pp.heft && pb.succ_off[v + 1] > pb.succ_off[v]) {
      double best_look = inf;
      for (std::size_t d = 0; d < D; ++d) {
        if (!live[d]) continue;
        double worst = finish[d];
        for (std::uint32_t k = pb.succ_off[v]; k < pb.succ_off[v + 1]; ++k) {
          const std::uint32_t c = pb.succ_node[k];
          if (done[c]) continue;
          double cbest = inf;
          for (std::size_t d2 = 0; d2 < D; ++d2) {
            if (!pb.ok[c * D + d2]) continue;
            double r = finish[d] + (d2 == d ? 0 : pb.succ_base[k] * pb.mult[pb.kind[d]][pb.kind[d2]]);
            for (std::uint32_t q = pb.pred_off[c]; q < pb.pred_off[c + 1]; ++q) {
              const std::uint32_t p = pb.pred_node[q];
              if (p == v || !done[p]) continue;
              r = std::max(r, fin[p] + (dom[p] == d2 ? 0
                                                     : pb.pred_base[q] *
                                                           pb.mult[pb.kind[dom[p]]][pb.kind[d2]]));
            }
            cbest = std::min(cbest, std::max(r, tl.earliest_tail(d2)) + pb.exec[c * D + d2]);
          }
          worst = std::max(worst, cbest);
        }
        if (worst < best_look || (worst == best_look && finish[d] < finish[win])) {
          best_look = worst;
          win = d;
        }
      }
      rule = "earliest finish of its successors (HEFT with lookahead)";
    }
    if (!pp.heft || explain) {  // HEFT decides by finish time; terms for the explanation
      const double tail = rank[v] - wbar[v];
      double gmin = inf;
      for (std::size_t d = 0; d < D; ++d)
        if (live[d]) gmin = std::min(gmin, finish[d] + tail);
      const double P = std::max(proj, gmin) + eps;
      double best = inf;
      for (std::size_t d = 0; d < D; ++d) {
        if (!live[d]) continue;
        const double e = pb.exec[row + d];
        double local = fast_ln((finish[d] - r0 + eps) / (fmin - r0 + eps));
        term_l[d] = pp.slack ? fast_ln(std::max(finish[d] + tail + eps, P) / P) + 0.1 * local
                             : local;
        term_c[d] = pb.log_cost[row + d] - lcmin;
        if (pp.parallel) {
          double wait = start[d] - rdy[d];
          term_e[d] = wait + e > 0 ? wait / (wait + e) : 0;
        } else {
          double frag = gap[d] + e > 0 ? gap[d] / (gap[d] + e) : 0;
          term_e[d] = 0.5 * frag + (used[d] ? 0.0 : 0.5);
        }
        score[d] = pp.wl * term_l[d] + pp.wc * term_c[d] + pp.we * term_e[d];
        if (score[d] < best && !pp.heft) {
          best = score[d];
          win = d;
        }
      }
      if (!pp.heft) rule = "lowest weighted score";
      if (pb.has_pref && !pp.heft) {
        for (std::size_t d = 0; d < D; ++d)
          if (live[d] && score[d] <= best + near_tie && pb.pref[d] < pb.pref[win]) win = d;
        if (score[win] > best) rule = "near-tie broken by domain_preference_order";
      }
    }
    if (pp.forced) {
      const auto f = (*pp.forced)[v];
      if (f < 0 || static_cast<std::size_t>(f) >= D || !live[f]) {
        res.error = "forced domain cannot host node '" + node.node_id + "'";
        return res;
      }
      if (static_cast<std::size_t>(f) != win)
        rule = "moved by the local search: the whole plan scored better there";
      win = static_cast<std::size_t>(f);
    }
    if (explain) {
      node_explanation ex;
      ex.node = v;
      ex.winner = win;
      ex.rule = rule;
      for (std::size_t d = 0; d < D; ++d) {
        domain_candidate c;
        c.domain = d;
        c.filtered_by = pb.why[row + d];
        if (c.filtered_by.empty() && !live[d])
          c.filtered_by = "would exceed the network limit (resource_constraints.network_bytes)";
        if (c.filtered_by.empty()) {
          c.ready_ms = rdy[d];
          c.start_ms = start[d];
          c.finish_ms = finish[d];
          c.cost = pb.cost[row + d];
          c.latency_term = term_l[d];
          c.cost_term = term_c[d];
          c.priority_term = term_e[d];
          c.score = score[d];
        }
        ex.candidates.push_back(std::move(c));
      }
      (*explain)[v] = std::move(ex);
    }
    net_used += cross[win];
    res.wait += start[win] - rdy[win];
    commit(v, win, start[win], finish[win], slot[win]);
    release(v);
  }
  std::size_t nfixed = 0;
  for (const auto& f : pb.fixed) nfixed += f.has_value();
  if (placed + nfixed != V) {
    res.error = "the workflow has a cycle";
    return res;
  }
  // Cross-domain bytes over every edge (fixed nodes included).
  res.cross_bytes = 0;
  for (std::uint32_t v = 0; v < V; ++v)
    for (std::uint32_t k = pb.pred_off[v]; k < pb.pred_off[v + 1]; ++k)
      if (dom[pb.pred_node[k]] != dom[v]) res.cross_bytes += pb.pred_bytes[k];
  double cap = 0;
  for (std::size_t d = 0; d < D; ++d)
    if (used[d]) cap += ds[d].slots;
  res.util = res.makespan > 0 && cap > 0 ? res.busy / (cap * res.makespan) : 1.0;
  if (pb.mem_limit) res.peak_mem = peak_memory(*pb.def, res.a);
  return res;
}

}  // namespace causality::strategies::detail
