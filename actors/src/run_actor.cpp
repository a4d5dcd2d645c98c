// The run actor: one run, applying the dataflow rules (dataflow_rules.hpp),
// retries, timeouts, the deadline and the metric batch.

#include "run_actor.hpp"

namespace causality::actors {

// ------------------------------------------------------------------ run actor


void flush_metrics(run_self* self) {
  auto& s = self->state;
  if (s.metrics.empty()) return;
  self->send(s.eng->monitor, s.rc->req.prog, std::move(s.metrics));
  s.metrics = metric_list{};
}

void end_run(run_self* self, run_status status, std::string error, std::string node) {
  auto& s = self->state;
  if (s.ended) return;
  s.ended = true;
  for (auto id : s.timers) s.eng->clk->cancel(id);
  flush_metrics(self);
  auto& prog = s.rc->prog();
  run_outcome o;
  o.status = status;
  o.error = std::move(error);
  o.failed_node = std::move(node);
  value::object outs;
  for (auto k : prog.sinks)
    if (s.rec.status[k] == node_status::succeeded) outs[prog.def->nodes[k].node_id] = s.rec.output[k];
  if (status == run_status::succeeded) {
    if (auto bad = dataflow::output_schema_violation(*prog.def, outs)) {
      o.status = run_status::failed;
      o.error = std::move(*bad);
    }
  }
  o.outputs = value(std::move(outs));
  if (!s.rc->req.keep_outputs) s.rec.output = std::vector<value>{};
  // Nodes still running (or waiting for a slot) when the run ended did not finish.
  if (status != run_status::succeeded)
    for (auto& st : s.rec.status)
      if (st == node_status::running) st = node_status::cancelled;
  double end_ms = now_ms(*s.eng->clk);
  if (s.rc->events.wants(observe::ev_ended))
    s.rc->events.publish(&observe::observer::on_run_ended,
                         observe::run_ended{s.rc->state->id(), prog.def->name, to_string(o.status), o.error,
                                            end_ms - s.rc->spawn_ms});
  s.rc->state->finish(std::move(o), std::move(s.rec), end_ms);
  self->quit();
}

void dispatch(run_self* self);

/// Settles edge e: fired or not; makes its target ready or skipped.
void resolve(run_self* self, std::uint32_t e, bool fired, value val, std::vector<std::uint32_t>& skips) {
  auto& s = self->state;
  auto w = s.rc->prog().edge_dst[e];
  switch (dataflow::resolve(s.rc->prog(), s.df, e, fired, std::move(val))) {
    case dataflow::target::ready: s.ready.emplace_back(w, 1); break;
    case dataflow::target::skipped: skips.push_back(w); break;
    case dataflow::target::waiting: break;
  }
}

/// Skips nodes and everything that then has no fired input.
void skip_all(run_self* self, std::vector<std::uint32_t>& skips) {
  auto& s = self->state;
  dataflow::skip_all(
      s.rc->prog(), s.df, skips,
      [&s](std::uint32_t v) {
        s.rec.status[v] = node_status::skipped;
        s.rc->state->n_skipped.fetch_add(1, std::memory_order_relaxed);
        ++s.settled;
      },
      [&s](std::uint32_t w) { s.ready.emplace_back(w, 1); });
}

void dispatch(run_self* self) {
  auto& s = self->state;
  if (s.ended || s.ready.empty()) return;
  auto window = s.eng->max_inflight;
  if (s.inflight >= window) return;
  task_list batch;
  batch.reserve(std::min(s.ready.size(), window - s.inflight));
  while (!s.ready.empty() && s.inflight < window) {
    auto [n, attempt] = s.ready.front();
    s.ready.pop_front();
    s.rec.attempts[n] = static_cast<std::uint8_t>(attempt);
    s.rec.status[n] = node_status::running;
    task t;
    t.run = s.rc;
    t.node = n;
    t.attempt = attempt;
    t.priority = s.rc->req.hint.priority;
    if (s.rc->dyn) t.plan_version = s.rc->dyn->version();
    t.input = dataflow::input_of(s.rc->prog(), s.df, n, s.rc->req.inputs);
    batch.push_back(std::move(t));
    ++s.inflight;
  }
  self->send(s.eng->balancer, std::move(batch));
}

/// Node n failed for good (`final`: failed or timed_out) with `msg`, its last
/// attempt's error: the run ends failed, or with continue_on_failure its
/// descendants are skipped and independent branches go on.
void node_failed(run_self* self, std::uint32_t n, const std::string& msg,
                 node_status final = node_status::failed) {
  auto& s = self->state;
  auto& prog = s.rc->prog();
  auto& id = prog.def->nodes[n].node_id;
  s.rec.status[n] = final;
  s.rec.errors[n].push_back(msg);
  s.rc->state->n_failed.fetch_add(1, std::memory_order_relaxed);
  ++s.settled;
  auto text = "node '" + id + "' failed after " + std::to_string(s.rec.attempts[n]) +
              (s.rec.attempts[n] == 1 ? " attempt: " : " attempts: ") + msg;
  if (!s.rc->req.continue_on_failure) return end_run(self, run_status::failed, text, id);
  if (s.first_error.empty()) {
    s.first_error = text;
    s.first_failed = id;
  }
  std::vector<std::uint32_t> skips;
  for (auto i = prog.succ_off[n]; i < prog.succ_off[n + 1]; ++i) {
    auto e = prog.succ[i];
    s.df.flags[prog.edge_dst[e]] |= dataflow::upstream_failed;  // descendants of a failure are skipped
    resolve(self, e, false, value{}, skips);
  }
  skip_all(self, skips);
}

void check_end(run_self* self) {
  auto& s = self->state;
  if (s.ended || s.settled < s.rc->prog().size()) return;
  if (!s.first_error.empty()) end_run(self, run_status::failed, s.first_error, s.first_failed);
  else end_run(self, run_status::succeeded, {}, {});
}

void on_done(run_self* self, completion& c) {
  auto& s = self->state;
  auto& prog = s.rc->prog();
  auto n = c.node;
  // Route and filter decisions first: user code may throw, failing the node.
  auto& out_edges = s.out_edges;
  try {
    dataflow::route(prog, n, c.out, out_edges);
  } catch (const std::exception& e) {
    std::string why = std::string("edge function threw: ") + e.what();
    if (s.rc->events.wants(observe::ev_failed)) {
      auto d = static_cast<std::size_t>(std::max<std::int16_t>(0, c.domain));
      s.rc->events.publish(&observe::observer::on_node_failed,
                           observe::node_failed{s.rc->state->id(), prog.def->nodes[n].node_id, n, c.attempt,
                                                prog.platform->domains[d].name, c.start_ms - s.rc->spawn_ms,
                                                c.finish_ms - s.rc->spawn_ms, why, true});
    }
    return node_failed(self, n, why);
  }
  if (s.rc->events.wants(observe::ev_finished)) publish_attempt(self, c);
  s.rec.status[n] = node_status::succeeded;
  for (auto i = prog.pred_off[n]; i < prog.pred_off[n + 1]; ++i) s.df.edge_val[prog.pred[i]] = value{};  // inputs consumed
  s.rc->state->n_done.fetch_add(1, std::memory_order_relaxed);
  ++s.settled;
  auto& skips = s.skips;
  skips.clear();
  std::size_t k = 0;
  for (auto i = prog.succ_off[n]; i < prog.succ_off[n + 1]; ++i, ++k)
    resolve(self, prog.succ[i], out_edges[k].first, std::move(out_edges[k].second), skips);
  for (auto i = prog.pred_off[n]; i < prog.pred_off[n + 1]; ++i) s.df.edge_val[prog.pred[i]] = value();
  // Sinks' outputs are the run's outputs: kept even without keep_outputs.
  if (s.rc->req.keep_outputs || prog.succ_off[n] == prog.succ_off[n + 1])
    s.rec.output[n] = std::move(c.out);
  if (!c.stderr_tail.empty()) s.rec.stderr_tail[n] = std::move(c.stderr_tail);
  skip_all(self, skips);
}

/// The node's timeout: its own, else the run's; none: no timeout.
std::optional<double> timeout_of(const run_core& rc, std::uint32_t n) {
  auto& prog = rc.prog();
  if (auto o = prog.options.find(n); o != prog.options.end() && o->second.timeout_ms) return o->second.timeout_ms;
  return rc.req.node_timeout_ms;
}

/// An attempt that ran for its whole timeout (its token was set when the
/// timer fired, so the body stopped: `exec` is killed, `work` returns) ended
/// timed_out, whatever it returned. Judged from the attempt's own start and
/// finish on the engine's clock: the timer's message may come after it.
void judge_timeout(const run_core& rc, completion& c) {
  if (c.kind != completion::ok && c.kind != completion::failed) return;
  auto t = timeout_of(rc, c.node);
  if (!t || c.finish_ms - c.start_ms < *t - 1e-6) return;
  char buf[64];
  std::snprintf(buf, sizeof buf, "timed out after %g ms", *t);
  c.kind = completion::timed_out;
  c.error = buf;
  c.out = value{};
}

void on_completion(run_self* self, completion& c) {
  auto& s = self->state;
  if (s.ended) return;
  auto n = c.node;
  if (s.rec.attempts[n] != c.attempt || s.rec.status[n] != node_status::running) return;  // stale
  --s.inflight;
  if (c.kind == completion::not_started) return;
  // run_state::cancel raises the flag (nodes stop at it and fail) before it
  // sends cancel_atom: a failure seen in between ends the run as that
  // message would, cancelled by the caller, not as the node's failure.
  if (c.kind != completion::ok && s.rc->state->cancel_flag.load())
    return end_run(self, run_status::cancelled, "cancelled by the caller", {});
  if (c.kind == completion::lost) {
    s.rec.errors[n].push_back(c.error.empty() ? "remote domain lost" : c.error);
    // Its remote domain died: run it again elsewhere (not a retry); with
    // re-planning on, the rest of the plan avoids the lost domain too.
    s.rec.status[n] = node_status::pending;
    if (auto* dyn = s.rc->dyn.get()) {
      dyn->reset(n);
      if (auto* rp = dyn->replanner(); rp && c.domain >= 0) {
        rp->domain_failed(static_cast<std::size_t>(c.domain));
        replan(self);
      }
    }
    std::string_view lost_on;
    if (c.domain >= 0) lost_on = s.rc->prog().platform->domains[static_cast<std::size_t>(c.domain)].name;
    s.rc->events.publish(&observe::observer::on_node_lost,
                         observe::node_lost{s.rc->state->id(), s.rc->prog().def->nodes[n].node_id, n, c.attempt,
                                            lost_on, now_ms(*s.eng->clk) - s.rc->spawn_ms});
    s.ready.emplace_back(n, c.attempt + 1);
    dispatch(self);
    return;
  }
  judge_timeout(*s.rc, c);
  s.rec.domain[n] = c.domain;
  s.rec.start_ms[n] = static_cast<float>(c.start_ms - s.rc->spawn_ms);
  s.rec.finish_ms[n] = static_cast<float>(c.finish_ms - s.rc->spawn_ms);
  auto exec = static_cast<float>(c.finish_ms - c.start_ms);
  s.metrics.push_back(metric{metric::started, c.domain, 0.f, n});
  s.metrics.push_back(metric{c.kind == completion::ok ? metric::finished : metric::failed, c.domain, exec, n});
  if (c.kind != completion::ok && s.rc->events.wants(observe::ev_failed)) publish_attempt(self, c);  // ok: after routing (on_done)
  bool replan_due = false;
  if (auto* dyn = s.rc->dyn.get()) {
    if (c.kind != completion::ok) dyn->reset(n);
    else if (auto* rp = dyn->replanner(); rp && c.domain >= 0)
      replan_due = rp->finished(n, static_cast<std::size_t>(c.domain),
                                (c.finish_ms - c.start_ms) / std::max(1e-9, s.eng->time_scale));
  }
  // Metrics arise only at completions: flush when the batch is full or the
  // last flush is metric_flush_ms old (by the engine's clock: the finish time).
  if (s.metrics.size() >= s.eng->metric_flush_batch || c.finish_ms - s.last_flush_ms >= s.eng->metric_flush_ms) {
    flush_metrics(self);
    s.last_flush_ms = c.finish_ms;
  }
  if (c.kind == completion::ok) {
    on_done(self, c);
  } else {
    auto& prog = s.rc->prog();
    auto policy = s.rc->req.retry;
    if (auto o = prog.options.find(n); o != prog.options.end() && o->second.retry) policy = *o->second.retry;
    if (c.attempt < policy.max_attempts) {
      std::uniform_real_distribution<double> u(0.0, 1.0);
      auto delay = backoff_ms(policy, c.attempt + 1, u(s.rng));
      if (s.rc->events.wants(observe::ev_retried))
        s.rc->events.publish(&observe::observer::on_node_retried,
                             observe::node_retried{s.rc->state->id(), prog.def->nodes[n].node_id, n, c.attempt + 1,
                                                   c.error, delay, now_ms(*s.eng->clk) - s.rc->spawn_ms});
      s.rec.status[n] = node_status::pending;
      s.rec.errors[n].push_back(c.error);
      caf::actor me = caf::actor_cast<caf::actor>(self);
      auto next = c.attempt + 1;
      s.timers.push_back(s.eng->clk->schedule_after(
          std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(delay)),
          [me, n, next] { caf::anon_send(me, retry_atom::value, n, next); }));
    } else {
      node_failed(self, n, c.error, c.kind == completion::timed_out ? node_status::timed_out : node_status::failed);
    }
  }
  if (s.ended) return;
  if (replan_due) replan(self);
  if (s.rc->state->on_progress) s.rc->state->on_progress(s.rc->state->current_progress());
  check_end(self);
  dispatch(self);
}

