// One list-scheduling pass (docs/planner.md): nodes from a ready list by
// priority, each placed on the domain its rule picks (HEFT earliest finish,
// lookahead, PEFT, weighted score, budget- or deadline-constrained, forced).
#include "schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

#include "pass_state.hpp"

namespace causality::strategies::detail {

void pass_state::commit(std::uint32_t v, std::size_t d, double s, double f, std::uint32_t slot) {
  tl_.place(slot, s, f, v, pb_.def->nodes[v].resources.memory_bytes);
  dom_[v] = static_cast<std::uint32_t>(d);
  fin_[v] = f;
  done_[v] = 1;
  ++used_[d];
  const double c = pb_.cost[v * pb_.D + d];
  res_.a[v] = assignment{v, d, s, f, c};
  res_.cost += c;
  spent_ += c;
  res_.busy += f - s;
  res_.makespan = std::max(res_.makespan, f);
  proj_ = std::max(proj_, f + pr_.rank[v] - pr_.wbar[v]);
}

// Fixed nodes first, exactly where they are; by start time so first-fit
// slot assignment never needs more slots than the overlap.
bool pass_state::place_fixed() {
  std::vector<std::uint32_t> order;
  for (std::uint32_t v = 0; v < pb_.V; ++v)
    if (pb_.fixed[v]) order.push_back(v);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return pb_.fixed[a]->start_ms < pb_.fixed[b]->start_ms;
  });
  for (std::uint32_t v : order) {
    const auto& f = pb_.fixed[v];
    auto slot = tl_.free_slot(f->domain, f->start_ms, f->finish_ms);
    if (!slot) {
      res_.error = "fixed nodes overlap beyond the slots of domain '" +
                   pb_.plat->domains[f->domain].name + "'";
      return false;
    }
    commit(v, f->domain, f->start_ms, f->finish_ms, *slot);
  }
  return true;
}

bool pass_state::evaluate(std::uint32_t v) {
  const std::size_t D = pb_.D, row = v * D;
  const auto& node = pb_.def->nodes[v];
  const std::uint32_t p0 = pb_.pred_off[v], p1 = pb_.pred_off[v + 1];
  fmin_ = inf, r0_ = inf, cmin_ = inf;
  heft_best_ = D;
  // Data arrival on a domain of each kind that hosts none of the
  // predecessors; only the few domains hosting one need the exact loop.
  double arrive[3] = {pb_.now, pb_.now, pb_.now};
  std::uint64_t xb_all = 0;
  for (std::uint32_t k = p0; k < p1; ++k) {
    const std::uint32_t p = pb_.pred_node[k];
    const int kp = pb_.kind[dom_[p]];
    for (int kk = 0; kk < 3; ++kk)
      arrive[kk] = std::max(arrive[kk], fin_[p] + pb_.pred_base[k] * pb_.mult[kp][kk]);
    xb_all += pb_.pred_bytes[k];
    stamp_[dom_[p]] = v + 1;
  }
  for (std::size_t d = 0; d < D; ++d) {
    live_[d] = pb_.ok[row + d] && (!pp_.allowed || (*pp_.allowed)[d]);
    if (!live_[d]) continue;
    const int kd = pb_.kind[d];
    double r = arrive[kd];
    std::uint64_t xb = xb_all;
    if (stamp_[d] == v + 1) {
      r = pb_.now;
      xb = 0;
      for (std::uint32_t k = p0; k < p1; ++k) {
        const std::uint32_t p = pb_.pred_node[k];
        const std::uint32_t dp = dom_[p];
        double t = fin_[p];
        if (dp != d) {
          t += pb_.pred_base[k] * pb_.mult[pb_.kind[dp]][kd];
          xb += pb_.pred_bytes[k];
        }
        r = std::max(r, t);
      }
    }
    cross_[d] = xb;
    if (pb_.net_budget && net_used_ + xb > *pb_.net_budget) {
      live_[d] = 0;
      continue;
    }
    const double e = pb_.exec[row + d];
    slot_fit f = tl_.fit_limited(d, r, e, node.resources.memory_bytes);
    rdy_[d] = r;
    start_[d] = f.start;
    finish_[d] = f.start + e;
    slot_[d] = f.slot;
    gap_[d] = f.gap;
    if (finish_[d] < fmin_) {
      fmin_ = finish_[d];
      heft_best_ = d;
    }
    r0_ = std::min(r0_, r);
    cmin_ = std::min(cmin_, pb_.cost[row + d]);
  }
  return heft_best_ != D;
}



