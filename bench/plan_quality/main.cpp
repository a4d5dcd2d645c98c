// bench_plan_quality: every workload x platform x strategy (the four
// built-ins and latency-only weights 0/1/0) against classic HEFT and the
// lower bound: makespan, cost, SLR (makespan / lower bound), ratio to HEFT,
// then the targets with PASS/FAIL. `--json` prints JSON instead.
// Instances: the shared workloads on every given platform and on a
// tiny-cheapest one, `--generated N` random DAGs on random platforms (default
// 20) and `--taskbench N` Task Bench patterns (default 16) on random,
// tiny-cheapest and the given platforms. Defaults for the shared files:
// examples/workloads/{wfcommons,platforms}/*.json; override with
// --workflow FILE / --platform FILE (repeatable).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/strategies/planner.hpp"
#include "constrained.hpp"
#include "generate.hpp"
#include "heft.hpp"

using namespace causality;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct row {
  std::string workload, platform, plan;
  double makespan = 0, cost = 0, slr = 0, vs_heft = 0;
  double idle_h = 0;
  std::size_t domains = 0;
};

/// Do the platform's domains differ in price? (cost targets apply there)
bool priced_differently(const model::platform& p) {
  for (const auto& d : p.domains)
    if (d.cost.base_cost != p.domains[0].cost.base_cost ||
        d.cost.resource_cost_per_unit != p.domains[0].cost.resource_cost_per_unit ||
        d.cost.domain_cost_factor != p.domains[0].cost.domain_cost_factor)
      return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::size_t generated = 20, taskbench = 16;
  long constrained = -1;
  std::vector<std::string> wfs, plats;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--workflow") == 0 && i + 1 < argc) wfs.push_back(argv[++i]);
    else if (std::strcmp(argv[i], "--platform") == 0 && i + 1 < argc) plats.push_back(argv[++i]);
    else if (std::strcmp(argv[i], "--generated") == 0 && i + 1 < argc)
      generated = std::stoul(argv[++i]);
    else if (std::strcmp(argv[i], "--taskbench") == 0 && i + 1 < argc)
      taskbench = std::stoul(argv[++i]);
    else if (std::strcmp(argv[i], "--constrained") == 0 && i + 1 < argc)
      constrained = std::stol(argv[++i]);
    else {
      std::cerr << "usage: bench_plan_quality [--json] [--workflow FILE]... [--platform FILE]... "
                   "[--generated N] [--taskbench N] [--constrained N]\n";
      return 2;
    }
  }
  const std::string shared = CAUSALITY_SHARED_DIR;
  if (wfs.empty()) wfs = json_files(shared + "/workloads/wfcommons");
  if (plats.empty()) plats = json_files(shared + "/workloads/platforms");

  if (constrained >= 0) {
    // Shared workflows on the given platforms and on a tiny-cheapest one,
    // then N generated instances (random DAGs and the Task Bench patterns,
    // fractional durations) on random, tiny-cheapest and the given platforms.
    std::mt19937 g(4242);
    std::vector<bench::constrained_case> cc;
    std::vector<model::platform> given;
    for (const auto& pf : plats) {
      auto plat = model::load_platform_file(pf);
      if (!plat) {
        std::cerr << plat.err().message() << "\n";
        return 1;
      }
      given.push_back(*plat);
    }
    auto tiny = bench::tiny_cheap_platform(g);
    for (const auto& wf : wfs) {
      auto def = model::load_workflow_file(wf);
      if (!def) {
        std::cerr << def.err().message() << "\n";
        return 1;
      }
      for (const auto& p : given) cc.push_back({fs::path(wf).stem().string(), *def, p});
      cc.push_back({fs::path(wf).stem().string(), *def, tiny});
    }
    static const char* patterns[] = {"random", "stencil", "fft", "tree", "all-to-all",
                                     "nearest", "spread", "random-nearest"};
    for (long i = 0; i < constrained; ++i) {
      auto def = bench::task_bench(g, patterns[i % 8], 4 + g() % 7, 4 + g() % 5);
      model::platform p;
      switch (i % 3) {
        case 0: p = bench::generated_platform(g); p.name = "gen-platform-" + std::to_string(i); break;
        case 1: p = bench::tiny_cheap_platform(g); p.name += "-" + std::to_string(i); break;
        default: p = given.empty() ? bench::generated_platform(g) : given[i % given.size()];
      }
      cc.push_back({def.name, std::move(def), std::move(p)});
    }
    if (const char* dir = std::getenv("BENCH_DUMP_DIR"))  // instances as files, for `causality plan`
      for (std::size_t k = 0; k < cc.size(); ++k) {
        std::ofstream(std::string(dir) + "/" + std::to_string(k) + "-wf.json")
            << model::definition_to_json(cc[k].def).dump();
        std::ofstream(std::string(dir) + "/" + std::to_string(k) + "-plat.json")
            << model::platform_to_json(cc[k].plat).dump();
      }
    return bench::run_constrained(cc, json);
  }

  strategies::strategy_registry reg;
  reg.add({"latency-only", "weights 0/1/0", 0, 1, 0});
  const std::vector<std::string> names = {"latency-only", "latency", "balanced",
                                          "cost-minimization", "capital-efficiency"};
  std::vector<row> rows;
  // Target bookkeeping.
  int lo_rows = 0, lo_le = 0, lo_lt = 0, lat_rows = 0, lat_ok = 0, cm_rows = 0, cm_ok = 0,
      bal_rows = 0, bal_ok = 0;
  double lo_ratio_sum = 0, lat_worst = 0;
  std::map<std::string, std::pair<double, int>> lo_kind;  // latency-only / HEFT per kind
  int ce_rows = 0, ce_differs = 0, ce_leaner = 0;
  // Four distinct points where the front has >= 4 points, per kind.
  std::map<std::string, std::array<int, 4>> four;  // rows, four distinct, balanced inside, front < 4
  auto distinct_json = nlohmann::json::array();
  std::vector<std::string> misses;

  struct instance {
    std::string name;
    std::string kind;  ///< shared, generated, taskbench
    model::dataflow_definition def;
    model::platform plat;
  };
  std::vector<instance> cases;
  {
    std::vector<model::platform> given;
    for (const auto& pf : plats) {
      auto plat = model::load_platform_file(pf);
      if (!plat) {
        std::cerr << plat.err().message() << "\n";
        return 1;
      }
      given.push_back(*plat);
    }
    std::mt19937 tg(4242);
    auto tiny = bench::tiny_cheap_platform(tg);
    given.push_back(tiny);
    for (const auto& wf : wfs) {
      auto def = model::load_workflow_file(wf);
      if (!def) {
        std::cerr << def.err().message() << "\n";
        return 1;
      }
      for (const auto& p : given) cases.push_back({fs::path(wf).stem().string(), "shared", *def, p});
    }
    // Unseen instances: random DAGs on random heterogeneous platforms.
    std::mt19937 g(12345);
    for (std::size_t i = 0; i < generated; ++i) {
      auto plat = bench::generated_platform(g);
      plat.name = "gen-platform-" + std::to_string(i);
      auto def = bench::generated_workflow(g, 20 + g() % 180);
      cases.push_back({"generated-" + std::to_string(i), "generated", std::move(def), std::move(plat)});
    }
    // Task Bench patterns (fractional durations) on random, tiny-cheapest
    // and the given platforms in turn.
    static const char* patterns[] = {"stencil", "fft", "tree", "all-to-all", "nearest", "spread",
                                     "random-nearest", "random"};
    std::mt19937 pg(777);
    for (std::size_t i = 0; i < taskbench; ++i) {
      auto def = bench::task_bench(pg, patterns[i % 8], 4 + pg() % 9, 4 + pg() % 7);
      model::platform p;
      switch (i % 3) {
        case 0: p = bench::generated_platform(pg); p.name = "gen-platform-tb" + std::to_string(i); break;
        case 1: p = bench::tiny_cheap_platform(pg); p.name += "-tb" + std::to_string(i); break;
        default: p = given[i % given.size()];
      }
      cases.push_back({def.name + "-" + std::to_string(i), "taskbench", std::move(def), std::move(p)});
    }
  }
  for (auto& c : cases) {
    {
      const std::string wname = c.name;
      const model::dataflow_definition* def = &c.def;
      const model::platform* plat = &c.plat;
      const double lb = bench::lower_bound_ms(*def, *plat);
      const auto h = bench::heft(*def, *plat);
      rows.push_back({wname, plat->name, "HEFT", h.makespan_ms, h.cost, h.makespan_ms / lb, 1.0});
      std::map<std::string, row> by;
      for (const auto& s : names) {
        model::initiation_hint hint;
        hint.preferred_strategy_id = s;
        auto p = strategies::make_plan(*def, *plat, hint, reg);
        if (!p) {
          std::cerr << wname << " on " << plat->name << " (" << s << "): " << p.err().message()
                    << "\n";
          return 1;
        }
        row r{wname, plat->name, s, p->makespan_ms, p->total_cost, p->makespan_ms / lb,
              p->makespan_ms / h.makespan_ms, p->idle_slot_ms / 3.6e6, p->domains_used};
        rows.push_back(r);
        by[s] = r;
      }
      const std::string where = wname + " on " + plat->name;
      ++lo_rows;
      lo_ratio_sum += by["latency-only"].vs_heft;
      lo_kind[c.kind].first += by["latency-only"].vs_heft;
      ++lo_kind[c.kind].second;
      if (h.makespan_ms > lb * (1 + 1e-4)) {  // HEFT above the lower bound: room to beat it
        lo_kind["HEFT above the lower bound"].first += by["latency-only"].vs_heft;
        ++lo_kind["HEFT above the lower bound"].second;
      }
      if (by["latency-only"].makespan <= h.makespan_ms * (1 + 1e-9)) ++lo_le;
      else misses.push_back("latency-only above HEFT: " + where);
      if (by["latency-only"].makespan < h.makespan_ms * (1 - 1e-9)) ++lo_lt;
      ++lat_rows;
      lat_worst = std::max(lat_worst, by["latency"].vs_heft);
      if (by["latency"].vs_heft <= 1.05) ++lat_ok;
      else misses.push_back("latency strategy > 1.05 x HEFT: " + where);
      // Applies where the front has a plan at <= 0.5 x the latency plan's
      // cost within 3 x its makespan.
      const auto &cmin = by["cost-minimization"], &lat = by["latency"];
      auto front = strategies::pareto_front(*def, *plat, {});
      bool exists = false;
      if (front)
        for (const auto& q : *front)
          exists = exists || (q.total_cost <= 0.5 * lat.cost && q.makespan_ms <= 3 * lat.makespan);
      if (exists && priced_differently(*plat)) {
        ++cm_rows;
        if (cmin.cost <= 0.5 * lat.cost * (1 + 1e-9) && cmin.makespan <= 3 * lat.makespan * (1 + 1e-9)) ++cm_ok;
        else
          misses.push_back("cost-minimization not <= 0.5 x cost at <= 3 x makespan: " + where + " (latency " +
                           std::to_string(lat.makespan) + " ms " + std::to_string(lat.cost) + ", cost-minimization " +
                           std::to_string(cmin.makespan) + " ms " + std::to_string(cmin.cost) + ")");
      }
      {
        const auto &l4 = by["latency"], &b4 = by["balanced"], &c4 = by["cost-minimization"],
                   &k4 = by["capital-efficiency"];
        auto same = [](const row& a, const row& b) {
          return std::abs(a.makespan - b.makespan) <= 1e-9 * std::max(1.0, a.makespan) &&
                 std::abs(a.cost - b.cost) <= 1e-9 * std::max(1.0, a.cost);
        };
        const row* q[] = {&l4, &b4, &c4, &k4};
        bool all_distinct = true;
        for (int i = 0; i < 4; ++i)
          for (int j = i + 1; j < 4; ++j) all_distinct = all_distinct && !same(*q[i], *q[j]);
        const bool inside = b4.makespan > l4.makespan && b4.makespan < c4.makespan && b4.cost < l4.cost &&
                            b4.cost > c4.cost;
        const std::size_t fs = front ? front->size() : 0;
        for (const auto& k : {c.kind, std::string("all")}) {
          auto& f = four[k];
          if (fs >= 4) {
            ++f[0];
            f[1] += all_distinct;
            f[2] += inside;
          } else {
            ++f[3];
          }
        }
        if (fs >= 4 && !all_distinct) misses.push_back("fewer than four distinct plans (front " + std::to_string(fs) + "): " + where);
        if (fs >= 4 && !inside) misses.push_back("balanced not strictly inside (front " + std::to_string(fs) + "): " + where);
        distinct_json.push_back({{"workload", wname}, {"platform", plat->name}, {"kind", c.kind},
                                 {"front_points", fs}, {"four_distinct", all_distinct},
                                 {"balanced_inside", inside}});
      }
      {
        const auto &ce = by["capital-efficiency"], &ba = by["balanced"];
        if (ce.makespan != ba.makespan || ce.cost != ba.cost) ++ce_differs;
        if (ce.idle_h < ba.idle_h * (1 - 1e-9) || ce.domains < ba.domains) ++ce_leaner;
        ++ce_rows;
      }
      ++bal_rows;
      const auto &b = by["balanced"], &l = by["latency"], &c = by["cost-minimization"];
      auto between = [](double x, double a, double z) {
        return x >= std::min(a, z) * (1 - 1e-9) && x <= std::max(a, z) * (1 + 1e-9);
      };
      if (between(b.makespan, l.makespan, c.makespan) && between(b.cost, l.cost, c.cost)) ++bal_ok;
      else misses.push_back("balanced not between latency and cost-minimization: " + where);
    }
  }
  const double lo_mean = lo_rows ? lo_ratio_sum / lo_rows : 1;
  nlohmann::json targets = {
      {"latency_only_le_heft", {{"rows", lo_rows}, {"ok", lo_le}, {"strictly_lower", lo_lt},
                                {"mean_ratio", lo_mean}, {"pass", lo_le == lo_rows && lo_mean <= 0.96}}},
      {"latency_within_5pct_of_heft",
       {{"rows", lat_rows}, {"ok", lat_ok}, {"worst_ratio", lat_worst}, {"pass", lat_ok == lat_rows}}},
      {"cost_half_at_3x_makespan",
       {{"rows", cm_rows}, {"ok", cm_ok}, {"pass", cm_ok == cm_rows}}},
      {"balanced_between", {{"rows", bal_rows}, {"ok", bal_ok}, {"pass", bal_ok == bal_rows}}},
      {"capital_efficiency_vs_balanced",
       {{"rows", ce_rows}, {"differs", ce_differs}, {"fewer_idle_or_domains", ce_leaner}}}};
  for (const auto& [k, v] : lo_kind) targets["latency_only_le_heft"]["mean_ratio_" + k] = v.first / v.second;
  for (const auto& [k, f] : four)
    targets["four_distinct_points"][k] = {{"front_ge_4", f[0]}, {"four_distinct", f[1]}, {"balanced_inside", f[2]},
                                          {"front_lt_4", f[3]}, {"share", f[0] ? double(f[1]) / f[0] : 0.0}};
  const auto& fa = four["all"];
  targets["four_distinct_points"]["pass"] = fa[0] > 0 && fa[1] >= 0.8 * fa[0];
  if (json) {
    auto arr = nlohmann::json::array();
    for (const auto& r : rows)
      arr.push_back({{"workload", r.workload}, {"platform", r.platform}, {"plan", r.plan},
                     {"makespan_ms", r.makespan}, {"cost", r.cost}, {"slr", r.slr},
                     {"vs_heft", r.vs_heft}});
    std::cout << nlohmann::json{{"bench", "plan_quality"}, {"rows", arr}, {"targets", targets},
                                {"instances", distinct_json},
                                {"misses", misses}}.dump(2)
              << "\n";
    return 0;
  }
  std::printf("%-44s %-14s %-19s %13s %11s %6s %8s\n", "workload", "platform", "plan",
              "makespan_ms", "cost", "SLR", "vs HEFT");
  for (const auto& r : rows)
    std::printf("%-44s %-14s %-19s %13.1f %11.1f %6.3f %8.4f\n", r.workload.c_str(),
                r.platform.c_str(), r.plan.c_str(), r.makespan, r.cost, r.slr, r.vs_heft);
  std::printf("\ntargets\n");
  std::printf("  four strategies, four different plans where the front has >= 4 points (target 80 %%):\n");
  for (const auto& [k, f] : four)
    std::printf("    %-10s %3d/%3d pairs four distinct (%.0f %%), balanced strictly inside on %d; %d pairs with a "
                "front < 4\n", k.c_str(), f[1], f[0], f[0] ? 100.0 * f[1] / f[0] : 0.0, f[2], f[3]);
  std::printf("    %s\n", targets["four_distinct_points"]["pass"].get<bool>() ? "PASS" : "FAIL");
  std::printf("  latency-only <= HEFT everywhere, mean <= 0.96: %d/%d rows, %d strictly lower, "
              "mean ratio %.4f  %s\n", lo_le, lo_rows, lo_lt, lo_mean,
              targets["latency_only_le_heft"]["pass"].get<bool>() ? "PASS" : "FAIL");
  for (const auto& [k, v] : lo_kind)
    std::printf("    latency-only / HEFT, %-26s %2d rows, mean %.4f\n", k.c_str(), v.second, v.first / v.second);
  std::printf("  latency strategy within 5%% of HEFT: %d/%d rows, worst ratio %.4f  %s\n", lat_ok,
              lat_rows, lat_worst,
              targets["latency_within_5pct_of_heft"]["pass"].get<bool>() ? "PASS" : "FAIL");
  std::printf("  cost-minimization <= 0.5 x latency cost at <= 3 x makespan where the front has "
              "such a plan: %d/%d  %s\n", cm_ok, cm_rows,
              targets["cost_half_at_3x_makespan"]["pass"].get<bool>() ? "PASS" : "FAIL");
  std::printf("  balanced between latency and cost-minimization on both axes: %d/%d  %s\n", bal_ok,
              bal_rows, targets["balanced_between"]["pass"].get<bool>() ? "PASS" : "FAIL");
  std::printf("  capital-efficiency differs from balanced on %d/%d rows, fewer idle slot-hours "
              "or domains on %d (informative)\n", ce_differs, ce_rows, ce_leaner);
  for (const auto& m : misses) std::printf("  miss: %s\n", m.c_str());
  return 0;
}
