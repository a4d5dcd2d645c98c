// The one trade-off formula (tradeoff.hpp, docs/planner.md "The trade-off").
#include "causality/strategies/tradeoff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace causality::strategies {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double rel = 1e-12;

/// The reference values of a candidate set (tradeoff.hpp).
struct bounds {
  double tstar = inf, limit = inf, cstar = inf, tc = inf, cf = inf;
  bool any = false;
  bool admissible(const tradeoff_point& p) const {
    return std::isfinite(p.time) && std::isfinite(p.cost) && p.time <= limit;
  }
  double x(const tradeoff_point& p) const { return tc > tstar ? std::max(0.0, (p.time - tstar) / (tc - tstar)) : 0.0; }
  double y(const tradeoff_point& p) const { return cf > cstar ? std::max(0.0, (p.cost - cstar) / (cf - cstar)) : 0.0; }
};

bounds bounds_of(const tradeoff_weights& w, const tradeoff_point* pts, std::size_t n) {
  bounds b;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(pts[i].time) && std::isfinite(pts[i].cost)) b.tstar = std::min(b.tstar, pts[i].time);
  if (!std::isfinite(b.tstar)) return b;
  b.any = true;
  const double s = w.stretch >= 1 ? w.stretch : 1.0;
  b.limit = std::isfinite(s) ? b.tstar * s * (1 + rel) + 1e-9 : inf;
  for (std::size_t i = 0; i < n; ++i)
    if (b.admissible(pts[i])) b.cstar = std::min(b.cstar, pts[i].cost);
  for (std::size_t i = 0; i < n; ++i) {
    if (!b.admissible(pts[i])) continue;
    if (pts[i].cost <= b.cstar) b.tc = std::min(b.tc, pts[i].time);
    if (pts[i].time <= b.tstar) b.cf = std::min(b.cf, pts[i].cost);
  }
  return b;
}

double score_of(const tradeoff_weights& w, const bounds& b, const tradeoff_point& p) {
  return std::max(w.latency * b.x(p), w.cost * b.y(p));
}

/// Whether i is better than j (both admissible) under the score.
bool better(const tradeoff_weights& w, const bounds& b, const tradeoff_point& i, const tradeoff_point& j) {
  const double si = score_of(w, b, i), sj = score_of(w, b, j);
  if (si < sj - rel) return true;
  if (si > sj + rel) return false;
  const double ai = b.x(i) + b.y(i), aj = b.x(j) + b.y(j);
  if (ai < aj - rel) return true;
  if (ai > aj + rel) return false;
  // Then the faster, then the cheaper (relative tolerance: the same value
  // computed two ways is a tie), then the earlier position.
  if (std::abs(i.time - j.time) > rel * std::max(std::abs(i.time), std::abs(j.time))) return i.time < j.time;
  if (std::abs(i.cost - j.cost) > rel * std::max(std::abs(i.cost), std::abs(j.cost))) return i.cost < j.cost;
  return false;
}

std::size_t pick(const tradeoff_weights& w, const bounds& b, const tradeoff_point* pts, std::size_t n,
                 std::size_t* anchor) {
  std::size_t win = n;
  for (std::size_t i = 0; i < n; ++i)
    if (b.admissible(pts[i]) && (win == n || better(w, b, pts[i], pts[win]))) win = i;
  if (anchor) *anchor = win;
  if (!w.efficiency || win == n) return win;
  // The window: within w.window of the front's range of the winner
  // on both axes, in the normalised terms of the score.
  const double xa = b.x(pts[win]), ya = b.y(pts[win]);
  std::size_t eff = win;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = pts[i];
    if (!b.admissible(p) || std::abs(b.x(p) - xa) > w.window + 1e-12 || std::abs(b.y(p) - ya) > w.window + 1e-12)
      continue;
    const double a = p.inefficiency, e = pts[eff].inefficiency;
    const double tol = 1e-9 * std::max(1.0, std::abs(e));
    if (a < e - tol || (a <= e + tol && better(w, b, p, pts[eff]))) eff = i;
  }
  return eff;
}

std::string num(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

/// "1.6x slower than the fastest for 47 % of its cost"
std::string position(const bounds& b, const tradeoff_point& p) {
  const double r = b.tstar > 0 ? p.time / b.tstar : 1.0;
  const double share = b.cf > 0 ? 100.0 * p.cost / b.cf : 100.0;
  std::string t = r <= 1 + 1e-9 ? "as fast as the fastest" : num("%.3g", r) + "x slower than the fastest";
  return t + " for " + num("%.3g", share) + " % of its cost";
}

std::size_t front_size(const bounds& b, const std::vector<tradeoff_point>& pts) {
  std::vector<std::pair<double, double>> a;
  for (const auto& p : pts)
    if (b.admissible(p)) a.emplace_back(p.cost, p.time);
  std::sort(a.begin(), a.end());
  std::size_t n = 0;
  double best_t = inf;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && a[i] == a[i - 1]) continue;
    if (a[i].second < best_t) ++n, best_t = a[i].second;
  }
  return n;
}

}  // namespace

