// The engine: builds the actor system, spawns the long-lived actors, starts runs.

#include "context.hpp"

namespace causality::actors {

// --------------------------------------------------------------------- engine

/// The engine's state: the actor system, the domain table and one context
/// per kind of actor. Only this file sees it; each actor gets its context.
struct engine::impl {
  engine_config cfg;
  unsigned threads = 0;
  caf::actor_system_config sys_cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<domain_table> domains;
  caf::actor planner, balancer, monitor;
  std::atomic<std::uint64_t> next_run{1};
  std::atomic<std::uint64_t> next_seq{0};
  /// Request ids towards domain servers: unique per attempt (random base, so
  /// two runtimes on one server do not collide in practice).
  std::atomic<std::uint64_t> next_remote_id{std::random_device{}() * 0x100000000ull};
  std::mutex runs_mx;
  std::vector<std::weak_ptr<run_state>> runs;
  dynamic_board board;                    ///< what the monitor publishes
  std::string token;                      ///< presented to remote domains
  std::vector<caf::actor> watchers;       ///< one per remote domain
  std::unique_ptr<dynamic_monitor> dyn;   ///< used by the monitor actor only once running
  /// The engine's observers (cfg.observers, the history, the log lines), for engine events.
  observe::observer_list events;
  std::shared_ptr<observe::engine_history> history = std::make_shared<observe::engine_history>();
  std::shared_ptr<observe::log_observer> log = std::make_shared<observe::log_observer>();
  // The actors' contexts (their addresses stay fixed: the impl is never moved).
  attempt_context attempts;
  balancer_context balancing;
  std::vector<domain_context> domain_ctx;
  run_context running;
  planner_actor_context planning;
  monitor_context monitoring;
  watcher_context watching;

