// The front, budget- and deadline-constrained plans, strategy ordering,
// fractional durations and extreme numbers (issue 12), over generated
// workflows and platforms, checked by the independent checker.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"
#include "causality/strategies/cost.hpp"
#include "causality/strategies/planner.hpp"
#include "checker.hpp"
#include "gen.hpp"

using namespace causality;

namespace {

/// Generated workflow with fractional durations (seeded).
model::dataflow_definition fractional(std::uint32_t seed, std::size_t n) {
  auto def = test::random_workflow(seed, n);
  for (std::size_t v = 0; v < def.nodes.size(); ++v)
    def.nodes[v].resources.cpu_time_ms += 0.125 + 0.001 * static_cast<double>((v * 37 + seed) % 997);
  return def;
}

model::initiation_hint hint_for(const std::string& s) {
  model::initiation_hint h;
  h.preferred_strategy_id = s;
  return h;
}

std::string lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

}  // namespace

TEST_CASE("every front point is feasible; the front is sorted and non-dominated",
          "[planner][front][property]") {
  const std::uint32_t seed = GENERATE(range(300u, 330u));
  const auto def = fractional(seed, 8 + seed % 40);
  const auto plat = test::random_platform(seed);
  INFO("seed " << seed << " domains " << plat.domains.size());
  auto front = strategies::pareto_front(def, plat, {});
  REQUIRE(front);
  REQUIRE_FALSE(front->empty());
  for (std::size_t i = 0; i < front->size(); ++i) {
    const auto& p = (*front)[i];
    const auto bad = test::check_plan(def, plat, {}, p);
    INFO("point " << i << " " << p.method << ": " << lines(bad));
    CHECK(bad.empty());
    if (i) {
      const auto& q = (*front)[i - 1];
      CHECK(p.total_cost > q.total_cost);    // sorted by cost ascending, no duplicates
      CHECK(p.makespan_ms < q.makespan_ms);  // so none dominates another
    }
  }
  // From the cheapest plan: its cost is the exact minimum.
  double cmin = 0;
  for (const auto& n : def.nodes) {
    double m = 1e300;
    for (const auto& d : plat.domains)
      if (strategies::placement_violation(n, d, def).empty()) m = std::min(m, test::formats_cost(n, d));
    cmin += m;
  }
  CHECK(front->front().total_cost == Approx(cmin).epsilon(1e-9));
  // ... to the fastest: no strategy plan is faster than the front's end.
  auto lat = strategies::make_plan(def, plat, hint_for("latency"), {});
  REQUIRE(lat);
  CHECK(front->back().makespan_ms <= lat->makespan_ms * (1 + 1e-9));
  // Dense where the trade-off is steep.
  const auto &a = front->front(), &z = front->back();
  if (a.makespan_ms > 2 * z.makespan_ms && z.total_cost > 2 * a.total_cost)
    CHECK(front->size() >= 8);
}

