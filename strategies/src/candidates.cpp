// Candidate schedules (docs/planner.md): the strategy-independent list
// schedules, and the ones aimed at one cost budget or one deadline
// (budget-constrained and deadline-constrained passes, LOSS and GAIN
// reassignment paths).
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

#include "search.hpp"

namespace causality::strategies::detail {
namespace {

pass_params heft(rank_kind r) {
  pass_params p;
  p.heft = true;
  p.rank = r;
  return p;
}

pass_params weighted(double a, double we, bool slack, rank_kind r, bool parallel) {
  pass_params p;
  p.wl = (1 - a) * (1 - we);
  p.wc = a * (1 - we);
  p.we = we;
  p.slack = slack;
  p.rank = r;
  p.parallel = parallel;
  p.alpha = a;
  return p;
}

}  // namespace

// Each node's best move is kept in a heap (search.hpp).
void reassign_path(const problem& pb, std::vector<std::int32_t> a, bool loss,
                   const std::function<bool(double)>& stop,
                   const std::function<void(double, const std::vector<std::int32_t>&)>& snap) {
  const std::size_t D = pb.D;
  double cost = 0;
  for (std::size_t v = 0; v < pb.V; ++v) cost += pb.cost[v * D + a[v]];
  // Best move of v: LOSS minimises time added per cost saved, GAIN
  // maximises time saved per cost added (as a key to minimise: -gain).
  auto best_move = [&](std::size_t v, std::int32_t& to) {
    double key = std::numeric_limits<double>::infinity();
    to = -1;
    if (pb.fixed[v]) return key;
    const std::size_t cur = static_cast<std::size_t>(a[v]);
    const double e0 = pb.exec[v * D + cur], c0 = pb.cost[v * D + cur];
    for (std::size_t d = 0; d < D; ++d) {
      if (d == cur || !pb.ok[v * D + d]) continue;
      const double e = pb.exec[v * D + d], c = pb.cost[v * D + d];
      double k;
      if (loss) {
        if (!(c < c0)) continue;
        k = (e - e0) / (c0 - c);
      } else {
        if (!(e < e0) || c < c0) continue;
        k = c > c0 ? -(e0 - e) / (c - c0) : -std::numeric_limits<double>::max();
      }
      if (k < key) key = k, to = static_cast<std::int32_t>(d);
    }
    return key;
  };
  using item = std::pair<double, std::uint32_t>;
  std::priority_queue<item, std::vector<item>, std::greater<item>> heap;
  std::vector<std::int32_t> target(pb.V, -1);
  std::vector<double> keyof(pb.V);
  for (std::uint32_t v = 0; v < pb.V; ++v) {
    keyof[v] = best_move(v, target[v]);
    if (target[v] >= 0) heap.push({keyof[v], v});
  }
  snap(cost, a);
  while (!heap.empty() && !stop(cost)) {
    auto [k, v] = heap.top();
    heap.pop();
    if (k != keyof[v] || target[v] < 0) continue;
    cost += pb.cost[v * D + target[v]] - pb.cost[v * D + a[v]];
    a[v] = target[v];
    snap(cost, a);
    keyof[v] = best_move(v, target[v]);
    if (target[v] >= 0) heap.push({keyof[v], v});
  }
}

std::vector<std::int32_t> cheapest_assignment(const problem& pb) {
  std::vector<std::int32_t> a(pb.V, 0);
  for (std::size_t v = 0; v < pb.V; ++v) {
    if (pb.fixed[v]) {
      a[v] = static_cast<std::int32_t>(pb.fixed[v]->domain);
      continue;
    }
    std::size_t best = pb.D;
    for (std::size_t d = 0; d < pb.D; ++d) {
      const std::size_t i = v * pb.D + d;
      if (!pb.ok[i]) continue;
      if (best == pb.D || pb.cost[i] < pb.cost[v * pb.D + best] ||
          (pb.cost[i] == pb.cost[v * pb.D + best] && pb.exec[i] < pb.exec[v * pb.D + best]))
        best = d;
    }
    a[v] = static_cast<std::int32_t>(best == pb.D ? 0 : best);
  }
  return a;
}

std::vector<std::int32_t> assignment_of(const evaluated& e) {
  std::vector<std::int32_t> a(e.r.a.size());
  for (std::size_t v = 0; v < a.size(); ++v) a[v] = static_cast<std::int32_t>(e.r.a[v].domain);
  return a;
}

void base_candidates(pool& p, bool parallel, bool extended) {
  const double work = p.pb().work();
  p.add(heft(rank_kind::slot_mean));
  if (extended) {
    for (int i = 0; i <= 20; ++i) {
      p.add(weighted(i / 20.0, 0, false, rank_kind::slot_mean, parallel));
      p.add(weighted(i / 20.0, 0, true, rank_kind::slot_mean, parallel));
      p.add(weighted(i / 20.0, 0, false, rank_kind::optimistic, parallel));
    }
    return;
  }
  if (work <= insertion_limit) {
    for (rank_kind r : {rank_kind::domain_mean, rank_kind::optimistic, rank_kind::up_down,
                        rank_kind::peft})
      p.add(heft(r));
    for (rank_kind r : {rank_kind::slot_mean, rank_kind::peft}) {  // PEFT selection rule
      auto q = heft(r);
      q.peft = true;
      p.add(q);
    }
    for (double a : {0.0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0}) {
      p.add(weighted(a, 0, false, rank_kind::slot_mean, parallel));
      p.add(weighted(a, 0, true, rank_kind::slot_mean, parallel));
    }
    for (double a : {0.0, 0.5, 1.0}) p.add(weighted(a, 0.3, false, rank_kind::slot_mean, parallel));
    for (rank_kind r : {rank_kind::optimistic, rank_kind::up_down})
      p.add(weighted(0, 0, false, r, parallel));
    for (rank_kind r : {rank_kind::slot_mean, rank_kind::up_down, rank_kind::peft}) {
      auto q = heft(r);
      q.lookahead = true;
      p.add(q);
    }
    // Deterministic multi-start: HEFT with perturbed priorities.
    const std::uint32_t starts = work <= 5000 ? 36 : 8;
    for (std::uint32_t k = 0; k < starts; ++k) {
      auto q = heft(k % 3 == 2 ? rank_kind::peft : k % 2 ? rank_kind::up_down
                                                          : rank_kind::slot_mean);
      q.noise = k < 12 ? 0.1 : k < 24 ? 0.2 : 0.4;
      q.seed = k;
      p.add(q);
    }
  } else {
    p.add(weighted(0.5, 0, true, rank_kind::slot_mean, parallel));
    p.add(weighted(1, 0, false, rank_kind::slot_mean, parallel));
  }
}

void budget_candidates(pool& p, double budget) {
  const problem& pb = p.pb();
  const bool small = pb.work() <= insertion_limit;
  std::vector<rank_kind> ranks{rank_kind::slot_mean};
  if (small) ranks = {rank_kind::slot_mean, rank_kind::up_down, rank_kind::optimistic,
                      rank_kind::peft};
  for (rank_kind r : ranks)
    for (int variant : {0, 1, 2}) {  // greedy, share, worth
      pass_params q;
      q.rank = r;
      q.budget = budget;
      q.budget_share = variant == 1;
      q.budget_worth = variant == 2;
      p.add(q);
    }
  // LOSS from the fastest plans down to the budget, GAIN from the cheapest up.
  std::vector<const evaluated*> fast;
  for (const auto& e : p.all())
    if (p.meets_hard(e)) fast.push_back(&e);
  std::sort(fast.begin(), fast.end(), [](const evaluated* a, const evaluated* b) {
    return a->r.makespan < b->r.makespan;
  });
  const std::size_t starts = std::min<std::size_t>(fast.size(), small ? 3 : 1);
  std::vector<std::vector<std::int32_t>> found;
  for (std::size_t i = 0; i < starts; ++i) {
    std::vector<std::int32_t> last;
    reassign_path(pb, assignment_of(*fast[i]), true, [&](double c) { return c <= budget; },
                  [&](double, const std::vector<std::int32_t>& a) { last = a; });
    found.push_back(std::move(last));
  }
  std::vector<std::int32_t> gain;
  reassign_path(pb, cheapest_assignment(pb), false, [](double) { return false; },
                [&](double c, const std::vector<std::int32_t>& a) {
                  if (c <= budget) gain = a;
                });
  if (!gain.empty()) found.push_back(std::move(gain));
  for (std::size_t i = 0; i < found.size(); ++i)
    p.add_assignment(std::move(found[i]), i + 1 == found.size() ? "gain to budget"
                                                                 : "loss to budget");
}

namespace {

/// Along a reassignment path (cost monotone), binary-searches the snapshot
/// where the makespan crosses the deadline (LOSS: last one within it; GAIN:
/// first), evaluating about 9 schedules.
void path_to_deadline(pool& p, const std::vector<std::int32_t>& from, bool loss, double deadline) {
  // At most 512 snapshots: when full, every other one is dropped and the
  // stride doubles (memory O(512 V) whatever the path length).
  std::vector<std::vector<std::int32_t>> steps;
  std::size_t stride = 1, count = 0;
  reassign_path(p.pb(), from, loss, [](double) { return false; },
                [&](double, const std::vector<std::int32_t>& a) {
                  if (count++ % stride) return;
                  steps.push_back(a);
                  if (steps.size() == 512) {
                    for (std::size_t i = 0; i < 256; ++i) steps[i] = std::move(steps[2 * i]);
                    steps.resize(256);
                    stride *= 2;
                  }
                });
  if (steps.empty()) return;
  auto within = [&](std::size_t i) {
    const auto& e = p.add_assignment(steps[i], loss ? "loss to deadline" : "gain to deadline");
    return e.ok() && e.r.makespan <= deadline + 1e-9;
  };
  // LOSS: within holds for a prefix; GAIN: for a suffix.
  std::size_t lo = 0, hi = steps.size() - 1;
  while (lo < hi) {
    if (loss) {
      const std::size_t mid = (lo + hi + 1) / 2;
      if (within(mid)) lo = mid;
      else hi = mid - 1;
    } else {
      const std::size_t mid = (lo + hi) / 2;
      if (within(mid)) hi = mid;
      else lo = mid + 1;
    }
  }
  within(lo);
}

}  // namespace

void deadline_candidates(pool& p, double deadline) {
  const problem& pb = p.pb();
  const bool small = pb.work() <= insertion_limit;
  const evaluated* fast = nullptr;
  for (const auto& e : p.all())
    if (p.meets_hard(e) && (!fast || e.r.makespan < fast->r.makespan)) fast = &e;
  if (fast) {
    const auto from = assignment_of(*fast);
    path_to_deadline(p, from, true, deadline);
  }
  path_to_deadline(p, cheapest_assignment(pb), false, deadline);
  std::vector<rank_kind> ranks{rank_kind::slot_mean};
  if (small)
    ranks = {rank_kind::slot_mean, rank_kind::up_down, rank_kind::peft, rank_kind::optimistic,
             rank_kind::domain_mean};
  for (rank_kind r : ranks)
    for (double f : {1.0, 0.95, 0.9, 0.8, 0.7, 0.55}) {
      pass_params q;
      q.rank = r;
      q.deadline = pb.now + (deadline - pb.now) * f;
      p.add(q);
      if (!small) break;
    }
}

}  // namespace causality::strategies::detail
