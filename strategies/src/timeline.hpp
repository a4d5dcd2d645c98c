#pragma once
/// \file Internal: the busy intervals of every slot (insertion or append
/// policy) and the memory profile of one list-scheduling pass.

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "schedule.hpp"

namespace causality::strategies::detail {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double eps = 1e-9;
/// Scores within this much of the best are near-ties for the preference order.
constexpr double near_tie = 0.01;

/// Natural log to ~1e-5 relative: scores compare ratios, so the libm
/// precision is not needed in the inner loop.
inline double fast_ln(double x) {
  int ex;
  double m = std::frexp(x, &ex);  // x = m * 2^ex, m in [0.5, 1)
  if (m < 0.7071067811865476) {
    m *= 2;
    --ex;
  }
  const double z = (m - 1) / (m + 1), z2 = z * z;
  // ln(m) = 2 atanh(z), series to z^9 (|z| < 0.172).
  const double l = 2 * z * (1 + z2 * (1.0 / 3 + z2 * (1.0 / 5 + z2 * (1.0 / 7 + z2 / 9))));
  return l + ex * 0.6931471805599453;
}

struct interval {
  double s, f;
  std::uint32_t node;
};

/// Where a node would start on one domain.
struct slot_fit {
  double start = inf;
  std::uint32_t slot = 0;
  double gap = 0;  ///< idle time left before it on that slot
};

/// Busy intervals of every slot plus the memory profile when limited.
class timeline {
 public:
  explicit timeline(const problem& pb) : pb_(pb) {
    const auto& ds = pb.plat->domains;
    base_.resize(pb.D + 1, 0);
    for (std::size_t d = 0; d < pb.D; ++d) base_[d + 1] = base_[d] + ds[d].slots;
    slots_.resize(base_[pb.D]);
    tails_.assign(slots_.size(), 0.0);
    // Insertion into idle holes (HEFT) up to insertion_limit node x domain
    // pairs; beyond, nodes are appended after each slot's last node so big
    // workflows plan in near-linear time (docs/planner.md).
    insertion_ = static_cast<double>(pb.V) * static_cast<double>(pb.D) <= insertion_limit;
  }

  /// Earliest start >= t on slot k for duration e (insertion policy).
  double fit(std::uint32_t k, double t, double e, double& gap) const {
    const auto& iv = slots_[k];
    if (iv.empty() || e <= 0) {  // a zero-length node holds no slot time
      gap = 0;
      return t;
    }
    const double tail = tails_[k];
    if (tail <= t || !insertion_) {
      gap = tail <= t ? t - tail : 0;
      return std::max(t, tail);
    }
    // First interval ending after t; intervals are disjoint so f is sorted.
    auto it = std::upper_bound(iv.begin(), iv.end(), t,
                               [](double x, const interval& a) { return x < a.f; });
    double cur = t;
    for (; it != iv.end(); ++it) {
      if (cur + e <= it->s) break;
      cur = std::max(cur, it->f);
    }
    gap = it == iv.begin() ? 0 : cur - std::prev(it)->f;
    return cur;
  }

  /// Earliest time a slot of domain d is free after its last node.
  double earliest_tail(std::size_t d) const {
    double t = inf;
    for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) t = std::min(t, tails_[k]);
    return t;
  }

  /// Best slot of domain d: earliest start, lowest slot on ties.
  slot_fit fit_domain(std::size_t d, double t, double e) const {
    slot_fit best;
    if (!insertion_ || e <= 0) {
      // Append mode: only the slots' last finish times matter.
      for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) {
        const double tail = tails_[k];
        if (tail <= t || e <= 0) return {t, k, tail > 0 ? t - tail : 0};
        if (tail < best.start) best = {tail, k, 0};
      }
      return best;
    }
    for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) {
      double gap;
      double s = fit(k, t, e, gap);
      if (s < best.start) {
        best = {s, k, gap};
        if (s <= t) break;  // nothing can start earlier than t
      }
    }
    return best;
  }

  /// Earliest fit that also keeps the peak concurrent memory within the limit.
  slot_fit fit_limited(std::size_t d, double t, double e, std::uint64_t mem) const {
    for (;;) {
      slot_fit f = fit_domain(d, t, e);
      if (!pb_.mem_limit || e <= 0) return f;
      double next = memory_conflict(f.start, f.start + e, mem);
      if (next < 0) return f;
      t = next;
    }
  }

  /// -1 when `mem` fits during [s, f); else the next time memory is released.
  double memory_conflict(double s, double f, std::uint64_t mem) const {
    overlap_.clear();
    for (const auto& r : running_)
      if (r.s < f && r.f > s) overlap_.push_back(r);
    const std::uint64_t lim = *pb_.mem_limit;
    auto check = [&](double p) -> double {
      std::uint64_t sum = mem;
      double release = inf;
      for (const auto& r : overlap_)
        if (r.s <= p && p < r.f) {
          sum += r.mem;
          release = std::min(release, r.f);
        }
      return sum > lim ? release : -1;
    };
    if (double r = check(s); r >= 0) return r;
    for (const auto& o : overlap_)
      if (o.s > s)
        if (double r = check(o.s); r >= 0) return r;
    return -1;
  }

  void place(std::uint32_t k, double s, double f, std::uint32_t node, std::uint64_t mem) {
    auto& iv = slots_[k];
    if (f <= s) return;  // zero length: occupies nothing, keeps f sorted
    tails_[k] = std::max(tails_[k], f);
    auto it = std::upper_bound(iv.begin(), iv.end(), s,
                               [](double x, const interval& a) { return x < a.s; });
    iv.insert(it, interval{s, f, node});
    if (f > s && pb_.mem_limit) running_.push_back({s, f, mem});
  }

  /// First slot of d free during [s, f), for fixed nodes.
  std::optional<std::uint32_t> free_slot(std::size_t d, double s, double f) const {
    for (std::uint32_t k = base_[d]; k < base_[d + 1]; ++k) {
      bool clash = false;
      for (const auto& x : slots_[k])
        if (x.s < f && s < x.f) clash = true;
      if (!clash) return k;
    }
    return std::nullopt;
  }

 private:
  struct run {
    double s, f;
    std::uint64_t mem;
  };
  const problem& pb_;
  bool insertion_ = true;
  std::vector<double> tails_;  ///< latest finish per slot
  std::vector<std::uint32_t> base_;
  std::vector<std::vector<interval>> slots_;
  std::vector<run> running_;
  mutable std::vector<run> overlap_;
};

}  // namespace causality::strategies::detail
