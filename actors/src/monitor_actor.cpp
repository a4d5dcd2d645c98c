// The monitor actor: per-domain figures, the adaptive tick and performance
// models; strategy switches go out as events (metrics are an observer).

#include "context.hpp"

namespace causality::actors {

// -------------------------------------------------------------- monitor actor

/// The load of every domain now, as an engine event (queue depth and
/// utilisation gauges are observers of it).
void publish_sample(const monitor_context* eng) {
  if (!eng->events->wants(observe::ev_sampled)) return;
  auto& doms = *eng->domains;
  observe::domains_sampled e;
  e.domains.reserve(doms.size());
  for (std::size_t d = 0; d < doms.size(); ++d)
    e.domains.push_back({doms[d].spec->name, static_cast<std::uint32_t>(doms[d].pool.slots()),
                         static_cast<std::uint32_t>(std::max(0, doms[d].pool.running())),
                         static_cast<std::uint32_t>(std::max(0, doms[d].pool.queued()))});
  e.time_ms = now_ms(*eng->clk);
  eng->events->publish(&observe::observer::on_domains_sampled, e);
}

struct monitor_state {
  std::vector<domain_snapshot> acc;
  clock* clk = nullptr;
  clock::timer_id tick = 0;  ///< the next adaptive tick, on the engine's clock
  ~monitor_state() {
    if (clk && tick) clk->cancel(tick);
  }
};

/// Arms the next tick on the engine's clock (the callback only sends).
void arm_tick(stateful<monitor_state>* self, clock::duration period) {
  auto me = caf::actor_cast<caf::weak_actor_ptr>(self);
  self->state.tick = self->state.clk->schedule_after(period, [me] {
    if (auto p = me.lock()) caf::anon_send(caf::actor_cast<caf::actor>(p), tick_atom::value);
  });
}

caf::behavior monitor_actor(stateful<monitor_state>* self, const monitor_context* eng) {
  auto& doms = *eng->domains;
  for (std::size_t i = 0; i < doms.size(); ++i) {
    auto* d = &doms[i];
    domain_snapshot s;
    s.name = d->spec->name;
    s.kind = d->spec->kind;
    s.slots = d->pool.slots();
    self->state.acc.push_back(s);
  }
  // The tick is a timer of the engine's clock, like every other timer.
  auto period = std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double, std::milli>(std::max(1.0, eng->tick_ms)));
  self->state.clk = eng->clk;
  if (eng->dyn) arm_tick(self, period);
  return {
      [self, eng](const program_ptr& prog, const metric_list& ms) {
        double now = now_ms(*eng->clk);
        double scale = eng->time_scale > 0 ? eng->time_scale : 1.0;
        for (auto& m : ms) {
          if (m.domain < 0 || static_cast<std::size_t>(m.domain) >= self->state.acc.size()) continue;
          auto& a = self->state.acc[m.domain];
          switch (m.kind) {
            case metric::started: ++a.started; break;
            case metric::finished:
              ++a.finished;
              a.busy_ms += m.exec_ms;
              break;
            case metric::failed:
              ++a.failed;
              a.busy_ms += m.exec_ms;
              break;
          }
          if (!eng->dyn || !prog || m.node >= prog->def->nodes.size()) continue;
          if (m.kind == metric::finished) {
            const auto& node = prog->def->nodes[m.node];
            const auto& dom = *(*eng->domains)[static_cast<std::size_t>(m.domain)].spec;
            eng->dyn->finished(strategies::model_key(*prog->def, node), m.domain, now, m.exec_ms / scale,
                               strategies::exec_ms(node, dom), strategies::node_cost(node, dom));
          } else if (m.kind == metric::failed) {
            eng->dyn->failed(m.domain, now);
          }
        }
        publish_sample(eng);
      },
      [self, eng, period](tick_atom) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> levels;
        auto& doms = *eng->domains;
        for (std::size_t d = 0; d < doms.size(); ++d)
          levels.emplace_back(static_cast<std::uint32_t>(std::max(0, doms[d].pool.running())),
                              static_cast<std::uint32_t>(std::max(0, doms[d].pool.queued())));
        if (auto sw = eng->dyn->tick(levels, now_ms(*eng->clk), *eng->board)) {
          double load = 0, slots = 0;
          for (std::size_t d = 0; d < doms.size(); ++d) {
            load += levels[d].first + levels[d].second;
            slots += doms[d].pool.slots();
          }
          eng->events->publish(&observe::observer::on_strategy_switched,
                              observe::strategy_switched{sw->from, sw->to, sw->reason,
                                                         slots > 0 ? load / slots : 0.0, sw->time_ms});
        }
        publish_sample(eng);
        arm_tick(self, period);
      },
      [self, eng](snap_atom, snapshot_promise& p) {
        auto out = self->state.acc;
        for (std::size_t d = 0; d < out.size(); ++d) {
          auto n = out[d].finished + out[d].failed;
          out[d].mean_latency_ms = n ? out[d].busy_ms / static_cast<double>(n) : 0.0;
          out[d].running = (*eng->domains)[d].pool.running();
          out[d].queued = (*eng->domains)[d].pool.queued();
        }
        p->set_value(std::move(out));
      },
  };
}

caf::actor spawn_monitor_actor(caf::actor_system& sys, const monitor_context* ctx) {
  return sys.spawn(monitor_actor, ctx);
}

}  // namespace causality::actors
