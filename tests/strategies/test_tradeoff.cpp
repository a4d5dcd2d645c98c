// The one trade-off formula (strategies/tradeoff.hpp, docs/planner.md "The
// trade-off"): the planner's choice and the balancer's rank any candidates
// the same way; the four built-ins give the four named points; user weights
// move the choice monotonically along the front.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

#include "causality/strategies/balance_choice.hpp"
#include "causality/strategies/planner.hpp"
#include "causality/strategies/tradeoff.hpp"

using namespace causality;
using namespace causality::strategies;

namespace {

const char* builtins[] = {"latency", "balanced", "cost-minimization", "capital-efficiency"};

/// Random candidates: times and costs spread over two orders of magnitude,
/// some repeated exactly (ties), fractional.
std::vector<tradeoff_point> candidates(std::mt19937& g, std::size_t n, double spread) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<tradeoff_point> pts;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && u(g) < 0.15) {
      pts.push_back(pts[g() % pts.size()]);
      continue;
    }
    pts.push_back({0.37 * (1 + spread * std::pow(u(g), 2)), 1.5 + 300 * u(g), 0});
  }
  return pts;
}

/// The balancer's decision for a node whose planned domain (candidate 0) is
/// saturated and whose other candidates have a free slot, each domain built
/// so that its predicted completion and relative cost are the candidate's.
std::size_t balancer_pick(const tradeoff_weights& w, const std::vector<tradeoff_point>& pts) {
  model::platform plat;
  std::vector<domain_occupancy> eligible;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    model::domain_spec d;
    d.name = "d" + std::to_string(i);
    d.slots = 1;
    // Saturated planned domain: completion (1 + 1/slots) / speed = 2 / speed.
    d.speed = (i == 0 ? 2.0 : 1.0) / pts[i].time;
    d.cost.domain_cost_factor = pts[i].cost;  // relative cost = ratio of factors
    plat.domains.push_back(d);
    eligible.push_back({i, 1, i == 0 ? 1 : 0, 0, 0});
  }
  model::dataflow_node n;
  n.resources.cpu_time_ms = 1000;
  std::vector<domain_load> scratch;
  return choose_domain(balancer_policy::plan_first(), n, plat, 0, w.latency, w.cost, eligible, scratch).domain;
}

/// Weights: a built-in or random user weights at a random priority.
tradeoff_weights weights_for(std::mt19937& g, int which, std::string& name) {
  strategy_registry reg;
  const std::uint32_t prio = g() % 101;
  if (which < 4) {
    name = builtins[which];
    return effective_weights(*reg.find(name), which % 2 ? 50 : prio);
  }
  std::uniform_real_distribution<double> u(0.0, 1.0);
  model::optimization_strategy s{"user", "", u(g), u(g), u(g)};
  if (g() % 5 == 0) s.latency_weight = 0;
  if (g() % 5 == 0) s.cost_weight = 0;
  name = "user P/L/C " + std::to_string(s.priority_weight) + "/" + std::to_string(s.latency_weight) + "/" +
         std::to_string(s.cost_weight) + " priority " + std::to_string(prio);
  return effective_weights(s, prio);
}

}  // namespace

TEST_CASE("planner's choice and balancer's choice rank any candidates the same way", "[tradeoff][property]") {
  std::mt19937 g(2101);
  for (int trial = 0; trial < 400; ++trial) {
    std::string name;
    const auto w = weights_for(g, trial % 8, name);
    // Half the sets within 3x of the fastest (the plan-level stretch binds
    // nothing), half over two orders of magnitude: per node the balancer
    // lifts the stretch, as the planner's linear tier does.
    const bool narrow = trial % 2 == 0;
    const auto pts = candidates(g, 2 + g() % 7, narrow ? 1.99 : 300);
    auto per_node = w;
    per_node.stretch = std::numeric_limits<double>::infinity();
    const auto& ref = narrow ? w : per_node;
    INFO("trial " << trial << " " << name << " shares " << w.latency << " : " << w.cost);
    // The whole set.
    CHECK(balancer_pick(w, pts) == choose_tradeoff(ref, pts).index);
    // Every pair, both orders.
    for (std::size_t i = 0; i < pts.size(); ++i)
      for (std::size_t j = 0; j < pts.size(); ++j) {
        if (i == j) continue;
        const std::vector<tradeoff_point> two = {pts[i], pts[j]};
        INFO("pair (" << pts[i].time << ", " << pts[i].cost << ") vs (" << pts[j].time << ", " << pts[j].cost << ")");
        CHECK(balancer_pick(w, two) == choose_tradeoff(ref, two).index);
      }
  }
}

