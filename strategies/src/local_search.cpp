// Local search on an objective (docs/planner.md): move one node to another
// able domain, re-run the list schedule with that assignment, keep the move
// when the objective says it is better.
#include <algorithm>
#include <memory>

#include "search.hpp"

namespace causality::strategies::detail {

std::size_t search_budget(const problem& pb, double per_work) {
  if (pb.work() > insertion_limit || pb.V < 2) return 0;
  return static_cast<std::size_t>(std::min(3000.0, per_work / std::max(1.0, pb.work())));
}

evaluated local_search(const pool& p, const evaluated& start,
                       const std::function<bool(const evaluated&, const evaluated&)>& better,
                       std::size_t max_evals, bool by_cost) {
  const problem& pb = p.pb();
  const std::size_t D = pb.D;
  std::vector<std::int32_t> forced = assignment_of(start);
  pass_params lp = start.params;
  lp.assign.reset();
  lp.allowed.reset();
  lp.forced = &forced;
  evaluated cur = start;
  std::size_t evals = 0, moves = 0;
  bool improved = true;
  std::vector<std::uint32_t> order(pb.V);
  std::vector<std::size_t> doms(D);
  while (improved && evals < max_evals) {
    improved = false;
    for (std::uint32_t v = 0; v < pb.V; ++v) order[v] = v;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (by_cost) return cur.r.a[a].cost > cur.r.a[b].cost;
      return cur.r.a[a].finish_ms > cur.r.a[b].finish_ms;
    });
    for (std::uint32_t v : order) {
      if (pb.fixed[v]) continue;
      // Cost-driven: cheaper domains only, cheapest first.
      doms.clear();
      for (std::size_t d = 0; d < D; ++d) {
        if (static_cast<std::int32_t>(d) == forced[v] || !pb.ok[v * D + d]) continue;
        if (by_cost && !(pb.cost[v * D + d] < pb.cost[v * D + forced[v]])) continue;
        doms.push_back(d);
      }
      if (by_cost)
        std::sort(doms.begin(), doms.end(), [&](std::size_t a, std::size_t b) {
          return pb.cost[v * D + a] < pb.cost[v * D + b];
        });
      for (std::size_t d : doms) {
        if (evals >= max_evals) break;
        const std::int32_t old = forced[v];
        forced[v] = static_cast<std::int32_t>(d);
        evaluated e = p.evaluate(lp);
        ++evals;
        if (e.ok() && better(e, cur)) {
          cur = std::move(e);
          improved = true;
          ++moves;
          if (by_cost) break;  // the node is now cheaper; next node
        } else if (by_cost && evals < max_evals) {
          // Path move (the idea of IC-PCP): the node and its longest-running
          // successors, up to 3 more, to the same domain, so the transfers
          // between them vanish.
          std::vector<std::pair<std::uint32_t, std::int32_t>> undo;
          std::uint32_t u = v;
          for (int k = 0; k < 3; ++k) {
            std::uint32_t next = pb.V;
            for (std::uint32_t q = pb.succ_off[u]; q < pb.succ_off[u + 1]; ++q) {
              const std::uint32_t c = pb.succ_node[q];
              if (pb.fixed[c] || !pb.ok[c * D + d] || forced[c] == static_cast<std::int32_t>(d))
                continue;
              if (next == pb.V || pb.exec[c * D + d] > pb.exec[next * D + d]) next = c;
            }
            if (next == pb.V) break;
            undo.push_back({next, forced[next]});
            forced[next] = static_cast<std::int32_t>(d);
            u = next;
          }
          bool kept = false;
          if (!undo.empty()) {
            evaluated e2 = p.evaluate(lp);
            ++evals;
            if (e2.ok() && better(e2, cur)) {
              cur = std::move(e2);
              improved = kept = true;
              ++moves;
            }
          }
          if (kept) break;
          for (auto [n, dd] : undo) forced[n] = dd;
          forced[v] = old;
        } else {
          forced[v] = old;
        }
      }
      if (evals >= max_evals) break;
    }
  }
  if (!moves) return start;
  cur.params = start.params;  // keep the label and the rule; the schedule is the assignment
  cur.params.forced = nullptr;
  cur.params.allowed.reset();
  cur.params.assign = std::make_shared<const std::vector<std::int32_t>>(forced);
  cur.moves = start.moves + ", then " + std::to_string(moves) + " single-node moves";
  return cur;
}

}  // namespace causality::strategies::detail
