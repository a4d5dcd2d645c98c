// The CAF actors of the runtime, in one translation unit (a CAF TU is slow
// to compile). Hot path per node: run actor -> balancer (batched) -> node
// actor spawned on a free slot (or queued in the domain actor) -> run actor.

#include "causality/actors/engine.hpp"

#include <algorithm>
#include <deque>
#include <queue>
#include <random>
#include <thread>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "causality/actors/remote.hpp"
#include "causality/observe/log.hpp"
#include "causality/observe/runtime_metrics.hpp"
#include "causality/strategies/cost.hpp"

namespace causality::actors::detail {

struct run_core;
using core_ptr = std::shared_ptr<run_core>;

/// Slot accounting shared by the balancer, the domain actor and node actors:
/// the fast path takes a free slot without a message; the domain actor owns
/// the queue when slots are contended.
struct domain_rt {
  std::size_t index = 0;
  const model::domain_spec* spec = nullptr;
  int slots = 1;
  std::atomic<int> running{0};
  std::atomic<int> queued{0};
  caf::actor actor;
  caf::actor remote;                 ///< the domain server's actor (endpoint set)
  std::atomic<bool> available{true};  ///< false once a remote domain is lost

  bool try_acquire() {
    int r = running.load();
    while (r < slots)
      if (running.compare_exchange_weak(r, r + 1)) return true;
    return false;
  }
};

/// What every actor of one run shares.
struct run_core {
  std::shared_ptr<run_state> state;
  std::shared_ptr<const program> prog;
  std::shared_ptr<const strategies::plan> plan;
  std::optional<strategies::plan> given_plan;
  strategies::strategy_registry strategies;
  model::initiation_hint hint;
  value inputs;
  retry_policy retry;
  std::optional<double> node_timeout_ms;
  bool continue_on_failure = false;
  bool keep_outputs = true;
  double spawn_ms = 0;
  caf::actor run_actor;
  std::unique_ptr<run_dynamic> dyn;  ///< re-planning on: the plan in force and node starts
};

/// One node attempt on its way to a slot.
struct task {
  core_ptr run;
  std::uint32_t node = 0;
  std::uint32_t attempt = 1;
  std::uint32_t domain = 0;
  std::uint32_t priority = 0;
  std::uint64_t seq = 0;
  std::uint32_t plan_version = 0;  ///< of run_dynamic when dispatched
  value input;
};

/// Result of one attempt, sent by the node actor to the run actor.
struct completion {
  enum kind_t : std::uint8_t { ok, failed, not_started, lost } kind = ok;  // lost: its remote domain died
  std::uint32_t node = 0, attempt = 0;
  std::int16_t domain = -1;
  double start_ms = 0, finish_ms = 0;
  value out;
  std::string error;
};

/// One metric for the monitor actor.
struct metric {
  node_event::kind_t kind;
  std::int16_t domain;
  float exec_ms;
  std::uint32_t node = 0;
};

using task_list = std::vector<task>;
using metric_list = std::vector<metric>;
using snapshot_list = std::vector<domain_snapshot>;
using program_ptr = std::shared_ptr<const program>;

}  // namespace causality::actors::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::core_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::task_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::completion)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::metric_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::snapshot_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::program_ptr)

namespace causality::actors {

using namespace detail;

using wake_atom = caf::atom_constant<caf::atom("wake")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using timeout_atom = caf::atom_constant<caf::atom("timeout")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using snap_atom = caf::atom_constant<caf::atom("snap")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;

struct engine::impl {
  engine_config cfg;
  unsigned threads = 0;
  caf::actor_system_config sys_cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::vector<std::unique_ptr<domain_rt>> domains;
  caf::actor planner, balancer, monitor;
  std::atomic<std::uint64_t> next_run{1};
  std::atomic<std::uint64_t> next_seq{0};
  std::mutex runs_mx;
  std::vector<std::weak_ptr<run_state>> runs;
  dynamic_board board;                    ///< what the monitor publishes
  std::string token;                      ///< presented to remote domains
  std::vector<caf::actor> watchers;       ///< one per remote domain: marks it lost on down
  std::unique_ptr<dynamic_monitor> dyn;   ///< owned by the monitor actor once running

