// Parts of a list-scheduling pass (pass_state.hpp): the weighted score
// terms, HEFT's one-step lookahead, the explanation record, the totals.
#include <algorithm>
#include <cmath>

#include "pass_state.hpp"

namespace causality::strategies::detail {

std::size_t pass_state::lookahead(std::uint32_t v) {
  const std::size_t D = pb_.D;
  std::size_t win = heft_best_;
  double best_look = inf;
  for (std::size_t d = 0; d < D; ++d) {
    if (!live_[d]) continue;
    double worst = finish_[d];
    for (std::uint32_t k = pb_.succ_off[v]; k < pb_.succ_off[v + 1]; ++k) {
      const std::uint32_t c = pb_.succ_node[k];
      if (done_[c]) continue;
      double cbest = inf;
      for (std::size_t d2 = 0; d2 < D; ++d2) {
        if (!pb_.ok[c * D + d2]) continue;
        double r =
            finish_[d] + (d2 == d ? 0 : pb_.succ_base[k] * pb_.mult[pb_.kind[d]][pb_.kind[d2]]);
        for (std::uint32_t q = pb_.pred_off[c]; q < pb_.pred_off[c + 1]; ++q) {
          const std::uint32_t p = pb_.pred_node[q];
          if (p == v || !done_[p]) continue;
          r = std::max(r, fin_[p] + (dom_[p] == d2 ? 0
                                                   : pb_.pred_base[q] *
                                                         pb_.mult[pb_.kind[dom_[p]]][pb_.kind[d2]]));
        }
        cbest = std::min(cbest, std::max(r, tl_.earliest_tail(d2)) + pb_.exec[c * D + d2]);
      }
      worst = std::max(worst, cbest);
    }
    if (worst < best_look || (worst == best_look && finish_[d] < finish_[win])) {
      best_look = worst;
      win = d;
    }
  }
  return win;
}

void pass_state::score_terms(std::uint32_t v) {
  const std::size_t row = v * pb_.D;
  const double lcmin = std::log(cmin_ + eps);
  const double tail = pr_.rank[v] - pr_.wbar[v];
  double gmin = inf;
  for (std::size_t d = 0; d < pb_.D; ++d)
    if (live_[d]) gmin = std::min(gmin, finish_[d] + tail);
  const double P = std::max(proj_, gmin) + eps;
  for (std::size_t d = 0; d < pb_.D; ++d) {
    if (!live_[d]) continue;
    const double e = pb_.exec[row + d];
    double local = fast_ln((finish_[d] - r0_ + eps) / (fmin_ - r0_ + eps));
    term_l_[d] =
        pp_.slack ? fast_ln(std::max(finish_[d] + tail + eps, P) / P) + 0.1 * local : local;
    term_c_[d] = pb_.log_cost[row + d] - lcmin;
    if (pp_.parallel) {
      double wait = start_[d] - rdy_[d];
      term_e_[d] = wait + e > 0 ? wait / (wait + e) : 0;
    } else {
      double frag = gap_[d] + e > 0 ? gap_[d] / (gap_[d] + e) : 0;
      term_e_[d] = 0.5 * frag + (used_[d] ? 0.0 : 0.5);
    }
    score_[d] = pp_.wl * term_l_[d] + pp_.wc * term_c_[d] + pp_.we * term_e_[d];
  }
}

void pass_state::record(std::uint32_t v, std::size_t win, const char* rule,
                        std::vector<node_explanation>& out) const {
  node_explanation ex;
  ex.node = v;
  ex.winner = win;
  ex.rule = rule;
  const std::size_t row = v * pb_.D;
  for (std::size_t d = 0; d < pb_.D; ++d) {
    domain_candidate c;
    c.domain = d;
    c.filtered_by = pb_.why[row + d];
    if (c.filtered_by.empty() && pp_.allowed && !(*pp_.allowed)[d])
      c.filtered_by = "not in the domain subset of this candidate schedule";
    if (c.filtered_by.empty() && !live_[d])
      c.filtered_by = "would exceed the network limit (resource_constraints.network_bytes)";
    if (c.filtered_by.empty()) {
      c.ready_ms = rdy_[d];
      c.start_ms = start_[d];
      c.finish_ms = finish_[d];
      c.cost = pb_.cost[row + d];
      c.latency_term = term_l_[d];
      c.cost_term = term_c_[d];
      c.priority_term = term_e_[d];
      c.score = score_[d];
    }
    ex.candidates.push_back(std::move(c));
  }
  out[v] = std::move(ex);
}

void pass_state::finish_totals() {
  res_.cross_bytes = 0;  // over every edge, fixed nodes included
  for (std::uint32_t v = 0; v < pb_.V; ++v)
    for (std::uint32_t k = pb_.pred_off[v]; k < pb_.pred_off[v + 1]; ++k)
      if (dom_[pb_.pred_node[k]] != dom_[v]) res_.cross_bytes += pb_.pred_bytes[k];
  double cap = 0;
  res_.domains_used = 0;
  for (std::size_t d = 0; d < pb_.D; ++d)
    if (used_[d]) cap += pb_.plat->domains[d].slots, ++res_.domains_used;
  res_.reserved = cap * res_.makespan;
  res_.util = res_.makespan > 0 && cap > 0 ? res_.busy / (cap * res_.makespan) : 1.0;
  if (pb_.mem_limit) res_.peak_mem = peak_memory(*pb_.def, res_.a);
}

}  // namespace causality::strategies::detail