TEST_CASE("budget and deadline plans keep their limit or are refused with the reason",
          "[planner][front][property]") {
  const std::uint32_t seed = GENERATE(range(400u, 420u));
  const auto def = fractional(seed, 10 + seed % 30);
  const auto plat = test::random_platform(seed);
  strategies::strategy_registry reg;
  REQUIRE_FALSE(reg.add({"fast", "", 0, 1, 0}));
  auto front = strategies::pareto_front(def, plat, {});
  REQUIRE(front);
  const double cmin = front->front().total_cost, cmax = front->back().total_cost;
  const double mfast = front->back().makespan_ms, mslow = front->front().makespan_ms;
  INFO("seed " << seed);
  for (double f : {0.0, 0.3, 0.7, 1.0}) {
    auto h = hint_for("fast");
    h.cost_budget = static_cast<std::uint64_t>(std::ceil(cmin + f * (cmax - cmin)));
    auto p = strategies::make_plan(def, plat, h, reg);
    REQUIRE(p);  // at least the cheapest plan is within it
    CHECK(p->total_cost <= static_cast<double>(*h.cost_budget) + 1e-6);
    CHECK(test::check_plan(def, plat, h, *p).empty());
    // The fastest within B is at least as fast as every front point within B.
    for (const auto& q : *front)
      if (q.total_cost <= static_cast<double>(*h.cost_budget))
        CHECK(p->makespan_ms <= q.makespan_ms * (1 + 1e-9));
  }
  for (double f : {0.0, 0.5, 1.0}) {
    auto h = hint_for("balanced");
    h.max_latency_ms = static_cast<std::uint64_t>(std::ceil(mfast + f * (mslow - mfast)));
    auto p = strategies::make_plan(def, plat, h, {});
    REQUIRE(p);
    CHECK(p->makespan_ms <= static_cast<double>(*h.max_latency_ms) + 1e-6);
    CHECK(test::check_plan(def, plat, h, *p).empty());
    for (const auto& q : *front)  // the cheapest within L
      if (q.makespan_ms <= static_cast<double>(*h.max_latency_ms)) {
        INFO(p->method << " vs front " << q.method << " at L " << *h.max_latency_ms);
        CHECK(p->total_cost <= q.total_cost + 1e-6);
      }
  }
  if (cmin >= 2) {
    auto h = hint_for("fast");
    h.cost_budget = static_cast<std::uint64_t>(cmin / 2);
    auto p = strategies::make_plan(def, plat, h, reg);
    REQUIRE_FALSE(p);
    CHECK(p.err().path == "/cost_budget");
    CHECK(p.err().reason.find("over by") != std::string::npos);
  }
  if (mfast >= 4) {
    auto h = hint_for("fast");
    h.max_latency_ms = static_cast<std::uint64_t>(mfast / 2);
    auto p = strategies::make_plan(def, plat, h, reg);
    REQUIRE_FALSE(p);
    CHECK(p.err().path == "/max_latency_ms");
    CHECK(p.err().reason.find("over by") != std::string::npos);
  }
}

TEST_CASE("strategies keep their order on the front", "[planner][front][property]") {
  const std::uint32_t seed = GENERATE(range(500u, 530u));
  const auto def = fractional(seed, 8 + seed % 50);
  const auto plat = test::random_platform(seed);
  std::map<std::string, strategies::plan> p;
  for (const char* s : {"latency", "balanced", "cost-minimization", "capital-efficiency"}) {
    auto x = strategies::make_plan(def, plat, hint_for(s), {});
    REQUIRE(x);
    CHECK(test::check_plan(def, plat, hint_for(s), *x).empty());
    p.emplace(s, *x);
  }
  auto front = strategies::pareto_front(def, plat, {});
  REQUIRE(front);
  INFO("seed " << seed);
  const auto &l = p["latency"], &b = p["balanced"], &c = p["cost-minimization"];
  // Latency: the fastest front point within 1.03 (its stretch cap).
  CHECK(l.makespan_ms <= front->back().makespan_ms * 1.03 * (1 + 1e-9));
  // Balanced between latency and cost-minimization on both axes.
  CHECK(b.makespan_ms >= l.makespan_ms * (1 - 1e-9));
  CHECK(b.makespan_ms <= c.makespan_ms * (1 + 1e-9));
  CHECK(b.total_cost <= l.total_cost * (1 + 1e-9));
  CHECK(b.total_cost >= c.total_cost * (1 - 1e-9));
  // Cost-minimization: <= 0.5 x the latency plan's cost within 3 x its
  // makespan wherever the front has such a point; never beyond 3 x the fastest.
  CHECK(c.makespan_ms <= 3 * front->back().makespan_ms * (1 + 1e-9));
  bool exists = false;
  for (const auto& q : *front)
    exists = exists || (q.total_cost <= 0.5 * l.total_cost && q.makespan_ms <= 3 * l.makespan_ms);
  if (exists) {
    CHECK(c.total_cost <= 0.5 * l.total_cost * (1 + 1e-9));
    CHECK(c.makespan_ms <= 3 * l.makespan_ms * (1 + 1e-9));
  }
}