  double now_ms() const { return std::chrono::duration<double, std::milli>(cfg.clk->now()).count(); }
  void observe(node_event::kind_t k, const task& t, double at) const {
    if (cfg.observer)
      cfg.observer(node_event{k, t.run->state->id(), t.node, t.attempt, static_cast<int>(t.domain), at});
  }
  /// Bit d set: domain d may get nodes (remote domains drop out when lost).
  std::uint64_t live_mask() const {
    std::uint64_t m = 0;
    for (std::size_t d = 0; d < domains.size() && d < 64; ++d)
      if (domains[d]->available.load(std::memory_order_relaxed)) m |= std::uint64_t{1} << d;
    return m;
  }
  void release(domain_rt& d) {
    d.running.fetch_sub(1);
    // Pairs with the domain actor's queued++ then try_acquire: one side sees the other.
    if (d.queued.load() > 0) caf::anon_send(d.actor, wake_atom::value);
  }
};

namespace {

using impl = engine::impl;

// ------------------------------------------------------------------ node actor

/// Runs one attempt of one node on a slot already taken, then ends. The
/// body runs on a CAF worker; the engine sizes the scheduler so that slots
/// busy with long bodies leave threads for every other actor.
void run_attempt(caf::event_based_actor* self, task& t, impl* eng) {
  auto& rc = *t.run;
  auto& st = *rc.state;
  auto& dom = *eng->domains[t.domain];
  completion c;
  c.node = t.node;
  c.attempt = t.attempt;
  c.domain = static_cast<std::int16_t>(t.domain);
  if (st.cancel_flag.load(std::memory_order_relaxed)) {
    eng->release(dom);
    c.kind = completion::not_started;
    self->send(rc.run_actor, std::move(c));
    return;
  }
  st.n_running.fetch_add(1, std::memory_order_relaxed);
  c.start_ms = eng->now_ms();
  eng->observe(node_event::started, t, c.start_ms);
  if (rc.dyn) rc.dyn->started(t.node, t.domain, c.start_ms - rc.spawn_ms);
  auto& prog = *rc.prog;
  std::shared_ptr<std::atomic<bool>> node_flag;
  clock::timer_id timer = 0;
  std::optional<double> timeout = rc.node_timeout_ms;
  if (auto o = prog.options.find(t.node); o != prog.options.end() && o->second.timeout_ms)
    timeout = o->second.timeout_ms;
  if (timeout) {
    node_flag = std::make_shared<std::atomic<bool>>(false);
    auto ra = rc.run_actor;
    auto n = t.node, a = t.attempt;
    timer = eng->cfg.clk->schedule_after(
        std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(*timeout)),
        [node_flag, ra, n, a] {
          node_flag->store(true);
          caf::anon_send(ra, timeout_atom::value, n, a);
        });
  }
  node_context ctx{prog.def->nodes[t.node].node_id, t.node, t.attempt, prog.def->nodes[t.node],
                   *dom.spec, eng->cfg.time_scale, cancel_token(&st.cancel_flag, node_flag.get()),
                   *st.wstate};
  try {
    c.out = (*prog.body[t.node])(t.input, ctx);
    c.kind = completion::ok;
  } catch (const std::exception& e) {
    c.kind = completion::failed;
    c.error = e.what();
  } catch (...) {
    c.kind = completion::failed;
    c.error = "unknown exception";
  }
  if (timer) eng->cfg.clk->cancel(timer);
  c.finish_ms = eng->now_ms();
  st.n_running.fetch_sub(1, std::memory_order_relaxed);
  eng->release(dom);
  eng->observe(c.kind == completion::ok ? node_event::finished : node_event::failed, t, c.finish_ms);
  self->send(rc.run_actor, std::move(c));
}

/// Runs one attempt on a remote domain server: the node actor waits for the
/// reply; if the server goes down first the attempt is `lost` and the run
/// actor runs the node again elsewhere.
caf::behavior remote_attempt(caf::event_based_actor* self, task t, impl* eng) {
  auto tp = std::make_shared<task>(std::move(t));
  auto cp = std::make_shared<completion>();
  auto& rc = *tp->run;
  auto& dom = *eng->domains[tp->domain];
  cp->node = tp->node;
  cp->attempt = tp->attempt;
  cp->domain = static_cast<std::int16_t>(tp->domain);
  if (rc.state->cancel_flag.load(std::memory_order_relaxed)) {
    eng->release(dom);
    cp->kind = completion::not_started;
    self->send(rc.run_actor, std::move(*cp));
    self->quit();
    return {};
  }
  rc.state->n_running.fetch_add(1, std::memory_order_relaxed);
  cp->start_ms = eng->now_ms();
  eng->observe(node_event::started, *tp, cp->start_ms);
  if (rc.dyn) rc.dyn->started(tp->node, tp->domain, cp->start_ms - rc.spawn_ms);
  auto finish = [self, eng, tp, cp](completion::kind_t k) {
    auto& d = *eng->domains[tp->domain];
    if (k == completion::lost) d.available.store(false);  // never send it more work
    cp->kind = k;
    cp->finish_ms = eng->now_ms();
    tp->run->state->n_running.fetch_sub(1, std::memory_order_relaxed);
    eng->release(d);
    if (k != completion::lost)
      eng->observe(k == completion::ok ? node_event::finished : node_event::failed, *tp, cp->finish_ms);
    self->send(tp->run->run_actor, std::move(*cp));
    self->quit();
  };
  const auto& node = rc.prog->def->nodes[tp->node];
  remote::request req;
  req.token = eng->token;
  req.id = tp->node;
  req.domain = dom.spec->name;
  req.node_id = node.node_id;
  req.node_type = node.node_type;
  req.cpu_time_ms = strategies::exec_ms(node, *dom.spec) * dom.spec->speed;
  req.time_scale = eng->cfg.time_scale;
  auto in = remote::to_json(tp->input);
  if (!in) {
    cp->error = in.err().message();
    finish(completion::failed);
    return {};
  }
  req.input_json = std::move(*in);
  self->monitor(dom.remote);
  self->set_down_handler([finish, cp](caf::down_msg&) {
    cp->error = "remote domain lost";
    finish(completion::lost);
  });
  self->request(dom.remote, caf::infinite, std::move(req))
      .then(
          [finish, cp](remote::reply& r) {
            if (r.ok) {
              auto v = remote::from_json(r.output_json);
              if (v) cp->out = std::move(*v);
              else cp->error = "remote output: " + v.err().message();
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
  return {[](wake_atom) {}};  // stays until the reply or the down message
}

caf::behavior node_actor(caf::event_based_actor* self, task t, impl* eng) {
  if (eng->domains[t.domain]->remote) return remote_attempt(self, std::move(t), eng);
  run_attempt(self, t, eng);
  self->quit();
  return {};
}

void start_node(caf::local_actor* self, task&& t, impl* eng) {
  self->spawn<caf::hidden>(node_actor, std::move(t), eng);
}

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

caf::behavior domain_actor(caf::stateful_actor<domain_state>* self, domain_rt* dom, impl* eng) {
  auto drain = [self, dom, eng] {
    auto& q = self->state.queue;
    if (!dom->available.load()) {  // a lost remote domain: the balancer places its queue elsewhere
      task_list back;
      while (!q.empty()) {
        back.push_back(std::move(const_cast<task&>(q.top())));
        q.pop();
        dom->queued.fetch_sub(1);
      }
      if (!back.empty()) self->send(eng->balancer, std::move(back));
      return;
    }
    while (!q.empty() && dom->try_acquire()) {
      task t = std::move(const_cast<task&>(q.top()));
      q.pop();
      dom->queued.fetch_sub(1);
      if (auto* dyn = t.run->dyn.get(); dyn && t.plan_version != dyn->version()) {
        // Re-planned while it waited here: follow the new plan.
        t.plan_version = dyn->version();
        auto to = dyn->plan()->assignments[t.node].domain;
        if (to != dom->index && (t.run->prog->eligible[t.node] >> to & 1)) {
          dom->running.fetch_sub(1);
          t.domain = static_cast<std::uint32_t>(to);
          self->send(eng->domains[to]->actor, task_list{std::move(t)});
          continue;
        }
      }
      start_node(self, std::move(t), eng);
    }
  };
  return {
      [self, dom, eng, drain](task_list& tasks) {
        for (auto& t : tasks) {
          eng->observe(node_event::queued, t, eng->now_ms());
          self->state.queue.push(std::move(t));
        }
        dom->queued.fetch_add(static_cast<int>(tasks.size()));
        drain();
      },
      [drain](wake_atom) { drain(); },
  };
}

// ------------------------------------------------------------- balancer actor

struct balancer_state {
  std::vector<domain_load> scratch;
  std::vector<task_list> to_domain;
  /// Arrivals of nodes that can run on one domain only, kept when the policy uses_forecast.
  std::optional<strategies::demand_forecast> forecast;
};

caf::behavior balancer_actor(caf::stateful_actor<balancer_state>* self, impl* eng) {
  self->state.to_domain.resize(eng->domains.size());
  if (eng->cfg.balancer.uses_forecast)
    self->state.forecast.emplace(eng->domains.size(), eng->cfg.dynamic.forecast, eng->now_ms());
  return {
      [self, eng](task_list& tasks) {
        auto& s = self->state;
        for (auto& t : tasks) {
          auto& rc = *t.run;
          auto mask = rc.prog->eligible[t.node] & eng->live_mask();
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
            if (s.forecast) s.forecast->record_arrival(chosen, eng->now_ms());
          } else {
            s.scratch.clear();
            // The run's weights and the node's cost per domain let plan-first
            // weigh time gained against cost added (balancing.hpp).
            double lw = 1.0, cw = 0.0, planned_cost = 0.0;
            if (plan) {
              auto st = rc.strategies.find(plan->strategy);
              if (!st) st = rc.strategies.find(rc.hint.preferred_strategy_id);
              if (st) lw = st->latency_weight, cw = st->cost_weight;
            }
            const auto& node_spec = rc.prog->def->nodes[t.node];
            if (planned < rc.prog->platform->domains.size())
              planned_cost = strategies::node_cost(node_spec, rc.prog->platform->domains[planned]);
            for (std::size_t d = 0; d < eng->domains.size(); ++d) {
              if (!(mask >> d & 1)) continue;
              auto& dr = *eng->domains[d];
              s.scratch.push_back(domain_load{d, dr.slots, dr.running.load(std::memory_order_relaxed),
                                              dr.queued.load(std::memory_order_relaxed),
                                              dr.spec->speed, d == planned,
                                              s.forecast ? s.forecast->expected_arrivals(
                                                               d, eng->cfg.dynamic.forecast_horizon_ms)
                                                         : 0.0});
              auto& dl = s.scratch.back();
              dl.latency_weight = lw;
              dl.cost_weight = cw;
              if (planned_cost > 0)
                dl.relative_cost =
                    strategies::node_cost(node_spec, rc.prog->platform->domains[d]) / planned_cost;
            }
            auto pick = eng->cfg.balancer.choose(s.scratch);
            chosen = s.scratch[std::min(pick, s.scratch.size() - 1)].domain;
          }
          t.domain = static_cast<std::uint32_t>(chosen);
          auto& dr = *eng->domains[chosen];
          if (dr.queued.load() == 0 && dr.try_acquire()) {
            start_node(self, std::move(t), eng);
          } else {
            t.seq = eng->next_seq.fetch_add(1, std::memory_order_relaxed);
            s.to_domain[chosen].push_back(std::move(t));
          }
        }
        for (std::size_t d = 0; d < s.to_domain.size(); ++d)
          if (!s.to_domain[d].empty()) {
            self->send(eng->domains[d]->actor, std::move(s.to_domain[d]));
            s.to_domain[d] = task_list{};
          }
      },
  };
}

// -------------------------------------------------------------- monitor actor

struct monitor_state {
  std::vector<domain_snapshot> acc;
  std::vector<observe::domain_metrics*> series;  ///< empty without a metrics sink
};

caf::behavior monitor_actor(caf::stateful_actor<monitor_state>* self, impl* eng) {
  for (auto& d : eng->domains) {
    domain_snapshot s;
    s.name = d->spec->name;
    s.kind = d->spec->kind;
    s.slots = d->slots;
    self->state.acc.push_back(s);
    if (eng->cfg.metrics) self->state.series.push_back(&eng->cfg.metrics->domain(d->spec->name));
  }
  // The tick is a CAF delayed message (it dies with the actor); decisions
  // use the engine's clock for their times.
  auto period = std::chrono::microseconds(
      static_cast<std::int64_t>(std::max(1.0, eng->cfg.dynamic.tick_ms) * 1000));
  if (eng->dyn) self->delayed_send(self, period, tick_atom::value);
  return {
      [self, eng](const program_ptr& prog, const metric_list& ms) {
        auto& series = self->state.series;
        double now = eng->now_ms();
        double scale = eng->cfg.time_scale > 0 ? eng->cfg.time_scale : 1.0;
        for (auto& m : ms) {
          if (m.domain < 0 || static_cast<std::size_t>(m.domain) >= self->state.acc.size()) continue;
          auto& a = self->state.acc[m.domain];
          auto* out = series.empty() ? nullptr : series[m.domain];
          switch (m.kind) {
            case node_event::started:
              ++a.started;  // the started series is fed live by the runtime's observer
              break;
            case node_event::finished:
              ++a.finished;
              a.busy_ms += m.exec_ms;
              if (out) out->node_finished(m.exec_ms);
              // Effect cost of the node where it actually ran (FORMATS.md model).
              if (out && prog && m.node < prog->def->nodes.size() &&
                  static_cast<std::size_t>(m.domain) < prog->platform->domains.size())
                out->cost_accrued(strategies::node_cost(prog->def->nodes[m.node],
                                                        prog->platform->domains[m.domain]));
              break;
            case node_event::failed:
              ++a.failed;
              a.busy_ms += m.exec_ms;
              if (out) out->node_failed();
              break;
            default: break;
          }
          if (!eng->dyn || !prog || m.node >= prog->def->nodes.size()) continue;
          if (m.kind == node_event::finished) {
            const auto& node = prog->def->nodes[m.node];
            const auto& dom = *eng->domains[m.domain]->spec;
            eng->dyn->finished(node.node_type, m.domain, now, m.exec_ms / scale,
                               strategies::exec_ms(node, dom), strategies::node_cost(node, dom));
          } else if (m.kind == node_event::failed) {
            eng->dyn->failed(m.domain, now);
          }
        }
        for (std::size_t d = 0; d < series.size(); ++d) {
          auto& dr = *eng->domains[d];
          series[d]->set_queue_depth(dr.queued.load());
          series[d]->set_utilisation(static_cast<double>(dr.running.load()) / dr.slots);
        }
      },
      [self, eng, period](tick_atom) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> levels;
        for (auto& d : eng->domains)
          levels.emplace_back(static_cast<std::uint32_t>(std::max(0, d->running.load())),
                              static_cast<std::uint32_t>(std::max(0, d->queued.load())));
        if (auto sw = eng->dyn->tick(levels, eng->now_ms(), eng->board)) {
          if (eng->cfg.metrics) eng->cfg.metrics->strategy_switched();
          observe::logger("monitor")->info("strategy switch at {:.0f} ms: {} -> {} ({})", sw->time_ms,
                                           sw->from, sw->to, sw->reason);
        }
        self->delayed_send(self, period, tick_atom::value);
      },
      [self, eng](snap_atom) {
        auto out = self->state.acc;
        for (std::size_t d = 0; d < out.size(); ++d) {
          auto n = out[d].finished + out[d].failed;
          out[d].mean_latency_ms = n ? out[d].busy_ms / static_cast<double>(n) : 0.0;
          out[d].running = eng->domains[d]->running.load();
          out[d].queued = eng->domains[d]->queued.load();
        }
        return out;
      },
  };
}

// ------------------------------------------------------------------ run actor

struct run_actor_state {
  core_ptr rc;
  impl* eng = nullptr;
  std::vector<std::uint32_t> remaining;  ///< unresolved in-edges per node
  std::vector<std::uint8_t> flags;       ///< bit 0: an input fired, bit 1: upstream failed
  std::vector<value> edge_val;           ///< value carried by a fired edge until consumed
  std::vector<std::uint8_t> edge_fired;
  std::deque<std::pair<std::uint32_t, std::uint32_t>> ready;  ///< node, attempt
  std::size_t inflight = 0, settled = 0;
  node_records rec;
  metric_list metrics;
  std::vector<clock::timer_id> timers;
  std::vector<std::pair<bool, value>> out_edges;  ///< reused per completion
  std::vector<std::uint32_t> skips;               ///< reused per completion
  std::mt19937_64 rng;
  std::string first_error, first_failed;
  bool ended = false;
};

using run_self = caf::stateful_actor<run_actor_state>;

void flush_metrics(run_self* self) {
  auto& s = self->state;
  if (s.metrics.empty()) return;
  self->send(s.eng->monitor, s.rc->prog, std::move(s.metrics));
  s.metrics = metric_list{};
}

void end_run(run_self* self, run_status status, std::string error, std::string node) {
  auto& s = self->state;
  if (s.ended) return;
  s.ended = true;
  for (auto id : s.timers) s.eng->cfg.clk->cancel(id);
  flush_metrics(self);
  auto& prog = *s.rc->prog;
  run_outcome o;
  o.status = status;
  o.error = std::move(error);
  o.failed_node = std::move(node);
  value::object outs;
  for (auto k : prog.sinks)
    if (s.rec.status[k] == node_status::done) outs[prog.def->nodes[k].node_id] = s.rec.output[k];
  if (status == run_status::succeeded && !prog.def->output_schema.empty()) {
    // The record checked: the single sink's object, else the sink map.
    value::object rec = outs;
    if (outs.size() == 1 && outs.begin()->second.is_object()) rec = outs.begin()->second.as_object();
    for (auto& [field, type] : prog.def->output_schema) {
      auto it = rec.find(field);
      if (it == rec.end() || !it->second.matches(type)) {
        o.status = run_status::failed;
        o.error = "output_schema: field '" + field + "' must be " + type + ", got " +
                  (it == rec.end() ? std::string("nothing") : std::string(it->second.type_name()));
        break;
      }
    }
  }
  o.outputs = value(std::move(outs));
  if (!s.rc->keep_outputs) s.rec.output = std::vector<value>{};
  s.rc->state->finish(std::move(o), std::move(s.rec), s.eng->now_ms());
  self->quit();
}

void dispatch(run_self* self);

/// Settles edge e: fired or not; makes its target ready or skipped.
void resolve(run_self* self, std::uint32_t e, bool fired, value val, std::vector<std::uint32_t>& skips) {
  auto& s = self->state;
  auto w = s.rc->prog->edge_dst[e];
  if (fired) {
    s.edge_val[e] = std::move(val);
    s.edge_fired[e] = 1;
    s.flags[w] |= 1;
  }
  if (--s.remaining[w] == 0) {
    if ((s.flags[w] & 2) || !(s.flags[w] & 1)) skips.push_back(w);
    else s.ready.emplace_back(w, 1);
  }
}

/// Skips nodes and everything that then has no fired input.
void skip_all(run_self* self, std::vector<std::uint32_t>& skips) {
  auto& s = self->state;
  auto& prog = *s.rc->prog;
  while (!skips.empty()) {
    auto v = skips.back();
    skips.pop_back();
    s.rec.status[v] = node_status::skipped;
    s.rc->state->n_skipped.fetch_add(1, std::memory_order_relaxed);
    ++s.settled;
    bool poisoned = s.flags[v] & 2;
    for (auto i = prog.succ_off[v]; i < prog.succ_off[v + 1]; ++i) {
      auto e = prog.succ[i];
      if (poisoned) s.flags[prog.edge_dst[e]] |= 2;
      resolve(self, e, false, value{}, skips);
    }
  }
}

value input_of(run_self* self, std::uint32_t n) {
  auto& s = self->state;
  auto& prog = *s.rc->prog;
  auto lo = prog.pred_off[n], hi = prog.pred_off[n + 1];
  if (lo == hi) return s.rc->inputs;
  // Copies (a value is one shared_ptr): a retried attempt needs the same
  // input again; on_done releases the edge values once the node succeeded.
  if (hi - lo == 1) return s.edge_val[prog.pred[lo]];
  value::object in;
  for (auto i = lo; i < hi; ++i) {
    auto e = prog.pred[i];
    auto& edge = prog.def->edges[e];
    if (!s.edge_fired[e]) continue;
    auto& key = edge.target_port.empty() ? prog.def->nodes[prog.edge_src[e]].node_id : edge.target_port;
    in[key] = s.edge_val[e];
  }
  return value(std::move(in));
}

void dispatch(run_self* self) {
  auto& s = self->state;
  if (s.ended || s.ready.empty()) return;
  auto window = s.eng->cfg.max_inflight_per_run;
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
    t.priority = s.rc->hint.priority;
    if (s.rc->dyn) t.plan_version = s.rc->dyn->version();
    t.input = input_of(self, n);
    batch.push_back(std::move(t));
    ++s.inflight;
  }
  self->send(s.eng->balancer, std::move(batch));
}

void node_failed(run_self* self, std::uint32_t n, const std::string& msg) {
  auto& s = self->state;
  auto& prog = *s.rc->prog;
  auto& id = prog.def->nodes[n].node_id;
  s.rec.status[n] = node_status::failed;
  s.rec.errors[n] = msg;
  s.rc->state->n_failed.fetch_add(1, std::memory_order_relaxed);
  ++s.settled;
  auto text = "node '" + id + "' failed after " + std::to_string(s.rec.attempts[n]) +
              (s.rec.attempts[n] == 1 ? " attempt: " : " attempts: ") + msg;
  if (!s.rc->continue_on_failure) return end_run(self, run_status::failed, text, id);
  if (s.first_error.empty()) {
    s.first_error = text;
    s.first_failed = id;
  }
  std::vector<std::uint32_t> skips;
  for (auto i = prog.succ_off[n]; i < prog.succ_off[n + 1]; ++i) {
    auto e = prog.succ[i];
    s.flags[prog.edge_dst[e]] |= 2;  // descendants of a failure are skipped
    resolve(self, e, false, value{}, skips);
  }
  skip_all(self, skips);
}

void check_end(run_self* self) {
  auto& s = self->state;
  if (s.ended || s.settled < s.rc->prog->size()) return;
  if (!s.first_error.empty()) end_run(self, run_status::failed, s.first_error, s.first_failed);
  else end_run(self, run_status::succeeded, {}, {});
}

void on_done(run_self* self, completion& c) {
  auto& s = self->state;
  auto& prog = *s.rc->prog;
  auto n = c.node;
  // Route and filter decisions first: user code may throw, failing the node.
  auto& out_edges = s.out_edges;
  out_edges.clear();
  try {
    std::vector<std::string> labels;
    auto r = prog.routers.find(n);
    if (r != prog.routers.end()) labels = r->second(c.out);
    out_edges.reserve(prog.succ_off[n + 1] - prog.succ_off[n]);
    for (auto i = prog.succ_off[n]; i < prog.succ_off[n + 1]; ++i) {
      auto e = prog.succ[i];
      bool fire = true;
      auto& route = prog.def->edges[e].route;
      if (r != prog.routers.end() && !route.empty())
        fire = std::find(labels.begin(), labels.end(), route) != labels.end();
      const program::edge_code* code =
          prog.edge_code_of.empty() || prog.edge_code_of[e] < 0 ? nullptr : &prog.edge_codes[prog.edge_code_of[e]];
      if (fire && code && code->filter) fire = code->filter(c.out);
      value v = fire && code && code->transform ? code->transform(c.out) : c.out;
      out_edges.emplace_back(fire, std::move(v));
    }
  } catch (const std::exception& e) {
    return node_failed(self, n, std::string("edge function threw: ") + e.what());
  }
  s.rec.status[n] = node_status::done;
  for (auto i = prog.pred_off[n]; i < prog.pred_off[n + 1]; ++i) s.edge_val[prog.pred[i]] = value{};  // inputs consumed
  s.rc->state->n_done.fetch_add(1, std::memory_order_relaxed);
  ++s.settled;
  auto& skips = s.skips;
  skips.clear();
  std::size_t k = 0;
  for (auto i = prog.succ_off[n]; i < prog.succ_off[n + 1]; ++i, ++k)
    resolve(self, prog.succ[i], out_edges[k].first, std::move(out_edges[k].second), skips);
  for (auto i = prog.pred_off[n]; i < prog.pred_off[n + 1]; ++i) s.edge_val[prog.pred[i]] = value();
  // Sinks' outputs are the run's outputs: kept even without keep_outputs.
  if (s.rc->keep_outputs || prog.succ_off[n] == prog.succ_off[n + 1])
    s.rec.output[n] = std::move(c.out);
  skip_all(self, skips);
}

/// A domain runs much slower (or faster) than the plan assumed: plan again
/// what has not started; nodes already queued follow the new plan when their
/// domain dequeues them, nodes dispatched later go by it directly.
void replan(run_self* self) {
  auto& s = self->state;
  auto& dyn = *s.rc->dyn;
  auto n = s.rc->prog->size();
  std::vector<bool> done(n), dispatched(n);
  for (std::size_t i = 0; i < n; ++i) {
    done[i] = s.rec.status[i] == node_status::done;
    dispatched[i] = s.rec.status[i] == node_status::running;
  }
  double scale = std::max(1e-9, s.eng->cfg.time_scale);
  auto nodes = dyn.progress(done, dispatched, s.rec.start_ms, s.rec.finish_ms, s.rec.domain, scale);
  auto current = dyn.plan();
  auto r = dyn.replanner()->replan(nodes, (s.eng->now_ms() - s.rc->spawn_ms) / scale, s.rc->hint,
                                   s.rc->strategies,
                                   current && !current->strategy.empty()
                                       ? std::optional<std::string>(current->strategy)
                                       : std::nullopt);
  if (!r) {  // no feasible re-plan: keep the plan in force, say why
    observe::logger("planner")->warn("run {}: re-plan failed ({}): {}", s.rc->state->id(),
                                     dyn.replanner()->due().value_or("slowdown"), r.err().message());
    return;
  }
  std::string factors;
  for (double f : r->inputs.slowdown) factors += (factors.empty() ? "" : ", ") + std::to_string(f);
  observe::logger("planner")->info("run {}: re-planned {} nodes ({}); slowdown per domain: {}",
                                   s.rc->state->id(), r->inputs.replanned.size(), r->inputs.reason,
                                   factors);
  auto p = std::make_shared<const strategies::plan>(std::move(r->plan));
  dyn.set_plan(p);
  s.rc->state->set_plan(p);
  s.eng->board.count_replan();
}

void on_completion(run_self* self, completion& c) {
  auto& s = self->state;
  if (s.ended) return;
  auto n = c.node;
  if (s.rec.attempts[n] != c.attempt || s.rec.status[n] != node_status::running) return;  // stale
  --s.inflight;
  if (c.kind == completion::not_started) return;
  if (c.kind == completion::lost) {
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
    observe::logger("cluster")->warn("run {}: node '{}' lost with its domain, running it again",
                                     s.rc->state->id(), s.rc->prog->def->nodes[n].node_id);
    s.ready.emplace_back(n, c.attempt + 1);
    dispatch(self);
    return;
  }
  s.rec.domain[n] = c.domain;
  s.rec.start_ms[n] = static_cast<float>(c.start_ms - s.rc->spawn_ms);
  s.rec.finish_ms[n] = static_cast<float>(c.finish_ms - s.rc->spawn_ms);
  auto exec = static_cast<float>(c.finish_ms - c.start_ms);
  s.metrics.push_back(metric{node_event::started, c.domain, 0.f, n});
  s.metrics.push_back(
      metric{c.kind == completion::ok ? node_event::finished : node_event::failed, c.domain, exec, n});
  bool replan_due = false;
  if (auto* dyn = s.rc->dyn.get()) {
    if (c.kind != completion::ok) dyn->reset(n);
    else if (auto* rp = dyn->replanner(); rp && c.domain >= 0)
      replan_due = rp->finished(n, static_cast<std::size_t>(c.domain),
                                (c.finish_ms - c.start_ms) / std::max(1e-9, s.eng->cfg.time_scale));
  }
  if (s.metrics.size() >= 1024) flush_metrics(self);
  if (c.kind == completion::ok) {
    on_done(self, c);
  } else {
    auto& prog = *s.rc->prog;
    auto policy = s.rc->retry;
    if (auto o = prog.options.find(n); o != prog.options.end() && o->second.retry) policy = *o->second.retry;
    if (c.attempt < policy.max_attempts) {
      std::uniform_real_distribution<double> u(0.0, 1.0);
      auto delay = backoff_ms(policy, c.attempt + 1, u(s.rng));
      s.rec.status[n] = node_status::pending;
      s.rec.errors[n] = c.error;
      caf::actor me = caf::actor_cast<caf::actor>(self);
      auto next = c.attempt + 1;
      s.timers.push_back(s.eng->cfg.clk->schedule_after(
          std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(delay)),
          [me, n, next] { caf::anon_send(me, retry_atom::value, n, next); }));
    } else {
      node_failed(self, n, c.error);
    }
  }
  if (s.ended) return;
  if (replan_due) replan(self);
  if (s.rc->state->on_progress) s.rc->state->on_progress(s.rc->state->current_progress());
  check_end(self);
  dispatch(self);
}

