#include "causality/runtime/runtime.hpp"

#include <algorithm>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "causality/domains/builtins.hpp"
#include "causality/domains/platform.hpp"
#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"
#include "workflow_impl.hpp"

namespace causality {

namespace {

model::error input_error(const std::string& path, std::string reason) {
  return model::error{"", path, std::move(reason)};
}

}  // namespace

model::platform runtime_config::local_platform() { return domains::local_platform(); }

model::expected<runtime_config> runtime_config::from_platform_file(const std::string& path) {
  auto p = model::load_platform_file(path);
  if (!p) return p.err();
  runtime_config cfg;
  cfg.platform = std::move(*p);
  return cfg;
}

value run_handle::output() const {
  auto& o = s_->outcome();
  if (o.outputs.is_object() && o.outputs.as_object().size() == 1) return o.outputs.as_object().begin()->second;
  return o.outputs;
}

struct runtime::impl {
  runtime_config cfg;
  std::shared_ptr<const model::platform> platform;
  std::mutex mx;  // guards registry, strategies, admission counters
  std::condition_variable cv;
  actors::function_registry registry;
  std::uint64_t registry_version = 1;
  strategies::strategy_registry strategies;
  std::size_t active = 0, pending_nodes = 0;
  std::vector<std::optional<std::set<std::string>>> hosted;  ///< eng->hosted_types(), fixed at start
  std::unique_ptr<actors::engine> eng;  // last: destroyed first

