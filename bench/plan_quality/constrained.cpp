#include "constrained.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "anchors.hpp"
#include "causality/strategies/planner.hpp"
#include "heft.hpp"

namespace causality::bench {
namespace {

/// Ratios ours / anchor and counts for one anchor.
struct tally {
  std::vector<double> ratios;
  int better = 0, equal = 0, worse = 0, anchor_none = 0, ours_refused = 0;
  void add(std::optional<double> ours, std::optional<double> anchor) {
    if (!ours) {
      ++ours_refused;
      return;
    }
    if (!anchor) {
      ++anchor_none;
      return;
    }
    const double r = *ours / std::max(1e-12, *anchor);
    ratios.push_back(r);
    if (r < 1 - 1e-9) ++better;
    else if (r > 1 + 1e-9) ++worse;
    else ++equal;
  }
  nlohmann::json summary() const {
    auto v = ratios;
    std::sort(v.begin(), v.end());
    auto q = [&](double f) { return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(f * (v.size() - 1) + 0.5))]; };
    return {{"compared", v.size()}, {"median", q(0.5)}, {"p90", q(0.9)},
            {"worst", v.empty() ? 0.0 : v.back()}, {"best", v.empty() ? 0.0 : v.front()},
            {"ours_better", better}, {"equal", equal}, {"ours_worse", worse},
            {"anchor_found_none", anchor_none}, {"ours_refused", ours_refused}};
  }
};

nlohmann::json opt(std::optional<double> x) { return x ? nlohmann::json(*x) : nlohmann::json(); }

}  // namespace

int run_constrained(const std::vector<constrained_case>& cases, bool json) {
  strategies::strategy_registry reg;
  reg.add({"latency-only", "weights 0/1/0", 0, 1, 0});
  reg.add({"cost-only", "weights 0/0/1", 0, 0, 1});
  auto plan = [&](const constrained_case& c, const std::string& s, std::optional<std::uint64_t> b,
                  std::optional<std::uint64_t> l) -> std::optional<strategies::plan> {
    model::initiation_hint h;
    h.preferred_strategy_id = s;
    h.cost_budget = b;
    h.max_latency_ms = l;
    auto p = strategies::make_plan(c.def, c.plat, h, reg);
    if (!p) return std::nullopt;
    return *p;
  };
  auto budget_rows = nlohmann::json::array(), deadline_rows = nlohmann::json::array();
  std::map<std::string, tally> tb, td;
  for (const auto& c : cases) {
    const double cmin = cheapest_cost(c.def, c.plat);
    const auto h = heft(c.def, c.plat);
    auto fast = plan(c, "latency-only", std::nullopt, std::nullopt);
    const double cmax = std::max(h.cost, fast ? fast->total_cost : 0.0);
    if (cmax > cmin * 1.01)
      for (double f : {0.05, 0.15, 0.3, 0.5, 0.7, 0.9}) {
        const auto B = static_cast<std::uint64_t>(std::floor(cmin + f * (cmax - cmin)));
        auto ours = plan(c, "latency-only", B, std::nullopt);
        std::optional<double> om;
        if (ours) om = ours->makespan_ms;
        std::map<std::string, std::optional<anchor_result>> a{
            {"hbcs", hbcs(c.def, c.plat, B)}, {"bheft", bheft(c.def, c.plat, B)},
            {"loss", loss(c.def, c.plat, B)}, {"subset_heft", subset_heft(c.def, c.plat, B)}};
        nlohmann::json row{{"workload", c.workload}, {"platform", c.plat.name}, {"budget", B},
                           {"ours", opt(om)}};
        for (const auto& [name, r] : a) {
          std::optional<double> am;
          if (r) am = r->makespan_ms;
          row[name] = opt(am);
          tb[name].add(om, am);
        }
        budget_rows.push_back(row);
      }
    for (double f : {1.25, 2.0, 3.0}) {
      const auto L = static_cast<std::uint64_t>(std::floor(f * h.makespan_ms));
      auto ours = plan(c, "cost-only", std::nullopt, L);
      std::optional<double> oc;
      if (ours) oc = ours->total_cost;
      auto ic = ic_pcp(c.def, c.plat, static_cast<double>(L));
      std::optional<double> ac;
      if (ic) ac = ic->cost;
      td["ic_pcp"].add(oc, ac);
      deadline_rows.push_back({{"workload", c.workload}, {"platform", c.plat.name},
                               {"deadline", L}, {"ours", opt(oc)}, {"ic_pcp", opt(ac)}});
    }
  }
  nlohmann::json sb, sd;
  for (const auto& [k, t] : tb) sb[k] = t.summary();
  for (const auto& [k, t] : td) sd[k] = t.summary();
  if (json) {
    std::cout << nlohmann::json{{"bench", "plan_quality_constrained"},
                                {"budget_rows", budget_rows},
                                {"deadline_rows", deadline_rows},
                                {"budget_summary", sb},
                                {"deadline_summary", sd}}.dump(2)
              << "\n";
    return 0;
  }
  std::printf("(a) makespan_ms at six budgets: ours (weights 0/1/0 + --budget) vs anchors\n");
  std::printf("%-34s %-16s %12s %12s %12s %12s %12s %12s\n", "workload", "platform", "budget",
              "ours", "hbcs", "bheft", "loss", "subset_heft");
  auto cell = [](const nlohmann::json& x) {
    static char buf[32];
    if (x.is_null()) return "-";
    std::snprintf(buf, sizeof buf, "%.1f", x.get<double>());
    return static_cast<const char*>(buf);
  };
  for (const auto& r : budget_rows) {
    std::printf("%-34s %-16s %12llu", r["workload"].get<std::string>().c_str(),
                r["platform"].get<std::string>().c_str(),
                static_cast<unsigned long long>(r["budget"].get<std::uint64_t>()));
    for (const char* k : {"ours", "hbcs", "bheft", "loss", "subset_heft"})
      std::printf(" %12s", cell(r[k]));
    std::printf("\n");
  }
  std::printf("\n(b) total_cost at three deadlines: ours (weights 0/0/1 + --max-latency) vs IC-PCP\n");
  std::printf("%-34s %-16s %12s %12s %12s\n", "workload", "platform", "deadline", "ours", "ic_pcp");
  for (const auto& r : deadline_rows) {
    std::printf("%-34s %-16s %12llu", r["workload"].get<std::string>().c_str(),
                r["platform"].get<std::string>().c_str(),
                static_cast<unsigned long long>(r["deadline"].get<std::uint64_t>()));
    for (const char* k : {"ours", "ic_pcp"}) std::printf(" %12s", cell(r[k]));
    std::printf("\n");
  }
  std::printf("\nsummary: ratio ours / anchor (lower is better for ours)\n");
  for (auto* s : {&sb, &sd})
    for (auto it = s->begin(); it != s->end(); ++it)
      std::printf("  %-12s %s\n", it.key().c_str(), it.value().dump().c_str());
  return 0;
}

}  // namespace causality::bench