caf::behavior run_actor(run_self* self, core_ptr rc, impl* eng) {
  auto& s = self->state;
  s.rc = rc;
  s.eng = eng;
  rc->run_actor = caf::actor_cast<caf::actor>(self);
  auto& prog = *rc->prog;
  auto n = prog.size();
  s.remaining.resize(n);
  s.flags.assign(n, 0);
  s.edge_val.resize(prog.edge_src.size());
  s.edge_fired.assign(prog.edge_src.size(), 0);
  s.rec.output.resize(n);
  s.rec.start_ms.assign(n, 0.f);
  s.rec.finish_ms.assign(n, 0.f);
  s.rec.domain.assign(n, -1);
  s.rec.attempts.assign(n, 0);
  s.rec.status.assign(n, node_status::pending);
  s.rng.seed(eng->cfg.seed ^ (rc->state->id() * 0x9E3779B97F4A7C15ull));
  for (std::uint32_t i = 0; i < n; ++i) {
    s.remaining[i] = prog.in_degree(i);
    if (!s.remaining[i]) s.ready.emplace_back(i, 1);
  }
  if (rc->hint.max_latency_ms) {
    auto left = static_cast<double>(*rc->hint.max_latency_ms) - (eng->now_ms() - rc->spawn_ms);
    auto me = rc->run_actor;
    s.timers.push_back(eng->cfg.clk->schedule_after(
        std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(std::max(0.0, left))),
        [me] { caf::anon_send(me, deadline_atom::value); }));
  }
  auto me = rc->run_actor;
  rc->state->set_cancel_hook([me] { caf::anon_send(me, cancel_atom::value); });
  self->delayed_send(self, std::chrono::milliseconds(100), flush_atom::value);
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
      [self](timeout_atom, std::uint32_t node, std::uint32_t attempt) {
        auto& st = self->state;
        if (st.ended || st.rec.attempts[node] != attempt || st.rec.status[node] != node_status::running) return;
        auto& prog = *st.rc->prog;
        auto t = st.rc->node_timeout_ms;
        if (auto o = prog.options.find(node); o != prog.options.end() && o->second.timeout_ms) t = o->second.timeout_ms;
        auto& id = prog.def->nodes[node].node_id;
        st.rec.errors[node] = "timed out";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", t ? *t : 0.0);
        end_run(self, run_status::cancelled, "node '" + id + "' timed out after " + buf + " ms", id);
      },
      [self](cancel_atom) { end_run(self, run_status::cancelled, "cancelled by the caller", {}); },
      [self](deadline_atom) {
        auto& st = self->state;
        end_run(self, run_status::cancelled,
                "deadline exceeded: max_latency_ms = " + std::to_string(*st.rc->hint.max_latency_ms), {});
      },
      [self](flush_atom) {
        flush_metrics(self);
        if (!self->state.ended) self->delayed_send(self, std::chrono::milliseconds(100), flush_atom::value);
      },
  };
}

