// The balancer actor: places each dispatched task on an eligible domain.

#include <unordered_map>

#include "context.hpp"
#include "causality/strategies/balance_choice.hpp"
#include "causality/strategies/tradeoff.hpp"

namespace causality::actors {

// ------------------------------------------------------------- balancer actor

void publish_placed(const model::platform& plat, double now, const task& t, observe::placement how,
                    std::string_view reason, const observe::move_detail* detail) {
  auto& rc = *t.run;
  if (!rc.events.wants(how == observe::placement::moved ? observe::ev_placed | observe::ev_moved : observe::ev_placed))
    return;
  auto& doms = plat.domains;
  auto plan = rc.dyn ? rc.dyn->plan() : rc.plan;
  std::string_view planned;
  if (plan && t.node < plan->assignments.size() && plan->assignments[t.node].domain < doms.size())
    planned = doms[plan->assignments[t.node].domain].name;
  rc.events.publish(&observe::observer::on_node_placed,
                    observe::node_placed{rc.state->id(), rc.prog().def->nodes[t.node].node_id, t.node, t.attempt,
                                         planned, doms[t.domain].name, how, reason, now - rc.spawn_ms, detail});
}

namespace {
const std::string only_choice_text = "the only available domain";
}  // namespace

struct balancer_state {
  std::vector<domain_load> scratch;
  std::vector<strategies::domain_occupancy> eligible;  ///< reused per node
  std::vector<task_list> to_domain;
  /// Arrivals of nodes that can run on one domain only, kept when the policy uses_forecast.
  std::optional<strategies::demand_forecast> forecast;
  /// Each run's trade-off weights for the strategy it follows now, by run
  /// id (a map lookup per node instead of a registry lookup; pruned of ended runs).
  struct weights {
    std::string strategy;
    double latency = 1.0, cost = 0.0;
  };
  std::unordered_map<std::uint64_t, weights> run_weights;
  /// The adaptive strategy in force for every run (nullopt: each its own), as of board_version.
  std::optional<std::string> board_override;
  std::uint64_t board_version = 0;
  /// "the planned domain 'x', kept by <policy>" per domain, built once.
  std::vector<std::string> kept;
  const std::string& kept_text(std::size_t d, const model::platform& p, const std::string& policy) {
    if (kept.empty())
      for (std::size_t i = 0; i < p.domains.size(); ++i) {
        strategies::balance_reason r;
        r.kind = strategies::balance_reason::kept_plan;
        r.planned = i;
        kept.push_back(r.text(p, policy));
      }
    return kept[std::min(d, kept.size() - 1)];
  }
};

caf::behavior balancer_actor(stateful<balancer_state>* self, const balancer_context* eng) {
  self->state.to_domain.resize(eng->domains->size());
  if (eng->policy.uses_forecast)
    self->state.forecast.emplace(eng->domains->size(), eng->forecast, now_ms(*eng->clk));
  return {
      [self, eng](task_list& tasks) {
        auto& s = self->state;
        for (auto& t : tasks) {
          auto& rc = *t.run;
          auto mask = rc.prog().eligible[t.node] & eng->domains->live_mask();
          if (!mask) {  // only lost domains could host it
            completion c;
            c.kind = completion::failed;
            c.node = t.node;
            c.attempt = t.attempt;
            c.error = "no available domain can run it (its remote domain was lost)";
            self->send(rc.run_actor, std::move(c));
            continue;
          }
          if (rc.dyn) t.plan_version = rc.dyn->version();  // before the plan: never newer than it
          auto plan = rc.dyn ? rc.dyn->plan() : rc.plan;
          std::size_t planned = plan ? plan->assignments[t.node].domain : 0;
          std::size_t chosen;
          if ((mask & (mask - 1)) == 0) {
            chosen = static_cast<std::size_t>(__builtin_ctzll(mask));  // one choice
            // Demand the balancer cannot move: what the forecast predicts.
            if (s.forecast) s.forecast->record_arrival(chosen, now_ms(*eng->clk));
            t.domain = static_cast<std::uint32_t>(chosen);
            if (rc.events.wants(observe::ev_placed))
              publish_placed(*rc.prog().platform, now_ms(*eng->clk), t, observe::placement::only_choice,
                             only_choice_text);
          } else {
            // The run's weights let plan-first weigh time gained against
            // cost added; the decision itself is strategies::choose_domain.
            double lw = 1.0, cw = 0.0;
            if (plan) {
              // The strategy in force: an adaptive switch acts on runs in
              // flight from the moment it is made, else the plan's.
              const std::string* strategy = &plan->strategy;
              if (eng->adaptive) {
                if (auto v = eng->board->version(); v != s.board_version) {
                  s.board_override = eng->board->override_strategy();
                  s.board_version = v;
                }
                if (s.board_override) strategy = &*s.board_override;
              }
              // The weights depend on the strategy name only: looked up once
              // per run and strategy, not per node (find copies).
              if (s.run_weights.size() > 4096)  // forget ended runs
                for (auto it = s.run_weights.begin(); it != s.run_weights.end();)
                  it = it->first != rc.state->id() ? s.run_weights.erase(it) : std::next(it);
              auto [it, fresh] = s.run_weights.try_emplace(rc.state->id());
              auto& wc = it->second;
              if (fresh || wc.strategy != *strategy) {
                auto st = rc.req.strategies.find(*strategy);
                if (!st) st = rc.req.strategies.find(rc.req.hint.preferred_strategy_id);
                // the planner's effective weights (strategies/tradeoff.hpp)
                const double stretch = rc.req.hint.makespan_stretch.value_or(strategies::default_stretch);
                const auto ew = st ? strategies::effective_weights(*st, rc.req.hint.priority, stretch)
                                   : strategies::tradeoff_weights{};
                wc.latency = ew.latency;
                wc.cost = ew.cost;
                wc.strategy = *strategy;
              }
              lw = wc.latency, cw = wc.cost;
            }
            s.eligible.clear();
            for (std::size_t d = 0; d < eng->domains->size(); ++d) {
              if (!(mask >> d & 1)) continue;
              auto& dr = (*eng->domains)[d];
              s.eligible.push_back(strategies::domain_occupancy{
                  d, dr.pool.slots(), dr.pool.running(),
                  // with what this batch already sent there (a lost domain's queue comes back at once)
                  dr.pool.queued() + static_cast<int>(s.to_domain[d].size()),
                  s.forecast ? s.forecast->expected_arrivals(d, eng->forecast_horizon_ms) : 0.0});
            }
            auto choice = strategies::choose_domain(eng->policy, rc.prog().def->nodes[t.node],
                                                    *rc.prog().platform, planned, lw, cw, s.eligible, s.scratch);
            chosen = choice.domain;
            t.domain = static_cast<std::uint32_t>(chosen);
            if (rc.events.wants(observe::ev_placed | observe::ev_moved)) {
              auto& plat = *rc.prog().platform;
              if (choice.reason.kind == strategies::balance_reason::moved) {
                // The loads it compared, as numbers: words only when someone reads them.
                auto view = [&](std::size_t d) {
                  observe::domain_load_view v;
                  v.speed = plat.domains[d].speed;
                  v.available = false;
                  for (auto& e : s.eligible)
                    if (e.domain == d)
                      v = {static_cast<std::uint32_t>(std::max(0, e.running)),
                           static_cast<std::uint32_t>(std::max(0, e.queued)),
                           static_cast<std::uint32_t>(std::max(1, e.slots)), plat.domains[d].speed, true};
                  return v;
                };
                observe::move_detail md{view(choice.reason.planned), view(choice.domain), eng->policy.name};
                publish_placed(plat, now_ms(*eng->clk), t, observe::placement::moved, {}, &md);
              } else {
                publish_placed(plat, now_ms(*eng->clk), t, observe::placement::as_planned,
                               s.kept_text(planned, plat, eng->policy.name));
              }
            }
          }
          t.domain = static_cast<std::uint32_t>(chosen);
          auto& dr = (*eng->domains)[chosen];
          if (dr.pool.queued() == 0 && dr.pool.try_acquire()) {
            start_node(self, std::move(t), eng->attempts);
          } else {
            t.seq = eng->next_seq->fetch_add(1, std::memory_order_relaxed);
            s.to_domain[chosen].push_back(std::move(t));
          }
        }
        for (std::size_t d = 0; d < s.to_domain.size(); ++d)
          if (!s.to_domain[d].empty()) {
            self->send((*eng->domains)[d].actor, std::move(s.to_domain[d]));
            s.to_domain[d] = task_list{};
          }
      },
  };
}

caf::actor spawn_balancer_actor(caf::actor_system& sys, const balancer_context* ctx) {
  return sys.spawn(balancer_actor, ctx);
}

}  // namespace causality::actors