tradeoff_weights effective_weights(const model::optimization_strategy& s, std::uint32_t priority,
                                   double stretch) {
  const double u = std::max(0.0, std::min(1.0, 2.0 * static_cast<double>(priority) / 100.0 - 1.0));
  auto fin = [](double v) { return std::isfinite(v) && v > 0 ? v : 0.0; };
  const double P = fin(s.priority_weight), L = fin(s.latency_weight), C = fin(s.cost_weight);
  // Ratios only: scale by the largest so huge weights keep them.
  const double m = std::max({P, L, C});
  double l = 0, c = 0, e = 0;
  if (m > 0) l = (L / m) + u * (P / m), c = C / m, e = (1 - u) * (P / m);
  tradeoff_weights w;
  w.stretch = stretch >= 1 ? stretch : 1.0;
  const double mx = std::max(l, c);
  w.efficiency = e > mx;
  if (w.efficiency) w.window = mx > 0 ? std::min(1.0, efficiency_window * (e - mx) / mx) : 1.0;
  if (l <= 0 && c <= 0) {
    w.latency = w.cost = 0.5;
  } else if (c <= l / one_sided_ratio) {
    w.latency = 1, w.cost = 0;
  } else if (l <= c / one_sided_ratio) {
    w.latency = 0, w.cost = 1;
  } else {
    w.cost = (1 + std::log(c / l) / std::log(one_sided_ratio)) / 2;
    w.latency = 1 - w.cost;
  }
  return w;
}

double tradeoff_score(const tradeoff_weights& w, const std::vector<tradeoff_point>& pts, std::size_t i) {
  const bounds b = bounds_of(w, pts.data(), pts.size());
  if (i >= pts.size() || !b.admissible(pts[i])) return inf;
  return score_of(w, b, pts[i]);
}

std::size_t choose_tradeoff_index(const tradeoff_weights& w, const tradeoff_point* pts, std::size_t n) {
  const bounds b = bounds_of(w, pts, n);
  if (!b.any) return n;
  return pick(w, b, pts, n, nullptr);
}

tradeoff_pick choose_tradeoff(const tradeoff_weights& w, const std::vector<tradeoff_point>& pts,
                              const char* what, bool with_reason) {
  tradeoff_pick out;
  const bounds b = bounds_of(w, pts.data(), pts.size());
  out.index = pts.size();
  if (!b.any) return out;
  std::size_t anchor = pts.size();
  out.index = pick(w, b, pts.data(), pts.size(), &anchor);
  if (!with_reason) return out;
  out.front_points = front_size(b, pts);
  const std::string n = "of " + std::to_string(out.front_points) + " front point" + (out.front_points == 1 ? "" : "s");
  const std::string W = what;
  const auto& p = pts[out.index];
  std::string point;
  if (w.latency >= 1) {
    point = "the fastest " + W + " found, " + n;
    if (b.cstar < b.cf)
      point += " (the cheapest within " + num("%.3g", w.stretch) + "x costs " + num("%.3g", 100.0 * b.cstar / b.cf) +
               " % of it at " + num("%.3g", b.tc / b.tstar) + "x the time)";
  } else if (w.cost >= 1) {
    point = "the cheapest " + W + " within " + num("%.3g", w.stretch) + "x the fastest makespan, " + n;
  } else if (std::abs(w.latency - w.cost) < 1e-12) {
    point = "the knee " + n + " (slowdown and extra cost equally weighed)";
  } else {
    point = "the point " + n + " closest to the fastest-and-cheapest corner weighing time " + num("%.2f", w.latency) +
            " : cost " + num("%.2f", w.cost);
  }
  if (out.index == anchor) {
    out.reason = point;
    if (w.latency < 1 || b.cstar >= b.cf) out.reason += ": " + position(b, p);
    if (w.efficiency)
      out.reason += "; nothing within " + num("%.3g", 100 * w.window) +
                    " % of the front's range of it holds less idle capacity";
    return out;
  }
  const auto& a = pts[anchor];
  std::string near = w.latency >= 1 ? "the fastest " + W
                     : w.cost >= 1  ? "the cheapest " + W
                     : std::abs(w.latency - w.cost) < 1e-12
                         ? std::string("the knee")
                         : "the time " + num("%.2f", w.latency) + " : cost " + num("%.2f", w.cost) + " point";
  out.reason = "the least idle " + W + " within " + num("%.3g", 100 * w.window) + " % of the front's range of " + near +
               " " + n + (a.inefficiency > 0 ? " (" + num("%.3g", 100.0 * (1 - p.inefficiency / a.inefficiency)) +
                                                   " % less idle capacity than that point)"
                                             : "") +
               ": " + position(b, p);
  return out;
}

}  // namespace causality::strategies