// -------------------------------------------------------------- planner actor

caf::behavior planner_actor(caf::event_based_actor* self, impl* eng) {
  return {
      [self, eng](core_ptr& rc) {
        auto& st = *rc->state;
        if (st.cancel_flag.load()) {
          st.finish(run_outcome{run_status::cancelled, value{}, "cancelled by the caller", {}}, {}, eng->now_ms());
          return;
        }
        auto& prog = *rc->prog;
        if (rc->given_plan) {
          if (rc->given_plan->assignments.size() != prog.size()) {
            st.finish(run_outcome{run_status::failed, value{},
                                  "the given plan has " + std::to_string(rc->given_plan->assignments.size()) +
                                      " assignments for " + std::to_string(prog.size()) + " nodes",
                                  {}},
                      {}, eng->now_ms());
            return;
          }
          rc->plan = std::make_shared<const strategies::plan>(std::move(*rc->given_plan));
          rc->given_plan.reset();
        } else {
          auto& dc = eng->cfg.dynamic;
          strategies::planner_context ctx;
          if (dc.adaptive_strategy) {
            eng->board.preferred(rc->hint.preferred_strategy_id);
            ctx.strategy_override = eng->board.strategy_for(rc->hint.preferred_strategy_id);
          }
          if (dc.calibrate) ctx.exec_time_ms = eng->board.perf()->planner_hook(*prog.def, *prog.platform);
          auto p = strategies::make_plan(*prog.def, *prog.platform, rc->hint, rc->strategies, ctx);
          if (!p) {
            st.finish(run_outcome{run_status::failed, value{}, "planning failed: " + p.err().message(), {}}, {},
                      eng->now_ms());
            return;
          }
          rc->plan = std::make_shared<const strategies::plan>(std::move(*p));
        }
        st.set_plan(rc->plan);
        if (eng->cfg.dynamic.replan) {
          // Re-planning judges speed against the model the run was planned with.
          strategies::perf_model::exec_time_fn base;
          if (eng->cfg.dynamic.calibrate) base = eng->board.perf()->planner_hook(*prog.def, *prog.platform);
          rc->dyn = std::make_unique<run_dynamic>(
              prog.size(), std::make_unique<run_replanner>(prog.def, prog.platform,
                                                           eng->cfg.dynamic.replanning, std::move(base)));
          rc->dyn->set_plan(rc->plan);
        }
        self->spawn(run_actor, rc, eng);
      },
  };
}

