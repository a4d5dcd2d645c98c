#include "causality/actors/dynamic.hpp"

#include <algorithm>
#include <filesystem>

#include "causality/strategies/cost.hpp"

namespace causality::actors {

// ---------------------------------------------------------------- board

std::string dynamic_board::strategy_for(const std::string& preferred) const {
  std::lock_guard<std::mutex> g(mx_);
  return normal_ ? preferred : current_;
}

std::optional<std::string> dynamic_board::override_strategy() const {
  std::lock_guard<std::mutex> g(mx_);
  if (normal_) return std::nullopt;
  return current_;
}

std::shared_ptr<const strategies::perf_model> dynamic_board::perf() const {
  std::lock_guard<std::mutex> g(mx_);
  return perf_;
}

std::vector<strategies::strategy_switch> dynamic_board::switches() const {
  std::lock_guard<std::mutex> g(mx_);
  return switches_;
}

std::size_t dynamic_board::replans() const {
  std::lock_guard<std::mutex> g(mx_);
  return replans_;
}

void dynamic_board::publish(const strategies::adaptive_policy& p,
                            std::shared_ptr<const strategies::perf_model> perf) {
  std::lock_guard<std::mutex> g(mx_);
  bool normal = !p.pinned() && p.regime() == strategies::load_regime::normal;
  if (normal != normal_ || (!normal && current_ != p.current())) version_.fetch_add(1, std::memory_order_release);
  current_ = p.current();
  // Normal regime: each run keeps its own hint's preference.
  normal_ = normal;
  switches_ = p.history();
  if (perf) perf_ = std::move(perf);
}

void dynamic_board::count_replan() {
  std::lock_guard<std::mutex> g(mx_);
  ++replans_;
}

void dynamic_board::preferred(const std::string& strategy) {
  std::lock_guard<std::mutex> g(mx_);
  last_preferred_ = strategy;
}

std::string dynamic_board::last_preferred() const {
  std::lock_guard<std::mutex> g(mx_);
  return last_preferred_;
}

// -------------------------------------------------------------- monitor

namespace {
std::vector<std::uint32_t> slots_of(const model::platform& plat) {
  std::vector<std::uint32_t> s;
  for (const auto& d : plat.domains) s.push_back(d.slots);
  return s;
}
}  // namespace

dynamic_monitor::dynamic_monitor(const model::platform& plat, const dynamic_config& cfg)
    : plat_(plat),
      cfg_(cfg),
      state_(slots_of(plat), cfg.monitor),
      perf_(cfg.perf),
      // Until a run arrives the default is the hint's default; it then
      // follows the preference of the runs arriving (dynamic_board::preferred),
      // and each run keeps its own preference in the normal regime.
      policy_(model::initiation_hint{}.preferred_strategy_id, cfg.adaptive) {}

model::expected<std::unique_ptr<dynamic_monitor>> dynamic_monitor::make(
    const model::platform& plat, const dynamic_config& cfg) {
  std::unique_ptr<dynamic_monitor> m(new dynamic_monitor(plat, cfg));
  if (!cfg.perf_model_file.empty() && std::filesystem::exists(cfg.perf_model_file)) {
    auto loaded = strategies::perf_model::load(cfg.perf_model_file, cfg.perf);
    if (!loaded) return loaded.err();
    m->perf_ = std::move(*loaded);
  }
  return m;
}

void dynamic_monitor::finished(const std::string& node_type, std::size_t domain, double now_ms,
                               double exec_model_ms, double static_ms, double cost) {
  if (domain >= plat_.domains.size()) return;
  state_.record_finish(domain, now_ms, exec_model_ms, static_ms, cost);
  perf_.record(node_type, plat_.domains[domain].name, exec_model_ms, static_ms);
  perf_dirty_ = true;
}

void dynamic_monitor::failed(std::size_t domain, double now_ms) {
  if (domain < plat_.domains.size()) state_.record_fail(domain, now_ms);
}

std::optional<strategies::strategy_switch> dynamic_monitor::tick(
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& levels, double now_ms,
    dynamic_board& board) {
  for (std::size_t d = 0; d < levels.size() && d < state_.size(); ++d)
    state_.set_levels(d, levels[d].first, levels[d].second, now_ms);
  std::optional<strategies::strategy_switch> s;
  auto pref = board.last_preferred();
  if (!pref.empty() && pref != policy_.default_strategy()) policy_.set_default(pref);
  if (cfg_.adaptive_strategy) s = policy_.update(state_.signals(now_ms), now_ms);
  std::shared_ptr<const strategies::perf_model> snap;
  if (cfg_.calibrate && perf_dirty_) {
    snap = std::make_shared<strategies::perf_model>(perf_);
    perf_dirty_ = false;
  }
  board.publish(policy_, std::move(snap));
  return s;
}

// -------------------------------------------------------------- re-planning

run_replanner::run_replanner(std::shared_ptr<const model::dataflow_definition> def,
                             std::shared_ptr<const model::platform> plat,
                             strategies::replan_config cfg,
                             strategies::perf_model::exec_time_fn base)
    : def_(std::move(def)),
      plat_(std::move(plat)),
      policy_(plat_->domains.size(), cfg),
      base_(std::move(base)) {
  std::vector<std::string> names;
  for (auto& d : plat_->domains) names.push_back(d.name);
  policy_.set_domain_names(std::move(names));
}

double run_replanner::base_ms(std::size_t n, std::size_t d) const {
  if (base_)
    if (auto b = base_(n, d)) return *b;
  return strategies::exec_ms(def_->nodes[n], plat_->domains[d]);
}

bool run_replanner::finished(std::size_t n, std::size_t d, double exec_model_ms) {
  if (d >= plat_->domains.size() || n >= def_->nodes.size()) return false;
  policy_.observe(d, exec_model_ms, base_ms(n, d));
  return policy_.due().has_value();
}

model::expected<run_replanner::result> run_replanner::replan(
    const std::vector<strategies::node_progress>& nodes, double now_model_ms,
    const model::initiation_hint& hint, const strategies::strategy_registry& strategies,
    std::optional<std::string> strategy_override) {
  result r;
  r.inputs = policy_.prepare(nodes, now_model_ms);
  auto ctx = r.inputs.context(base_, [this](std::size_t n, std::size_t d) { return base_ms(n, d); });
  ctx.strategy_override = std::move(strategy_override);
  auto p = strategies::make_plan(*def_, *plat_, hint, strategies, ctx);
  if (!p) return p.err();
  r.plan = std::move(*p);
  ++count_;
  return r;
}

// -------------------------------------------------------------- per run

run_dynamic::run_dynamic(std::size_t nodes, std::unique_ptr<run_replanner> replanner)
    : start_(new std::atomic<float>[nodes]),
      domain_(new std::atomic<std::int32_t>[nodes]),
      n_(nodes),
      replanner_(std::move(replanner)) {
  for (std::size_t i = 0; i < nodes; ++i) {
    start_[i].store(-1.f, std::memory_order_relaxed);
    domain_[i].store(-1, std::memory_order_relaxed);
  }
}

void run_dynamic::set_plan(std::shared_ptr<const strategies::plan> p) {
  std::atomic_store(&plan_, std::move(p));
  version_.fetch_add(1, std::memory_order_release);
}

void run_dynamic::started(std::size_t node, std::size_t domain, double start_ms) {
  if (node >= n_) return;
  domain_[node].store(static_cast<std::int32_t>(domain), std::memory_order_relaxed);
  start_[node].store(static_cast<float>(std::max(0.0, start_ms)), std::memory_order_release);
}

void run_dynamic::reset(std::size_t node) {
  if (node < n_) start_[node].store(-1.f, std::memory_order_release);
}

std::vector<strategies::node_progress> run_dynamic::progress(
    const std::vector<bool>& done, const std::vector<bool>& dispatched,
    const std::vector<float>& start_ms, const std::vector<float>& finish_ms,
    const std::vector<std::int16_t>& domain, double time_scale) const {
  using strategies::node_phase;
  double k = time_scale > 0 ? 1.0 / time_scale : 1.0;
  auto current = plan();
  std::vector<strategies::node_progress> out(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    auto& p = out[i];
    if (i < done.size() && done[i]) {
      p.phase = node_phase::done;
      p.domain = static_cast<std::size_t>(std::max<std::int16_t>(domain[i], 0));
      p.start_ms = start_ms[i] * k;
      p.finish_ms = std::max(finish_ms[i] * k, p.start_ms);
    } else if (i < dispatched.size() && dispatched[i]) {
      float s = start_[i].load(std::memory_order_acquire);
      if (s >= 0) {
        p.phase = node_phase::running;
        p.domain = static_cast<std::size_t>(domain_[i].load(std::memory_order_relaxed));
        p.start_ms = s * k;
        p.base_ms = replanner_ ? replanner_->base_ms(i, p.domain) : 0;
      } else {
        p.phase = node_phase::queued;
        p.domain = current ? current->assignments[i].domain : 0;
      }
    }
    if (current && i < current->assignments.size()) p.cost = current->assignments[i].cost;
  }
  return out;
}

}  // namespace causality::actors