TEST_CASE("fractional durations stay exact from load through plan to JSON", "[planner][front]") {
  const nlohmann::json wf = {
      {"definition_id", "frac"},
      {"name", "frac"},
      {"nodes",
       {{{"node_id", "a"}, {"resources", {{"cpu_time_ms", 821.9}}}},
        {{"node_id", "b"}, {"resources", {{"cpu_time_ms", 0.0375}}}}}},
      {"edges", {{{"edge_id", "e"}, {"source_node", "a"}, {"target_node", "b"}}}}};
  auto def = model::definition_from_json(wf, "frac.json");
  INFO((def ? "" : def.err().message()));
  REQUIRE(def);
  REQUIRE_FALSE(model::validate_definition(*def, "frac.json"));
  CHECK(def->nodes[0].resources.cpu_time_ms == 821.9);
  model::platform plat;
  plat.name = "one";
  model::domain_spec d;
  d.name = "d";
  d.speed = 1.0;
  plat.domains = {d};
  auto p = strategies::make_plan(*def, plat, hint_for("latency"), {});
  REQUIRE(p);
  CHECK(p->assignments[0].finish_ms - p->assignments[0].start_ms == 821.9);
  CHECK(p->assignments[1].finish_ms == p->assignments[1].start_ms + 0.0375);  // start 821.9
  CHECK(p->total_cost == 2 * (100 + 10 * 1));  // units = ceil(ms / 1000), at least 1
  CHECK(test::check_plan(*def, plat, hint_for("latency"), *p).empty());
  auto j = nlohmann::json::parse(strategies::plan_to_json(*p, *def, plat).dump());
  CHECK(j["assignments"][0]["finish_ms"].get<double>() -
            j["assignments"][0]["start_ms"].get<double>() == 821.9);
  CHECK(j["makespan_ms"].get<double>() == p->makespan_ms);
  // WfCommons runtimes are not rounded either.
  const nlohmann::json wfc = {
      {"name", "w"},
      {"workflow",
       {{"specification",
         {{"tasks", {{{"id", "t"}, {"name", "t"}, {"parents", nlohmann::json::array()},
                      {"children", nlohmann::json::array()}}}},
          {"files", nlohmann::json::array()}}},
        {"execution", {{"tasks", {{{"id", "t"}, {"runtimeInSeconds", 0.928728}}}}}}}}};
  auto w = model::wfcommons_from_json(wfc, "w.json");
  REQUIRE(w);
  CHECK(w->nodes[0].resources.cpu_time_ms == Approx(928.728).epsilon(1e-15));
  auto pw = strategies::make_plan(*w, plat, hint_for("latency"), {});
  REQUIRE(pw);
  CHECK(pw->makespan_ms == w->nodes[0].resources.cpu_time_ms);
}

TEST_CASE("extreme finite numbers plan or are refused with one line, never crash",
          "[planner][front]") {
  auto def = test::random_workflow(7, 12);
  const auto plat = test::random_platform(7);
  SECTION("complexity 1e308") {
    def.nodes[3].complexity = 1e308;
    auto p = strategies::make_plan(def, plat, hint_for("balanced"), {});
    REQUIRE_FALSE(p);
    CHECK(p.err().path == "/nodes/3/complexity");
    CHECK(p.err().message().find('\n') == std::string::npos);
    auto f = strategies::pareto_front(def, plat, {});
    REQUIRE_FALSE(f);
  }
  SECTION("cpu_time_ms 1e305") {
    def.nodes[2].resources.cpu_time_ms = 1e305;
    auto p = strategies::make_plan(def, plat, hint_for("latency"), {});
    if (!p) CHECK(p.err().message().find('\n') == std::string::npos);
    else CHECK(std::isfinite(p->makespan_ms));
  }
  SECTION("weights 1e200 and 1e-300") {
    for (auto w : {std::array<double, 3>{0, 1e200, 1}, {1e200, 1e200, 1e200},
                   {1e-300, 0, 1e-300}, {0, 1e308, 1e308}}) {
      strategies::strategy_registry reg;
      REQUIRE_FALSE(reg.add({"huge", "", w[0], w[1], w[2]}));
      auto p = strategies::make_plan(def, plat, hint_for("huge"), reg);
      REQUIRE(p);
      CHECK(test::check_plan(def, plat, hint_for("huge"), *p).empty());
    }
  }
}