TEST_CASE("effective weights: the built-ins are one-sided, equal or efficiency-led", "[tradeoff]") {
  strategy_registry reg;
  auto w = [&](const char* s, std::uint32_t prio = 50) { return effective_weights(*reg.find(s), prio); };
  CHECK(w("latency").latency == 1.0);
  CHECK(w("latency").cost == 0.0);
  CHECK(w("cost-minimization").cost == 1.0);
  CHECK(w("balanced").latency == w("balanced").cost);
  CHECK_FALSE(w("balanced").efficiency);
  CHECK(w("capital-efficiency").efficiency);
  CHECK(w("capital-efficiency").cost > 0.5);  // L:C = 3:5 leans to cost
  CHECK(w("capital-efficiency").cost < 1.0);
  CHECK(w("capital-efficiency").window == Approx(0.25 * (0.8 - 0.5) / 0.5));
  // Priority above 50 turns the priority weight into urgency.
  CHECK(w("balanced", 100).latency > w("balanced", 50).latency);
  CHECK_FALSE(w("capital-efficiency", 100).efficiency);
  // Huge weights keep their ratios; the stretch is a parameter.
  const auto big = effective_weights({"big", "", 0, 1e300, 1e300}, 50, 2.0);
  CHECK(big.latency == Approx(0.5));
  CHECK(big.stretch == 2.0);
}

TEST_CASE("the four built-ins give the four named points of a generated front", "[tradeoff][property]") {
  std::mt19937 g(77);
  strategy_registry reg;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 300; ++trial) {
    // A front of n points (convex, concave or mixed), plus dominated points,
    // each with an idle slot time.
    const std::size_t n = 1 + g() % 12;
    std::vector<tradeoff_point> pts;
    double t = 10 + 90 * u(g), c = 1000 * (1 + u(g));
    for (std::size_t i = 0; i < n; ++i) {
      pts.push_back({t, c, 100 * u(g)});
      t *= 1 + 0.4 * u(g) + 1e-3;
      c *= 0.3 + 0.69 * u(g);
    }
    for (std::size_t i = 0; i < n; ++i)
      pts.push_back({pts[i].time * (1 + u(g)), pts[i].cost * (1 + u(g)), 100 * u(g)});
    std::shuffle(pts.begin(), pts.end(), g);
    INFO("trial " << trial << " front " << n);
    double tstar = 1e300;
    for (const auto& p : pts) tstar = std::min(tstar, p.time);
    std::vector<tradeoff_point> adm;
    for (const auto& p : pts)
      if (p.time <= 3 * tstar * (1 + 1e-12)) adm.push_back(p);
    double cstar = 1e300, cf = 1e300, tc = 1e300;
    for (const auto& p : adm) cstar = std::min(cstar, p.cost);
    for (const auto& p : adm) {
      if (p.time == tstar) cf = std::min(cf, p.cost);
      if (p.cost == cstar) tc = std::min(tc, p.time);
    }
    auto pick = [&](const char* s) { return pts[choose_tradeoff(effective_weights(*reg.find(s), 50), pts).index]; };
    const auto lat = pick("latency"), cost = pick("cost-minimization"), bal = pick("balanced"),
               cap = pick("capital-efficiency");
    CHECK(lat.time == tstar);
    CHECK(lat.cost == cf);
    CHECK(cost.cost == cstar);
    CHECK(cost.time == tc);
    // Balanced: strictly between the extremes on both axes whenever an
    // admissible non-dominated point lies strictly between them.
    bool interior = false;
    for (const auto& p : adm)
      interior = interior || (p.time > tstar && p.time < tc && p.cost > cstar && p.cost < cf);
    if (interior) {
      CHECK(bal.time > tstar);
      CHECK(bal.time < tc);
      CHECK(bal.cost > cstar);
      CHECK(bal.cost < cf);
    }
    // Capital-efficiency: within the window of its trade-off point, no
    // admissible candidate holds less idle time.
    const auto anchor_w = [&] {
      auto w = effective_weights(*reg.find("capital-efficiency"), 50);
      w.efficiency = false;  // its window is kept
      return w;
    }();
    const auto anchor = pts[choose_tradeoff(anchor_w, pts).index];
    auto x = [&](const tradeoff_point& p) { return tc > tstar ? (p.time - tstar) / (tc - tstar) : 0.0; };
    auto y = [&](const tradeoff_point& p) { return cf > cstar ? (p.cost - cstar) / (cf - cstar) : 0.0; };
    auto near = [&](const tradeoff_point& p, double tol) {
      return std::abs(x(p) - x(anchor)) <= anchor_w.window + tol && std::abs(y(p) - y(anchor)) <= anchor_w.window + tol;
    };
    CHECK(near(cap, 1e-9));
    for (const auto& p : adm)
      if (near(p, -1e-9))
        CHECK(cap.inefficiency <= p.inefficiency);
  }
}