std::size_t pass_state::choose(std::uint32_t v, const char*& rule, bool explain) {
  const std::size_t D = pb_.D, row = v * D;
  std::size_t win = heft_best_;
  rule = "earliest finish (HEFT rule)";
  const bool scored = !pp_.heft && pp_.budget < 0 && pp_.deadline < 0;
  if (scored || explain) score_terms(v);
  if (pp_.budget >= 0) {
    rest_min_ -= pb_.min_cost[v];
    const double range = pb_.max_cost[v] - pb_.min_cost[v];
    double allow = pp_.budget - spent_ - rest_min_;
    if (pp_.budget_share && rest_range_ > 0)
      allow = pb_.min_cost[v] + std::max(0.0, allow - pb_.min_cost[v]) * range / rest_range_;
    rest_range_ -= range;
    std::size_t best = D, cheap = D;
    for (std::size_t d = 0; d < D; ++d) {
      if (!live_[d]) continue;
      const double c = pb_.cost[row + d];
      if (cheap == D || c < pb_.cost[row + cheap] ||
          (c == pb_.cost[row + cheap] && finish_[d] < finish_[cheap]))
        cheap = d;
      if (c > allow * (1 + 1e-12) + 1e-9) continue;
      if (best == D || finish_[d] < finish_[best] ||
          (finish_[d] == finish_[best] && c < pb_.cost[row + best]))
        best = d;
    }
    if (pp_.budget_worth && best != D) {  // HBCS-style worth among the affordable
      double cb = inf, cw = 0, tb = inf, tw = 0;
      for (std::size_t d = 0; d < D; ++d)
        if (live_[d]) {
          cb = std::min(cb, pb_.cost[row + d]), cw = std::max(cw, pb_.cost[row + d]);
          tb = std::min(tb, finish_[d]), tw = std::max(tw, finish_[d]);
        }
      const double k = cw > cb ? std::clamp((allow - cb) / (cw - cb), 0.0, 1.0) : 1.0;
      double wbest = -inf;
      for (std::size_t d = 0; d < D; ++d) {
        const double c = pb_.cost[row + d];
        if (!live_[d] || c > allow * (1 + 1e-12) + 1e-9) continue;
        const double w = (tw > tb ? (tw - finish_[d]) / (tw - tb) : 1) * k +
                         (cw > cb ? (cw - c) / (cw - cb) : 1) * (1 - k);
        if (w > wbest) wbest = w, best = d;
      }
    }
    win = best != D ? best : cheap;
    rule = "earliest finish it can afford (budget-constrained)";
  } else if (pp_.deadline >= 0) {
    const double path = pr_.down[v] + pr_.rank[v];
    const double frac = path > 0 ? (pr_.down[v] + pr_.wbar[v]) / path : 1.0;
    const double sub = pb_.now + (pp_.deadline - pb_.now) * frac;
    std::size_t best = D;
    for (std::size_t d = 0; d < D; ++d) {
      if (!live_[d] || finish_[d] > sub + 1e-9) continue;
      const double c = pb_.cost[row + d];
      if (best == D || c < pb_.cost[row + best] ||
          (c == pb_.cost[row + best] && finish_[d] < finish_[best]))
        best = d;
    }
    win = best != D ? best : heft_best_;
    rule = "cheapest finishing by its sub-deadline (deadline-constrained)";
  } else if (pp_.peft && pp_.heft) {
    double best = inf;
    for (std::size_t d = 0; d < D; ++d)
      if (live_[d] && finish_[d] + pr_.oct[row + d] < best) {
        best = finish_[d] + pr_.oct[row + d];
        win = d;
      }
    rule = "earliest finish plus optimistic remaining path (PEFT)";
  } else if (pp_.lookahead && pp_.heft && pb_.succ_off[v + 1] > pb_.succ_off[v]) {
    win = lookahead(v);
    rule = "earliest finish of its successors (HEFT with lookahead)";
  } else if (scored) {
    double best = inf;
    for (std::size_t d = 0; d < D; ++d)
      if (live_[d] && score_[d] < best) {
        best = score_[d];
        win = d;
      }
    rule = "lowest weighted score";
    if (pb_.has_pref) {
      for (std::size_t d = 0; d < D; ++d)
        if (live_[d] && score_[d] <= best + near_tie && pb_.pref[d] < pb_.pref[win]) win = d;
      if (score_[win] > best) rule = "near-tie broken by domain_preference_order";
    }
  }
  return win;
}