// ------------------------------------------------------------- remote domains

/// Connects to a domain server and checks the token with a handshake.
void connect_remote(impl& m, domain_rt& d) {
  const auto& name = d.spec->name;
  auto ep = remote::parse_endpoint(*d.spec->endpoint);
  if (!ep) throw std::invalid_argument("domain '" + name + "': " + ep.err().message());
  auto a = m.sys->middleman().remote_actor(ep->first, ep->second);
  if (!a)
    throw std::invalid_argument("domain '" + name + "': cannot reach " + *d.spec->endpoint + ": " +
                                m.sys->render(a.error()));
  std::optional<std::string> refused;
  {
    caf::scoped_actor s{*m.sys};
    remote::request hello;
    hello.token = m.token;
    hello.domain = name;
    s->request(*a, std::chrono::seconds(10), std::move(hello))
        .receive([&](remote::reply& r) { if (!r.ok) refused = r.error; },
                 [&](caf::error& e) { refused = m.sys->render(e); });
  }
  if (refused) {
    observe::logger("cluster")->error("domain '{}' at {}: {}", name, *d.spec->endpoint, *refused);
    throw std::invalid_argument("domain '" + name + "' at " + *d.spec->endpoint + ": " + *refused);
  }
  d.remote = *a;
  observe::logger("cluster")->info("domain '{}' connected at {}", name, *d.spec->endpoint);
}