TEST_CASE("user weights move the choice along the front, visiting every point in order", "[tradeoff][property]") {
  std::mt19937 g(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 100; ++trial) {
    // A front sorted fast to cheap (every point non-dominated), fractional.
    std::vector<tradeoff_point> pts;
    double t = 1 + u(g), c = 100;
    for (std::size_t i = 0, n = 2 + g() % 20; i < n; ++i) {
      pts.push_back({t, c, 0});
      t *= 1.01 + 0.2 * u(g);
      c *= 0.5 + 0.49 * u(g);
    }
    INFO("trial " << trial << " front " << pts.size());
    auto pick = [&](double share) {
      const auto w = effective_weights({"sweep", "", 0, 1 - share, share}, 50, 1e9);
      return choose_tradeoff(w, pts, "plan", false).index;
    };
    std::vector<std::size_t> seen;
    // Between two cost shares whose picks are more than one point apart,
    // bisect: every point between them is the pick of a share in between.
    std::function<void(double, double, std::size_t, std::size_t, int)> fill =
        [&](double lo, double hi, std::size_t ilo, std::size_t ihi, int depth) {
          if (ihi <= ilo + 1) return;
          REQUIRE(depth < 200);
          const double mid = (lo + hi) / 2;
          const std::size_t im = pick(mid);
          CHECK(im >= ilo);
          CHECK(im <= ihi);
          fill(lo, mid, ilo, im, depth + 1);
          if (im != ilo && im != ihi) seen.push_back(im);
          fill(mid, hi, im, ihi, depth + 1);
        };
    std::size_t prev = pick(0.0);
    CHECK(prev == 0);  // pure latency: the fastest
    seen.push_back(prev);
    for (int k = 1; k <= 200; ++k) {
      const double a = k / 200.0;
      const std::size_t i = pick(a);
      CHECK(i >= prev);  // never back toward the fast end
      fill((k - 1) / 200.0, a, prev, i, 0);
      if (i != prev) seen.push_back(i);
      prev = i;
    }
    CHECK(prev == pts.size() - 1);  // pure cost: the cheapest
    std::vector<std::size_t> all(pts.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    CHECK(seen == all);  // every front point, in order, none twice
  }
}

TEST_CASE("plans say in plain words which point was chosen and why", "[tradeoff][planner]") {
  // A chain a -> b, a fast dear and a slow cheap domain: the front is
  // (1000 ms, 660), (1500 ms + transfer, 440), (2000 ms, 220).
  model::dataflow_definition def;
  for (const char* id : {"a", "b"}) {
    model::dataflow_node n;
    n.node_id = id;
    n.resources.cpu_time_ms = 1000;
    def.nodes.push_back(n);
  }
  model::dataflow_edge e;
  e.edge_id = "ab";
  e.source_node = "a";
  e.target_node = "b";
  def.edges.push_back(e);
  model::platform plat;
  model::domain_spec fast, cheap;
  fast.name = "fast";
  fast.speed = 2;
  fast.cost.domain_cost_factor = 3;
  cheap.name = "cheap";
  plat.domains = {fast, cheap};
  strategy_registry reg;
  auto method = [&](const char* s) {
    model::initiation_hint h;
    h.preferred_strategy_id = s;
    auto p = make_plan(def, plat, h, reg);
    REQUIRE(p);
    return p->method;
  };
  CHECK(method("latency").rfind("the fastest plan found", 0) == 0);
  CHECK(method("cost-minimization").rfind("the cheapest plan within 3x the fastest makespan", 0) == 0);
  CHECK(method("balanced").rfind("the knee of 3 front points", 0) == 0);
  CHECK(method("balanced").find("1.5x slower than the fastest for 66.7 % of its cost") != std::string::npos);
  for (const char* s : builtins) CHECK(method(s).find("deadline") == std::string::npos);
}
