// The run actor's events and re-planning (the state: run_actor.hpp).

#include "run_actor.hpp"

namespace causality::actors {

void publish_attempt(run_self* self, const completion& c) {
  auto& s = self->state;
  auto& prog = s.rc->prog();
  auto n = c.node;
  // A completion without a domain (no available domain could take it) never ran.
  const model::domain_spec* dom =
      c.domain >= 0 ? &prog.platform->domains[static_cast<std::size_t>(c.domain)] : nullptr;
  std::string_view where = dom ? std::string_view(dom->name) : std::string_view();
  double start = dom ? c.start_ms - s.rc->spawn_ms : 0.0, finish = dom ? c.finish_ms - s.rc->spawn_ms : 0.0;
  if (c.kind == completion::ok) {
    s.rc->events.publish(&observe::observer::on_node_finished,
                         observe::node_finished{s.rc->state->id(), prog.def->nodes[n].node_id, n, c.attempt, where,
                                                start, finish, finish - start,
                                                dom ? strategies::node_cost(prog.def->nodes[n], *dom) : 0.0,
                                                observe::approx_json_bytes(c.out)});
  } else {
    auto policy = s.rc->req.retry;
    if (auto o = prog.options.find(n); o != prog.options.end() && o->second.retry) policy = *o->second.retry;
    s.rc->events.publish(&observe::observer::on_node_failed,
                         observe::node_failed{s.rc->state->id(), prog.def->nodes[n].node_id, n, c.attempt, where,
                                              start, finish, c.error, c.attempt >= policy.max_attempts});
  }
}

/// A domain runs much slower (or faster) than the plan assumed: plan again
/// what has not started; nodes already queued follow the new plan when their
/// domain dequeues them, nodes dispatched later go by it directly.
void replan(run_self* self) {
  auto& s = self->state;
  auto& dyn = *s.rc->dyn;
  auto n = s.rc->prog().size();
  std::vector<bool> done(n), dispatched(n);
  for (std::size_t i = 0; i < n; ++i) {
    done[i] = s.rec.status[i] == node_status::succeeded;
    dispatched[i] = s.rec.status[i] == node_status::running;
  }
  double scale = std::max(1e-9, s.eng->time_scale);
  auto nodes = dyn.progress(done, dispatched, s.rec.start_ms, s.rec.finish_ms, s.rec.domain, scale);
  auto current = dyn.plan();
  // The strategy in force now: an adaptive switch since the plan was made
  // applies to this re-plan; otherwise the plan's own.
  std::optional<std::string> strategy;
  if (s.eng->adaptive) strategy = s.eng->board->override_strategy();
  if (!strategy && current && !current->strategy.empty()) strategy = current->strategy;
  auto r = dyn.replanner()->replan(nodes, (now_ms(*s.eng->clk) - s.rc->spawn_ms) / scale, s.rc->req.hint,
                                   s.rc->req.strategies, strategy);
  if (!r) {  // no feasible re-plan: keep the plan in force, say why
    observe::logger("planner")->warn("run {}: re-plan failed ({}): {}", s.rc->state->id(),
                                     dyn.replanner()->due().value_or("slowdown"), r.err().message());
    return;
  }
  auto& doms = s.rc->prog().platform->domains;
  std::vector<observe::domain_slowdown> slow;
  for (std::size_t d = 0; d < r->inputs.slowdown.size() && d < doms.size(); ++d)
    slow.push_back({doms[d].name, r->inputs.slowdown[d]});
  std::size_t moved = 0;
  for (auto v : r->inputs.replanned)
    if (current && v < current->assignments.size() && v < r->plan.assignments.size())
      moved += current->assignments[v].domain != r->plan.assignments[v].domain;
  if (s.rc->events.wants(observe::ev_replanned))
    s.rc->events.publish(&observe::observer::on_replanned,
                         observe::replanned{s.rc->state->id(), r->inputs.replanned.size(), moved, r->inputs.reason,
                                            std::move(slow), current ? current->makespan_ms : 0.0,
                                            r->plan.makespan_ms, now_ms(*s.eng->clk) - s.rc->spawn_ms});
  auto p = std::make_shared<const strategies::plan>(std::move(r->plan));
  dyn.set_plan(p);
  s.rc->state->set_plan(p);
  s.eng->board->count_replan();
}

}  // namespace causality::actors