  double now() const { return now_ms(*cfg.clock); }
};

unsigned default_scheduler_threads(const model::platform& p) {
  unsigned slots = 0;
  for (const auto& d : p.domains) slots += d.slots;
  return std::min(64u, std::max(1u, std::thread::hardware_concurrency()) + slots);
}

engine::engine(engine_config cfg) : impl_(std::make_unique<impl>()) {
  auto& m = *impl_;
  m.cfg = std::move(cfg);
  if (!m.cfg.clock) m.cfg.clock = std::make_shared<real_clock>();
  if (!m.cfg.balancer.choose) m.cfg.balancer = balancer_policy::plan_first();
  if (!m.cfg.platform) throw engine_error(model::errc::invalid_input, "engine: no platform");
  // Node bodies run on CAF workers and may block (work, exec, user code):
  // one worker per slot plus one per core keeps the balancer, watchers and
  // timers running while every slot is busy. A core-count default measured
  // faster on no-op nodes but starved heartbeats and cancellation of remote
  // nodes in tests/cluster, so it is not the default (docs/runtime.md).
  m.threads = m.cfg.scheduler_threads ? m.cfg.scheduler_threads : default_scheduler_threads(*m.cfg.platform);
  m.sys_cfg.set("scheduler.max-threads", static_cast<size_t>(m.threads));
  bool any_remote = std::any_of(m.cfg.platform->domains.begin(), m.cfg.platform->domains.end(),
                                [](const model::domain_spec& d) { return d.endpoint.has_value(); });
  if (any_remote) {
    m.sys_cfg.load<caf::io::middleman>();
    m.sys_cfg.add_message_type<remote::request>("causality_remote_request");
    m.sys_cfg.add_message_type<remote::reply>("causality_remote_reply");
    m.sys_cfg.add_message_type<remote::cancel>("causality_remote_cancel");
    m.sys_cfg.set("middleman.heartbeat-interval", span_ms(m.cfg.remote_heartbeat_ms));
    if (m.cfg.cluster_token.empty()) {
      auto tok = remote::load_token("");
      if (!tok) throw engine_error(model::errc::invalid_input, "engine: remote domains: " + tok.err().message());
      m.token = *tok;
    } else {
      m.token = m.cfg.cluster_token;
    }
    if (auto bad = domains::check_token(m.token))
      throw engine_error(model::errc::invalid_input, "engine: remote domains: " + bad->message());
  }
  m.sys = std::make_unique<caf::actor_system>(m.sys_cfg);
  {
    auto obs = m.cfg.observers;
    obs.erase(std::remove(obs.begin(), obs.end(), nullptr), obs.end());
    obs.push_back(m.history);
    obs.push_back(m.log);
    m.events = observe::observer_list(std::move(obs));
  }
  m.domains = std::make_unique<domain_table>(*m.cfg.platform);
  const auto& dc = m.cfg.dynamic;
  if (dc.adaptive_strategy || dc.calibrate || !dc.perf_model_file.empty()) {
    auto dm = dynamic_monitor::make(*m.cfg.platform, dc);
    if (!dm) throw engine_error(model::errc::invalid_input, "engine: performance models: " + dm.err().message());
    m.dyn = std::move(*dm);
    m.board.publish(m.dyn->policy(), std::make_shared<strategies::perf_model>(m.dyn->perf()));
  }
  auto& D = *m.domains;
  for (std::size_t d = 0; d < D.size(); ++d)
    if (D[d].spec->endpoint) connect_remote(*m.sys, m.cfg, m.token, D[d]);
  clock* clk = m.cfg.clock.get();
  m.attempts = attempt_context{&D, clk, m.cfg.time_scale, m.cfg.heartbeat_ms, m.token, &m.next_remote_id};
  m.balancing.domains = &D;
  m.balancing.attempts = &m.attempts;
  m.balancing.clk = clk;
  m.balancing.policy = m.cfg.balancer;
  m.balancing.board = &m.board;
  m.balancing.adaptive = m.dyn && dc.adaptive_strategy;
  m.balancing.forecast = dc.forecast;
  m.balancing.forecast_horizon_ms = dc.forecast_horizon_ms;
  m.balancing.next_seq = &m.next_seq;
  m.balancer = spawn_balancer_actor(*m.sys, &m.balancing);
  m.domain_ctx.resize(D.size());
  for (std::size_t d = 0; d < D.size(); ++d) {
    m.domain_ctx[d] = domain_context{&D[d], &D, &m.attempts, clk, m.balancer};
    D[d].actor = spawn_domain_actor(*m.sys, &m.domain_ctx[d]);
  }
  m.watching = watcher_context{clk, m.cfg.heartbeat_ms, m.cfg.dead_after_ms, m.cfg.connect_timeout_ms, m.token,
                               &m.events};
  for (std::size_t d = 0; d < D.size(); ++d)
    if (D[d].spec->endpoint) {
      D[d].watcher = spawn_watcher_actor(*m.sys, &D[d], &m.watching);
      m.watchers.push_back(D[d].watcher);
    }
  m.monitoring = monitor_context{&D, clk, m.dyn.get(), &m.board, &m.events, dc.tick_ms, m.cfg.time_scale};
  m.monitor = spawn_monitor_actor(*m.sys, &m.monitoring);
  m.running.clk = clk;
  m.running.balancer = m.balancer;
  m.running.monitor = m.monitor;
  m.running.board = &m.board;
  m.running.adaptive = m.dyn && dc.adaptive_strategy;
  m.running.time_scale = m.cfg.time_scale;
  m.running.max_inflight = m.cfg.max_inflight_per_run;
  m.running.seed = m.cfg.seed;
  m.running.metric_flush_ms = m.cfg.metric_flush_ms;
  m.running.metric_flush_batch = m.cfg.metric_flush_batch;
  m.planning = planner_actor_context{&m.running, clk, &m.board, &m.cfg.dynamic};
  m.planner = spawn_planner_actor(*m.sys, &m.planning);
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
  // The watchers are the links' one writer: wait until they are gone (a
  // reconnection in flight could link a fresh guard after the unlink below,
  // and that guard would then outlive the actor system).
  if (!m.watchers.empty()) {
    caf::scoped_actor self{*m.sys};
    for (auto& w : m.watchers) self->monitor(w);
    for (auto& w : m.watchers) caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
    for (std::size_t i = 0; i < m.watchers.size(); ++i)
      self->receive([](const caf::down_msg&) {}, caf::after(std::chrono::seconds(5)) >> [] {});
  }
  m.watchers.clear();
  for (std::size_t d = 0; d < m.domains->size(); ++d) liveness::unlink((*m.domains)[d]);
  caf::anon_send_exit(m.planner, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(m.balancer, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(m.monitor, caf::exit_reason::user_shutdown);
  for (std::size_t d = 0; d < m.domains->size(); ++d)
    caf::anon_send_exit((*m.domains)[d].actor, caf::exit_reason::user_shutdown);
  m.planner = m.balancer = m.monitor = caf::actor{};
  m.running.balancer = m.running.monitor = caf::actor{};
  for (auto& c : m.domain_ctx) c.balancer = caf::actor{};
  for (std::size_t d = 0; d < m.domains->size(); ++d) (*m.domains)[d].actor = (*m.domains)[d].watcher = caf::actor{};
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
  st->wstate = std::make_shared<workflow_state>(std::move(req.initial_state), req.prog->def->state_schema);
  rc->spawn_ms = m.now();
  st->set_times(rc->spawn_ms);
  st->on_progress = std::move(req.on_progress);
  st->on_end = std::move(req.on_end);
  // The run's event stream: the engine's observers, the run's own, its recorder.
  auto recorder = std::make_shared<observe::run_recorder>();
  {
    std::vector<observe::observer_ptr> obs = m.cfg.observers;
    for (auto& o : req.observers) obs.push_back(std::move(o));
    obs.erase(std::remove(obs.begin(), obs.end(), nullptr), obs.end());
    obs.push_back(m.log);
    obs.push_back(recorder);
    rc->events = observe::observer_list(std::move(obs));
  }
  st->ctx.recorder = std::move(recorder);
  st->ctx.history = m.history;
  st->ctx.time_scale = m.cfg.time_scale;
  if (!req.plan)
    st->ctx.explain_plan = [prog = req.prog, hint = req.hint, reg = req.strategies]() {
      return strategies::explain_plan(*prog->def, *prog->platform, hint, reg);
    };
  req.observers.clear();
  rc->req = std::move(req);
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
  auto p = std::make_shared<std::promise<snapshot_list>>();
  auto f = p->get_future();
  caf::anon_send(m.monitor, snap_atom::value, std::move(p));
  try {
    return f.get();
  } catch (const std::future_error&) {  // the monitor is gone (shutting down): its message was dropped
    return {};
  }
}

const model::platform& engine::platform() const { return *impl_->cfg.platform; }
clock& engine::get_clock() const { return *impl_->cfg.clock; }
std::vector<strategies::strategy_switch> engine::strategy_switches() const {
  return impl_->board.switches();
}
const observe::engine_history& engine::history() const { return *impl_->history; }
std::size_t engine::replans() const { return impl_->board.replans(); }
std::shared_ptr<const strategies::perf_model> engine::perf_models() const {
  return impl_->board.perf();
}
unsigned engine::scheduler_threads() const { return impl_->threads; }
std::vector<std::optional<std::set<std::string>>> engine::hosted_types() const {
  std::vector<std::optional<std::set<std::string>>> out;
  for (std::size_t d = 0; d < impl_->domains->size(); ++d) out.push_back((*impl_->domains)[d].hosted_types);
  return out;
}

}  // namespace causality::actors
