// The domain actor: the priority queue of one domain while its slots are taken.

#include "context.hpp"

namespace causality::actors {

// --------------------------------------------------------------- domain actor

struct by_priority {
  bool operator()(const task& a, const task& b) const {
    if (a.priority != b.priority) return a.priority < b.priority;  // higher first
    return a.seq > b.seq;                                          // then FIFO
  }
};

struct domain_state {
  std::priority_queue<task, std::vector<task>, by_priority> queue;
};

caf::behavior domain_actor(stateful<domain_state>* self, const domain_context* ctx) {
  auto* dom = ctx->dom;
  auto drain = [self, ctx, dom] {
    auto& q = self->state.queue;
    if (!dom->available()) {  // a lost remote domain: the balancer places its queue elsewhere
      task_list back;
      while (!q.empty()) {
        back.push_back(std::move(const_cast<task&>(q.top())));
        q.pop();
        dom->pool.remove_queued(1);
      }
      if (!back.empty()) self->send(ctx->balancer, std::move(back));
      return;
    }
    while (!q.empty() && dom->pool.try_acquire()) {
      task t = std::move(const_cast<task&>(q.top()));
      q.pop();
      dom->pool.remove_queued(1);
      if (auto* dyn = t.run->dyn.get(); dyn && t.plan_version != dyn->version()) {
        // Re-planned while it waited here: follow the new plan.
        t.plan_version = dyn->version();
        auto to = dyn->plan()->assignments[t.node].domain;
        if (to != dom->index && (t.run->prog().eligible[t.node] >> to & 1)) {
          dom->pool.release();  // the slot goes with the task to its new domain
          t.domain = static_cast<std::uint32_t>(to);
          publish_placed(*t.run->prog().platform, now_ms(*ctx->clk), t, observe::placement::moved,
                         "re-planned from '" + dom->spec->name + "' while queued there");
          self->send((*ctx->domains)[to].actor, task_list{std::move(t)});
          continue;
        }
      }
      start_node(self, std::move(t), ctx->attempts);
    }
  };
  return {
      [self, dom, ctx, drain](task_list& tasks) {
        dom->pool.add_queued(static_cast<int>(tasks.size()));  // counted before anyone hears of them
        for (auto& t : tasks) {
          auto& rc = *t.run;
          if (rc.events.wants(observe::ev_queued))
            rc.events.publish(&observe::observer::on_node_queued,
                              observe::node_queued{rc.state->id(), rc.prog().def->nodes[t.node].node_id, t.node,
                                                   t.attempt, dom->spec->name, now_ms(*ctx->clk) - rc.spawn_ms});
          self->state.queue.push(std::move(t));
        }
        drain();
      },
      [drain](wake_atom) { drain(); },
  };
}

caf::actor spawn_domain_actor(caf::actor_system& sys, const domain_context* ctx) {
  return sys.spawn(domain_actor, ctx);
}

}  // namespace causality::actors
