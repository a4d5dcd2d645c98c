// The node actor: one attempt of one node (a local body, or a request to a
// remote domain server), then it ends.

#include "context.hpp"

namespace causality::actors {

namespace {
/// A remote attempt checks whether its run wants it stopped.
using poll_atom = caf::atom_constant<caf::atom("poll")>;
}  // namespace

// ------------------------------------------------------------------ node actor

namespace {
/// The attempt's timeout (the node's own, else the run's), started now: when
/// it fires, `flag` is raised (the node's cancel token; a remote attempt
/// passes it on to its server). The run actor judges the attempt timed out
/// from its start and finish (run_actor.cpp, judge_timeout).
struct node_timer {
  std::shared_ptr<std::atomic<bool>> flag;
  clock::timer_id id = 0;
};
node_timer start_timeout(const task& t, const attempt_context* eng) {
  auto& rc = *t.run;
  std::optional<double> timeout = rc.req.node_timeout_ms;
  auto& prog = rc.prog();
  if (auto o = prog.options.find(t.node); o != prog.options.end() && o->second.timeout_ms)
    timeout = o->second.timeout_ms;
  node_timer nt;
  if (!timeout) return nt;
  nt.flag = std::make_shared<std::atomic<bool>>(false);
  nt.id = eng->clk->schedule_after(ms(*timeout), [flag = nt.flag] { flag->store(true); });
  return nt;
}
}  // namespace

/// Runs one attempt of one node on a slot already taken, then ends. The
/// body runs on a CAF worker; the engine sizes the scheduler so that slots
/// busy with long bodies leave threads for every other actor.
void run_attempt(caf::event_based_actor* self, task& t, const attempt_context* eng) {
  auto& rc = *t.run;
  auto& st = *rc.state;
  auto& dom = (*eng->domains)[t.domain];
  completion c;
  c.node = t.node;
  c.attempt = t.attempt;
  c.domain = static_cast<std::int16_t>(t.domain);
  if (st.cancel_flag.load(std::memory_order_relaxed)) {
    eng->domains->release(dom);
    c.kind = completion::not_started;
    self->send(rc.run_actor, std::move(c));
    return;
  }
  st.n_running.fetch_add(1, std::memory_order_relaxed);
  c.start_ms = now_ms(*eng->clk);
  publish_started(rc, t, *dom.spec, c.start_ms);
  if (rc.dyn) rc.dyn->started(t.node, t.domain, c.start_ms - rc.spawn_ms);
  auto& prog = rc.prog();
  auto timer = start_timeout(t, eng);
  node_context ctx{prog.def->nodes[t.node].node_id, t.node, t.attempt, prog.def->nodes[t.node],
                   *dom.spec, eng->time_scale, cancel_token(&st.cancel_flag, timer.flag.get()),
                   *st.wstate};
  ctx.stderr_out = &c.stderr_tail;
  try {
    if (!prog.body[t.node]) throw std::runtime_error("node type '" + prog.def->nodes[t.node].node_type +
                                                     "' is not registered in this runtime");
    c.out = (*prog.body[t.node])(t.input, ctx);
    c.kind = completion::ok;
  } catch (const std::exception& e) {
    c.kind = completion::failed;
    c.error = e.what();
    c.stderr_tail.clear();  // a failure's stderr is in its error
  } catch (...) {
    c.kind = completion::failed;
    c.error = "unknown exception";
  }
  if (timer.id) eng->clk->cancel(timer.id);
  c.finish_ms = now_ms(*eng->clk);
  st.n_running.fetch_sub(1, std::memory_order_relaxed);
  eng->domains->release(dom);
  self->send(rc.run_actor, std::move(c));
}

/// Runs one attempt on a remote domain server: the node actor waits for the
/// reply; if the server goes down first the attempt is `lost` and the run
/// actor runs the node again elsewhere.
caf::behavior remote_attempt(caf::event_based_actor* self, task t, const attempt_context* eng) {
  auto tp = std::make_shared<task>(std::move(t));
  auto cp = std::make_shared<completion>();
  auto& rc = *tp->run;
  auto& dom = (*eng->domains)[tp->domain];
  cp->node = tp->node;
  cp->attempt = tp->attempt;
  cp->domain = static_cast<std::int16_t>(tp->domain);
  if (rc.state->cancel_flag.load(std::memory_order_relaxed)) {
    eng->domains->release(dom);
    cp->kind = completion::not_started;
    self->send(rc.run_actor, std::move(*cp));
    self->quit();
    return {};
  }
  rc.state->n_running.fetch_add(1, std::memory_order_relaxed);
  cp->start_ms = now_ms(*eng->clk);
  publish_started(rc, *tp, *dom.spec, cp->start_ms);
  if (rc.dyn) rc.dyn->started(tp->node, tp->domain, cp->start_ms - rc.spawn_ms);
  auto done = std::make_shared<bool>(false);
  auto poll = std::make_shared<clock::timer_id>(0);
  auto timer = std::make_shared<node_timer>(start_timeout(*tp, eng));
  auto finish = [self, eng, tp, cp, done, poll, timer](completion::kind_t k) {
    if (*done) return;  // the first of reply, loss, down message counts
    *done = true;
    if (*poll) eng->clk->cancel(*poll);
    if (timer->id) eng->clk->cancel(timer->id);
    auto& d = (*eng->domains)[tp->domain];
    cp->kind = k;
    cp->finish_ms = now_ms(*eng->clk);
    tp->run->state->n_running.fetch_sub(1, std::memory_order_relaxed);
    eng->domains->release(d);
    self->send(tp->run->run_actor, std::move(*cp));
    self->quit();
  };
  const auto& node = rc.prog().def->nodes[tp->node];
  remote::request req;
  req.token = eng->token;
  req.id = eng->next_remote_id->fetch_add(1, std::memory_order_relaxed);
  req.domain = dom.spec->name;
  req.node_id = node.node_id;
  req.node_type = node.node_type;
  req.cpu_time_ms = strategies::exec_ms(node, *dom.spec) * dom.spec->speed;
  req.time_scale = eng->time_scale;
  auto in = remote::to_json(tp->input);
  if (!in) {
    cp->error = in.err().message();
    finish(completion::failed);
    return {};
  }
  req.input_json = std::move(*in);
  if (node.exec) {
    req.exec_argv = node.exec->argv;
    req.exec_env = node.exec->env;
    req.exec_cwd = node.exec->cwd;
  }
  // Lost when the connection closes (server down) or when the watcher
  // declares the domain lost (its guard dies): a late reply is not read.
  auto link = dom.link();
  if (!link.server || !link.guard) {
    cp->error = "remote domain lost";
    finish(completion::lost);
    return {};
  }
  self->monitor(link.server);
  self->monitor(link.guard);
  self->set_down_handler([finish, cp, &dom, guard = link.guard](caf::down_msg&) {
    // The watcher (liveness' one writer) judges: it declares the domain lost
    // if this admission is still current.
    if (dom.watcher) caf::anon_send(dom.watcher, suspect_atom::value, guard);
    cp->error = "remote domain lost";
    finish(completion::lost);
  });
  // Cancellation (the run cancelled, failed, past its deadline or a node
  // timeout) reaches the server: checked every heartbeat_ms on the clock.
  auto schedule = std::make_shared<std::function<void()>>();
  *schedule = [self, eng, poll] {
    caf::weak_actor_ptr me{self->ctrl()};
    *poll = eng->clk->schedule_after(
        ms(eng->heartbeat_ms),
        [me] {
          if (auto p = me.lock()) caf::anon_send(caf::actor_cast<caf::actor>(p), poll_atom::value);
        });
  };
  (*schedule)();
  remote::cancel stop{eng->token, req.id, req.domain};
  self->request(link.server, caf::infinite, std::move(req))
      .then(
          [finish, cp](remote::reply& r) {
            if (r.ok) {
              auto v = remote::from_json(r.output_json);
              if (v) cp->out = std::move(*v);
              else cp->error = "remote output: " + v.err().message();
              if (v) cp->stderr_tail = std::move(r.stderr_tail);
              finish(v ? completion::ok : completion::failed);
            } else {
              cp->error = r.error;
              finish(completion::failed);
            }
          },
          [finish, cp](caf::error&) {
            cp->error = "remote domain lost";
            finish(completion::lost);
          });
  return {
      [self, tp, done, schedule, stop, timer, srv = link.server](poll_atom) {
        if (*done) return;
        if (tp->run->state->cancel_flag.load(std::memory_order_relaxed) || (timer->flag && timer->flag->load()))
          self->send(srv, stop);  // once
        else (*schedule)();
      },
  };  // stays until the reply or the down message
}

/// A class rather than a function behaviour: CAF spawns it with the task
/// moved into the actor itself, without the std::function and the
/// shared_ptr<tuple<task, context>> a function-based spawn allocates per node.
class node_actor : public actor_base {
 public:
  node_actor(caf::actor_config& cfg, task&& t, const attempt_context* eng)
      : actor_base(cfg), t_(std::move(t)), eng_(eng) {}

  caf::behavior make_behavior() override {
    if ((*eng_->domains)[t_.domain].spec->endpoint) return remote_attempt(this, std::move(t_), eng_);
    run_attempt(this, t_, eng_);
    t_.run.reset();  // the run's state is not kept alive by a finished node
    quit();
    return {};
  }

 private:
  task t_;
  const attempt_context* eng_;
};

void start_node(caf::local_actor* self, task&& t, const attempt_context* eng) {
  self->spawn<node_actor, caf::hidden>(std::move(t), eng);
}

}  // namespace causality::actors