/// Watches a remote domain: when its server goes away (CAF down message, or
/// the middleman's heartbeat gives up) the domain gets no more nodes and its
/// queue goes back to the balancer.
caf::behavior watcher_actor(caf::event_based_actor* self, domain_rt* d) {
  self->monitor(d->remote);
  self->set_down_handler([self, d](caf::down_msg& dm) {
    d->available.store(false);
    observe::logger("cluster")->error("domain '{}' lost ({}): its nodes run elsewhere", d->spec->name,
                                      caf::to_string(dm.reason));
    caf::anon_send(d->actor, wake_atom::value);
    self->quit();
  });
  return {[](wake_atom) {}};
}

}  // namespace

// --------------------------------------------------------------------- engine

engine::engine(engine_config cfg) : impl_(std::make_unique<impl>()) {
  auto& m = *impl_;
  m.cfg = std::move(cfg);
  if (!m.cfg.clk) m.cfg.clk = std::make_shared<real_clock>();
  if (!m.cfg.balancer.choose) m.cfg.balancer = balancer_policy::plan_first();
  if (!m.cfg.platform) throw std::invalid_argument("engine: no platform");
  unsigned slots = 0;
  for (auto& d : m.cfg.platform->domains) slots += d.slots;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // Node bodies run on CAF workers and may block: one worker per slot plus
  // one per core keeps the other actors running while every slot is busy.
  m.threads = m.cfg.scheduler_threads ? m.cfg.scheduler_threads : std::min(64u, cores + slots);
  m.sys_cfg.set("scheduler.max-threads", static_cast<size_t>(m.threads));
  bool any_remote = std::any_of(m.cfg.platform->domains.begin(), m.cfg.platform->domains.end(),
                                [](const model::domain_spec& d) { return d.endpoint.has_value(); });
  if (any_remote) {
    m.sys_cfg.load<caf::io::middleman>();
    m.sys_cfg.add_message_type<remote::request>("causality_remote_request");
    m.sys_cfg.add_message_type<remote::reply>("causality_remote_reply");
    m.sys_cfg.set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(500)});
    if (m.cfg.cluster_token.empty()) {
      auto tok = remote::load_token("");
      if (!tok) throw std::invalid_argument("engine: remote domains: " + tok.err().message());
      m.token = *tok;
    } else {
      m.token = m.cfg.cluster_token;
    }
  }
  m.sys = std::make_unique<caf::actor_system>(m.sys_cfg);
  for (std::size_t d = 0; d < m.cfg.platform->domains.size(); ++d) {
    auto rt = std::make_unique<domain_rt>();
    rt->index = d;
    rt->spec = &m.cfg.platform->domains[d];
    rt->slots = static_cast<int>(std::max<std::uint32_t>(1, rt->spec->slots));
    m.domains.push_back(std::move(rt));
  }
  const auto& dc = m.cfg.dynamic;
  if (dc.adaptive_strategy || dc.calibrate || !dc.perf_model_file.empty()) {
    auto dm = dynamic_monitor::make(*m.cfg.platform, dc);
    if (!dm) throw std::invalid_argument("engine: performance models: " + dm.err().message());
    m.dyn = std::move(*dm);
    m.board.publish(m.dyn->policy(), std::make_shared<strategies::perf_model>(m.dyn->perf()));
  }
  for (auto& d : m.domains)
    if (d->spec->endpoint) connect_remote(m, *d);
  for (auto& d : m.domains) d->actor = m.sys->spawn(domain_actor, d.get(), impl_.get());
  for (auto& d : m.domains)
    if (d->remote) m.watchers.push_back(m.sys->spawn(watcher_actor, d.get()));
  m.monitor = m.sys->spawn(monitor_actor, impl_.get());
  m.balancer = m.sys->spawn(balancer_actor, impl_.get());
  m.planner = m.sys->spawn(planner_actor, impl_.get());
}