  model::expected<std::shared_ptr<const actors::program>> compiled(const workflow& wf) {
    auto& wi = *wf.internals();
    std::lock_guard<std::mutex> g(wi.mx);
    std::uint64_t version;
    actors::function_registry reg;
    {
      std::lock_guard<std::mutex> g2(mx);
      version = registry_version;
      if (wi.compiled && wi.compiled_for == this && wi.compiled_version == version) return wi.compiled;
      reg = registry;
    }
    // A node's own retry / timeout_ms (its file, the builder) become its
    // node options; options set in code directly keep theirs.
    const actors::workflow_code* code = &wi.code;
    actors::workflow_code with_policies;
    const auto& nodes = wi.def->nodes;
    if (std::any_of(nodes.begin(), nodes.end(), [](auto& n) { return n.retry || n.timeout_ms; })) {
      with_policies = wi.code;
      for (auto& n : nodes) {
        if (!n.retry && !n.timeout_ms) continue;
        auto& o = with_policies.options[n.node_id];
        if (!o.retry) o.retry = n.retry;
        if (!o.timeout_ms) o.timeout_ms = n.timeout_ms;
      }
      code = &with_policies;
    }
    auto p = actors::compile(wi.def, *code, reg, platform, hosted);
    if (!p) return p.err();
    wi.compiled = *p;
    wi.compiled_for = this;
    wi.compiled_version = version;
    return *p;
  }
};

runtime::runtime() : runtime(runtime_config{}) {}

runtime::runtime(runtime_config cfg) : impl_(std::make_unique<impl>()) {
  auto& m = *impl_;
  m.cfg = std::move(cfg);
  // Policies set in code are held to the bounds a workflow file is.
  for (auto bad : {model::validate_retry_policy(m.cfg.retry, "runtime_config", "/retry"),
                   model::validate_timeout(m.cfg.node_timeout_ms, "runtime_config", "/node_timeout_ms")})
    if (bad) throw actors::engine_error(model::errc::invalid_input, bad->message());
  m.platform = std::make_shared<const model::platform>(m.cfg.platform ? *m.cfg.platform
                                                                      : runtime_config::local_platform());
  for (auto& [name, fn] : domains::builtin_node_types())  // noop, work
    m.registry.node_types[name] = std::make_shared<const node_fn>(fn);
  actors::engine_config ec;
  static_cast<actors::engine_settings&>(ec) = m.cfg;  // the engine's settings, as they are
  ec.platform = m.platform;
  ec.max_inflight_per_run = std::max<std::size_t>(1, m.cfg.max_inflight_per_run);
  m.eng = std::make_unique<actors::engine>(std::move(ec));
  m.hosted = m.eng->hosted_types();
}

runtime::~runtime() {
  if (impl_) impl_->eng.reset();
}
runtime::runtime(runtime&&) noexcept = default;
runtime& runtime::operator=(runtime&& o) noexcept {
  if (this != &o) {
    if (impl_) impl_->eng.reset();
    impl_ = std::move(o.impl_);
  }
  return *this;
}

model::expected<runtime> runtime::make(runtime_config cfg) {
  try {
    return runtime(std::move(cfg));
  } catch (const actors::engine_error& e) {
    return model::make_error(e.code, e.what());
  } catch (const std::invalid_argument& e) {
    return model::make_error(model::errc::invalid_input, e.what());
  }
}

void runtime::register_node_type(const std::string& name, node_fn fn) {
  std::lock_guard<std::mutex> g(impl_->mx);
  impl_->registry.node_types[name] = std::make_shared<const node_fn>(std::move(fn));
  ++impl_->registry_version;
}
void runtime::register_transform(const std::string& name, actors::transform_fn fn) {
  std::lock_guard<std::mutex> g(impl_->mx);
  impl_->registry.transforms[name] = std::move(fn);
  ++impl_->registry_version;
}
void runtime::register_filter(const std::string& name, actors::filter_fn fn) {
  std::lock_guard<std::mutex> g(impl_->mx);
  impl_->registry.filters[name] = std::move(fn);
  ++impl_->registry_version;
}
void runtime::register_router(const std::string& name, actors::router_fn fn) {
  std::lock_guard<std::mutex> g(impl_->mx);
  impl_->registry.routers[name] = std::move(fn);
  ++impl_->registry_version;
}
model::status runtime::add_strategy(model::optimization_strategy s) {
  std::lock_guard<std::mutex> g(impl_->mx);
  return impl_->strategies.add(std::move(s));
}

model::expected<run_handle> runtime::spawn(const workflow& wf, model::initiation_hint hint, spawn_options opts) {
  auto& m = *impl_;
  auto& def = wf.definition();
  if (opts.retry)
    if (auto bad = model::validate_retry_policy(*opts.retry, "spawn_options", "/retry")) return *bad;
  if (auto bad = model::validate_timeout(opts.node_timeout_ms, "spawn_options", "/node_timeout_ms")) return *bad;
  // Inputs and initial state against their schemas.
  for (auto& [field, type] : def.input_schema) {
    auto& v = opts.inputs[field];
    if (!opts.inputs.is_object() || (!v.matches(type)))
      return input_error("/inputs/" + field, "input_schema wants " + type + ", got " +
                                                 (opts.inputs.is_object() ? v.type_name() : "no input object"));
  }
  for (auto& [field, v] : opts.initial_state) {
    auto t = def.state_schema.find(field);
    if (t != def.state_schema.end() && !v.matches(t->second))
      return input_error("/state/" + field, "state_schema wants " + t->second + ", got " + v.type_name());
  }
  if (!opts.plan) {  // a given plan needs no strategy
    std::vector<std::string> known;
    {
      std::lock_guard<std::mutex> g(m.mx);
      known = m.strategies.names();
    }
    if (auto bad = model::validate_hint(hint, known, "")) {
      bad->path = "/hint" + bad->path;
      return *bad;
    }
    if (auto bad = model::validate_domain_order(hint, *m.platform, "")) {
      bad->path = "/hint" + bad->path;
      return *bad;
    }
  }
  auto prog = m.compiled(wf);
  if (!prog) return prog.err();
  auto nodes = (*prog)->size();
  if (opts.plan) {  // a given plan must fit this workflow and platform (the engine trusts it)
    const auto& as = opts.plan->assignments;
    if (as.size() != nodes)
      return model::error{"", "/plan/assignments", "the given plan has " + std::to_string(as.size()) +
                                                       " assignments for " + std::to_string(nodes) + " nodes"};
    for (std::size_t i = 0; i < as.size(); ++i) {
      const auto at = "/plan/assignments/" + std::to_string(i);
      if (as[i].node != i)
        return model::error{"", at + "/node", "assignment " + std::to_string(i) + " is for node " +
                                                  std::to_string(as[i].node) + " (assignments[i].node must be i)"};
      if (as[i].domain >= m.platform->domains.size())
        return model::error{"", at + "/domain", "domain index " + std::to_string(as[i].domain) +
                                                    " is beyond the platform's " +
                                                    std::to_string(m.platform->domains.size()) + " domains"};
      if (auto why = model::hosting_violation(def.nodes[i], m.platform->domains[as[i].domain]); !why.empty())
        return model::error{"", at + "/domain", "node '" + def.nodes[i].node_id + "' cannot run on '" +
                                                    m.platform->domains[as[i].domain].name + "': " + why};
    }
  }
  actors::run_request req;
  {
    std::unique_lock<std::mutex> lk(m.mx);
    auto saturated = [&] {
      if (m.active == 0) return false;  // one run always fits, however large
      return m.active + 1 > m.cfg.max_active_runs || m.pending_nodes + nodes > m.cfg.max_pending_nodes;
    };
    if (saturated()) {
      if (m.cfg.when_saturated == saturation_policy::reject)
        return model::make_error(model::errc::busy,
                                 "busy: " + std::to_string(m.active) + " runs with " +
                                     std::to_string(m.pending_nodes) + " nodes active (max_active_runs " +
                                     std::to_string(m.cfg.max_active_runs) + ", max_pending_nodes " +
                                     std::to_string(m.cfg.max_pending_nodes) + ")");
      m.cv.wait(lk, [&] { return !saturated(); });
    }
    ++m.active;
    m.pending_nodes += nodes;
    req.strategies = m.strategies;
  }
  // The run's defaults: this spawn's, else the workflow's "policies", else the
  // runtime's (a node's own retry / timeout_ms beats all three).
  const auto& pol = def.policies;
  req.retry = opts.retry ? *opts.retry : pol.retry ? *pol.retry : m.cfg.retry;
  req.node_timeout_ms = opts.node_timeout_ms ? opts.node_timeout_ms
                        : pol.timeout_ms     ? pol.timeout_ms
                                             : m.cfg.node_timeout_ms;
  req.continue_on_failure = opts.continue_on_failure   ? *opts.continue_on_failure
                            : pol.continue_on_failure ? *pol.continue_on_failure
                                                      : m.cfg.continue_on_failure;
  static_cast<actors::run_options&>(req) = std::move(static_cast<actors::run_options&>(opts));  // as given
  req.prog = *prog;
  req.hint = std::move(hint);
  impl* self = &m;
  req.on_end = [self, nodes] {
    {
      std::lock_guard<std::mutex> g(self->mx);
      --self->active;
      self->pending_nodes -= nodes;
    }
    self->cv.notify_all();
  };
  return run_handle(m.eng->start(std::move(req)));
}

model::expected<workflow> runtime::load_workflow(const std::string& path) {
  auto d = model::load_workflow_file(path);
  if (!d) return d.err();
  return workflow::from_definition(std::move(*d));
}

const model::platform& runtime::platform() const { return *impl_->platform; }
const runtime_config& runtime::config() const { return impl_->cfg; }
std::vector<actors::domain_snapshot> runtime::domain_stats() const { return impl_->eng->snapshot(); }
std::vector<strategies::strategy_switch> runtime::strategy_switches() const {
  return impl_->eng->strategy_switches();
}
std::size_t runtime::replans() const { return impl_->eng->replans(); }
std::shared_ptr<const strategies::perf_model> runtime::perf_models() const {
  return impl_->eng->perf_models();
}
std::size_t runtime::active_runs() const {
  std::lock_guard<std::mutex> g(impl_->mx);
  return impl_->active;
}

}  // namespace causality
