// Node priorities of a list-scheduling pass: HEFT's upward rank (several
// averaging rules), the downward rank, PEFT's optimistic cost table.
#include <algorithm>
#include <limits>

#include "schedule.hpp"

namespace causality::strategies::detail {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

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

/// PEFT's optimistic cost table: OCT(v, d) = max over successors s of
/// min over domains w of OCT(s, w) + exec(s, w) + transfer(d -> w).
std::vector<double> optimistic_cost_table(const problem& pb) {
  const std::size_t V = pb.V, D = pb.D;
  std::vector<double> oct(V * D, 0.0);
  for (std::size_t i = V; i-- > 0;) {
    const std::uint32_t v = pb.topo[i];
    for (std::uint32_t k = pb.succ_off[v]; k < pb.succ_off[v + 1]; ++k) {
      const std::uint32_t s = pb.succ_node[k];
      for (std::size_t d = 0; d < D; ++d) {
        double best = inf;
        for (std::size_t w = 0; w < D; ++w) {
          if (!pb.ok[s * D + w]) continue;
          const double c = w == d ? 0 : pb.succ_base[k] * pb.mult[pb.kind[d]][pb.kind[w]];
          best = std::min(best, oct[s * D + w] + pb.exec[s * D + w] + c);
        }
        if (best < inf) oct[v * D + d] = std::max(oct[v * D + d], best);
      }
    }
  }
  return oct;
}

}  // namespace

priorities compute_priorities(const problem& pb, const pass_params& pp) {
  const std::size_t V = pb.V, D = pb.D;
  const auto& ds = pb.plat->domains;
  priorities pr;
  pr.wbar.assign(V, 0.0);
  pr.rank.assign(V, 0.0);
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
    pr.wbar[v] = rk == rank_kind::optimistic ? mn : (w > 0 ? sum / w : 0);
  }
  const double cm =
      rk == rank_kind::optimistic ? 0 : mean_multiplier(pb, rk != rank_kind::domain_mean);
  // Upward rank in reverse depth order (depth is a valid topological key).
  const auto& order = pb.topo;
  for (std::size_t i = V; i-- > 0;) {
    std::uint32_t v = order[i];
    double m = 0;
    for (std::uint32_t k = pb.succ_off[v]; k < pb.succ_off[v + 1]; ++k)
      m = std::max(m, pb.succ_base[k] * cm + pr.rank[pb.succ_node[k]]);
    pr.rank[v] = pr.wbar[v] + m;
  }
  pr.prio = pr.rank;
  if (rk == rank_kind::peft) {
    pr.oct = optimistic_cost_table(pb);
    for (std::size_t v = 0; v < V; ++v) {
      double s = 0, n = 0;
      for (std::size_t d = 0; d < D; ++d)
        if (pb.ok[v * D + d]) s += pr.oct[v * D + d], n += 1;
      pr.prio[v] = n > 0 ? s / n : 0;
    }
  } else if (pp.peft) {
    pr.oct = optimistic_cost_table(pb);
  }
  if (pp.noise > 0)
    for (std::uint32_t v = 0; v < V; ++v) {
      std::uint32_t h = (v + 1) * 2654435761u ^ (pp.seed + 1) * 2246822519u;
      h ^= h >> 15;
      h *= 2246822519u;
      h ^= h >> 13;
      pr.prio[v] *= 1 + pp.noise * (static_cast<double>(h) / 4294967296.0 - 0.5);
    }
  if (rk == rank_kind::up_down || pp.deadline >= 0) {
    pr.down.assign(V, 0.0);
    for (std::uint32_t v : order)
      for (std::uint32_t k = pb.pred_off[v]; k < pb.pred_off[v + 1]; ++k) {
        std::uint32_t p = pb.pred_node[k];
        pr.down[v] = std::max(pr.down[v], pr.down[p] + pr.wbar[p] + pb.pred_base[k] * cm);
      }
    if (rk == rank_kind::up_down)
      for (std::size_t v = 0; v < V; ++v) pr.prio[v] += pr.down[v];
  }
  return pr;
}

}  // namespace causality::strategies::detail