pass_result pass_state::run(std::vector<node_explanation>* explain) {
  const std::size_t V = pb_.V;
  if (!place_fixed()) return std::move(res_);
  for (std::uint32_t v = 0; v < V; ++v)
    if (!pb_.fixed[v]) {
      rest_min_ += pb_.min_cost[v];
      rest_range_ += pb_.max_cost[v] - pb_.min_cost[v];
    }
  // Ready list by priority (max first); ties: lower depth, then lower index.
  const auto& prio = pr_.prio;
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (prio[a] != prio[b]) return prio[a] < prio[b];
    if (pb_.depth[a] != pb_.depth[b]) return pb_.depth[a] > pb_.depth[b];
    return a > b;
  };
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, decltype(before)> ready(before);
  std::vector<std::uint32_t> missing(V, 0);
  for (std::uint32_t v = 0; v < V; ++v) {
    if (done_[v]) continue;
    for (std::uint32_t k = pb_.pred_off[v]; k < pb_.pred_off[v + 1]; ++k)
      missing[v] += !done_[pb_.pred_node[k]];
    if (!missing[v]) ready.push(v);
  }
  std::size_t placed = 0;
  while (!ready.empty()) {
    const std::uint32_t v = ready.top();
    ready.pop();
    ++placed;
    const auto& node = pb_.def->nodes[v];
    if (!evaluate(v)) {
      res_.error = "node '" + node.node_id +
                   "' cannot be placed without exceeding the network limit "
                   "(resource_constraints.network_bytes)";
      return std::move(res_);
    }
    const char* rule = "";
    std::size_t win = choose(v, rule, explain != nullptr);
    if (force_) {
      const auto f = (*force_)[v];
      if (f < 0 || static_cast<std::size_t>(f) >= pb_.D || !live_[f]) {
        res_.error = "forced domain cannot host node '" + node.node_id + "'";
        return std::move(res_);
      }
      if (static_cast<std::size_t>(f) != win)
        rule = pp_.forced ? "moved by the local search: the whole plan scored better there"
                          : "assigned by the candidate's domain assignment";
      win = static_cast<std::size_t>(f);
    }
    if (explain) record(v, win, rule, *explain);
    net_used_ += cross_[win];
    res_.wait += start_[win] - rdy_[win];
    commit(v, win, start_[win], finish_[win], slot_[win]);
    for (std::uint32_t k = pb_.succ_off[v]; k < pb_.succ_off[v + 1]; ++k) {
      std::uint32_t s = pb_.succ_node[k];
      if (!done_[s] && --missing[s] == 0) ready.push(s);
    }
  }
  std::size_t nfixed = 0;
  for (const auto& f : pb_.fixed) nfixed += f.has_value();
  if (placed + nfixed != V) {
    res_.error = "the workflow has a cycle";
    return std::move(res_);
  }
  finish_totals();
  return std::move(res_);
}

pass_result run_pass(const problem& pb, const pass_params& pp,
                     std::vector<node_explanation>* explain) {
  pass_state st(pb, pp);
  return st.run(explain);
}

}  // namespace causality::strategies::detail