caf::behavior run_actor(run_self* self, core_ptr rc, const run_context* eng) {
  auto& s = self->state;
  s.rc = rc;
  s.eng = eng;
  rc->run_actor = caf::actor_cast<caf::actor>(self);
  auto& prog = rc->prog();
  auto n = prog.size();
  s.df.reset(prog);
  s.rec.output.resize(n);
  s.rec.start_ms.assign(n, 0.f);
  s.rec.finish_ms.assign(n, 0.f);
  s.rec.domain.assign(n, -1);
  s.rec.attempts.assign(n, 0);
  s.rec.status.assign(n, node_status::pending);
  s.rng.seed(eng->seed ^ (rc->state->id() * 0x9E3779B97F4A7C15ull));
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!s.df.remaining[i]) s.ready.emplace_back(i, 1);
  }
  if (rc->req.hint.max_latency_ms) {
    auto left = static_cast<double>(*rc->req.hint.max_latency_ms) - (now_ms(*eng->clk) - rc->spawn_ms);
    auto me = rc->run_actor;
    s.timers.push_back(eng->clk->schedule_after(
        std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(std::max(0.0, left))),
        [me] { caf::anon_send(me, deadline_atom::value); }));
  }
  auto me = rc->run_actor;
  rc->state->set_cancel_hook([me] { caf::anon_send(me, cancel_atom::value); });
  s.last_flush_ms = rc->spawn_ms;
  dispatch(self);
  if (n == 0) check_end(self);
  return {
      [self](completion& c) { on_completion(self, c); },
      [self](retry_atom, std::uint32_t node, std::uint32_t attempt) {
        auto& st = self->state;
        if (st.ended) return;
        st.ready.emplace_back(node, attempt);
        dispatch(self);
      },
      [self](cancel_atom) { end_run(self, run_status::cancelled, "cancelled by the caller", {}); },
      [self](deadline_atom) {
        auto& st = self->state;
        end_run(self, run_status::cancelled,
                "deadline exceeded: max_latency_ms = " + std::to_string(*st.rc->req.hint.max_latency_ms), {});
      },
  };
}

caf::actor spawn_run_actor(caf::actor_system& sys, core_ptr rc, const run_context* ctx) {
  return sys.spawn(run_actor, std::move(rc), ctx);
}

}  // namespace causality::actors