engine::~engine() {
  auto& m = *impl_;
  std::vector<std::shared_ptr<run_state>> live;
  {
    std::lock_guard<std::mutex> g(m.runs_mx);
    for (auto& w : m.runs)
      if (auto r = w.lock()) live.push_back(r);
  }
  for (auto& r : live) r->cancel();
  for (auto& r : live) r->wait();
  for (auto& w : m.watchers) caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  m.watchers.clear();
  for (auto& d : m.domains) d->remote = caf::actor{};
  caf::anon_send_exit(m.planner, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(m.balancer, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(m.monitor, caf::exit_reason::user_shutdown);
  for (auto& d : m.domains) caf::anon_send_exit(d->actor, caf::exit_reason::user_shutdown);
  m.planner = m.balancer = m.monitor = caf::actor{};
  for (auto& d : m.domains) d->actor = caf::actor{};
  m.sys.reset();
  // The monitor actor is gone: its models can be read and kept for the next start.
  if (m.dyn && !m.cfg.dynamic.perf_model_file.empty()) (void)m.dyn->perf().save(m.cfg.dynamic.perf_model_file);
}

std::shared_ptr<run_state> engine::start(run_request req) {
  auto& m = *impl_;
  auto id = m.next_run.fetch_add(1);
  auto st = std::make_shared<run_state>(req.prog, id);
  auto rc = std::make_shared<run_core>();
  rc->state = st;
  rc->prog = req.prog;
  rc->given_plan = std::move(req.plan);
  rc->strategies = std::move(req.strategies);
  rc->hint = std::move(req.hint);
  rc->inputs = std::move(req.inputs);
  st->wstate = std::make_shared<workflow_state>(std::move(req.initial_state), req.prog->def->state_schema);
  rc->retry = req.retry;
  rc->node_timeout_ms = req.node_timeout_ms;
  rc->continue_on_failure = req.continue_on_failure;
  rc->keep_outputs = req.keep_outputs;
  rc->spawn_ms = m.now_ms();
  st->set_times(rc->spawn_ms);
  st->on_progress = std::move(req.on_progress);
  st->on_end = std::move(req.on_end);
  {
    std::lock_guard<std::mutex> g(m.runs_mx);
    m.runs.erase(std::remove_if(m.runs.begin(), m.runs.end(), [](auto& w) { return w.expired(); }), m.runs.end());
    m.runs.push_back(st);
  }
  caf::anon_send(m.planner, std::move(rc));
  return st;
}

std::vector<domain_snapshot> engine::snapshot() const {
  auto& m = *impl_;
  std::vector<domain_snapshot> out;
  caf::scoped_actor self{*m.sys};
  self->request(m.monitor, caf::infinite, snap_atom::value)
      .receive([&](snapshot_list& s) { out = std::move(s); }, [](caf::error&) {});
  return out;
}

const model::platform& engine::platform() const { return *impl_->cfg.platform; }
clock& engine::get_clock() const { return *impl_->cfg.clk; }
std::vector<strategies::strategy_switch> engine::strategy_switches() const {
  return impl_->board.switches();
}
std::size_t engine::replans() const { return impl_->board.replans(); }
std::shared_ptr<const strategies::perf_model> engine::perf_models() const {
  return impl_->board.perf();
}
unsigned engine::scheduler_threads() const { return impl_->threads; }

}  // namespace causality::actors
