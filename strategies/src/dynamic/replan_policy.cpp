#include "causality/strategies/replan_policy.hpp"

#include <algorithm>
#include <cstdio>

#include "causality/strategies/perf_model.hpp"

namespace causality::strategies {

replan_policy::replan_policy(std::size_t domains, replan_config cfg)
    : cfg_(cfg),
      ratios_(domains),
      applied_(domains, 1.0),
      failed_(domains, false),
      failure_handled_(domains, false) {}

void replan_policy::observe(std::size_t domain, double observed_ms, double base_ms) {
  if (!(base_ms > 0) || !(observed_ms >= 0)) return;
  auto& r = ratios_.at(domain);
  r.push_back(observed_ms / base_ms);
  while (r.size() > std::max<std::size_t>(cfg_.window, 1)) r.pop_front();
}

void replan_policy::domain_failed(std::size_t domain) { failed_.at(domain) = true; }

void replan_policy::set_domain_names(std::vector<std::string> names) { names_ = std::move(names); }

std::string replan_policy::name(std::size_t d) const {
  return d < names_.size() ? "'" + names_[d] + "'" : std::to_string(d);
}

double replan_policy::measured_slowdown(std::size_t domain) const {
  const auto& r = ratios_.at(domain);
  if (r.size() < std::max<std::size_t>(cfg_.min_samples, 1)) return 1.0;
  // The median: one node that was slow for its own reasons does not move it.
  return median_of({r.begin(), r.end()});
}

std::optional<std::string> replan_policy::due() const {
  for (std::size_t d = 0; d < failed_.size(); ++d)
    if (failed_[d] && !failure_handled_[d]) return "domain " + name(d) + " failed";
  for (std::size_t d = 0; d < ratios_.size(); ++d) {
    if (failed_[d]) continue;
    double measured = measured_slowdown(d), change = measured / applied_[d];
    if (change >= cfg_.slowdown_ratio || change <= 1.0 / cfg_.slowdown_ratio) {
      char buf[160];
      std::snprintf(buf, sizeof buf, " runs %.2fx its model (plan assumes %.2fx)", measured, applied_[d]);
      return "domain " + name(d) + buf;
    }
  }
  return std::nullopt;
}

replan_inputs replan_policy::prepare(const std::vector<node_progress>& nodes, double now_ms) {
  replan_inputs in;
  in.reason = due().value_or("no trigger");
  in.now_ms = now_ms;
  std::size_t nd = applied_.size();
  for (std::size_t d = 0; d < nd; ++d) {
    if (failed_[d]) failure_handled_[d] = true;
    else applied_[d] = measured_slowdown(d);
  }
  in.slowdown = applied_;
  in.unavailable.assign(nd, false);
  for (std::size_t d = 0; d < nd; ++d)
    in.unavailable[d] = failed_[d] || (cfg_.exclude_slow_domains && applied_[d] >= cfg_.slowdown_ratio);
  in.fixed.assign(nodes.size(), std::nullopt);
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const auto& p = nodes[n];
    bool lost = p.phase != node_phase::pending && p.domain < nd && failed_[p.domain];
    switch (p.phase) {
      case node_phase::done:
        // A delivered result stays delivered even if its domain failed since.
        in.fixed[n] = assignment{n, p.domain, p.start_ms, p.finish_ms, p.cost};
        break;
      case node_phase::running:
        if (lost) {
          in.rerun.push_back(n);
        } else {
          double finish = std::max(now_ms, p.start_ms + p.base_ms * applied_[p.domain]);
          in.fixed[n] = assignment{n, p.domain, p.start_ms, finish, p.cost};
        }
        break;
      case node_phase::queued:
        in.withdrawn.push_back(n);
        if (lost) in.rerun.push_back(n);
        else in.replanned.push_back(n);
        break;
      case node_phase::pending:
        in.replanned.push_back(n);
        break;
    }
  }
  return in;
}

planner_context replan_inputs::context(
    std::function<std::optional<double>(std::size_t, std::size_t)> base_exec,
    std::function<double(std::size_t, std::size_t)> static_ms) const {
  planner_context ctx;
  ctx.unavailable = unavailable;
  ctx.fixed = fixed;
  ctx.now_ms = now_ms;
  ctx.exec_time_ms = [base = std::move(base_exec), stat = std::move(static_ms),
                      factor = slowdown](std::size_t n, std::size_t d) -> std::optional<double> {
    std::optional<double> b = base ? base(n, d) : std::nullopt;
    double ms = b ? *b : stat(n, d);
    return ms * (d < factor.size() ? factor[d] : 1.0);
  };
  return ctx;
}

result_ledger::result_ledger(std::size_t nodes) : attempts_(nodes, 0), delivered_by_(nodes, 0) {}

std::uint32_t result_ledger::begin_attempt(std::size_t node) { return ++attempts_.at(node); }

bool result_ledger::accept(std::size_t node, std::uint32_t attempt) {
  if (attempt == 0 || attempt > attempts_.at(node)) return false;  // never started: not ours
  if (delivered_by_[node] != 0) {
    ++duplicates_;
    return false;
  }
  delivered_by_[node] = attempt;
  ++delivered_count_;
  return true;
}

}  // namespace causality::strategies
