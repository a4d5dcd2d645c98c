#pragma once
/// \file Internal: the mutable state of one list-scheduling pass
/// (schedule.cpp: the loop and the placement rules; pass_terms.cpp: score
/// terms, lookahead, explanation, totals).

#include <vector>

#include "schedule.hpp"
#include "timeline.hpp"

namespace causality::strategies::detail {

/// The mutable state of one pass.
class pass_state {
 public:
  pass_state(const problem& pb, const pass_params& pp)
      : pb_(pb), pp_(pp), pr_(compute_priorities(pb, pp)), tl_(pb), dom_(pb.V, 0),
        fin_(pb.V, 0.0), done_(pb.V, 0), used_(pb.D, 0), rdy_(pb.D), start_(pb.D),
        finish_(pb.D), gap_(pb.D), term_l_(pb.D), term_c_(pb.D), term_e_(pb.D), score_(pb.D),
        slot_(pb.D), stamp_(pb.D, 0), live_(pb.D), cross_(pb.D) {
    res_.a.resize(pb.V);
    if (pp.forced) force_ = pp.forced;
    else if (pp.assign) force_ = pp.assign.get();
  }

  pass_result run(std::vector<node_explanation>* explain);

 private:
  void commit(std::uint32_t v, std::size_t d, double s, double f, std::uint32_t slot);
  bool place_fixed();
  /// Fills the per-domain scratch for v; false when no domain is left.
  bool evaluate(std::uint32_t v);
  std::size_t choose(std::uint32_t v, const char*& rule, bool explain);
  std::size_t lookahead(std::uint32_t v);
  void score_terms(std::uint32_t v);
  void record(std::uint32_t v, std::size_t win, const char* rule,
              std::vector<node_explanation>& out) const;
  void finish_totals();

  const problem& pb_;
  const pass_params& pp_;
  priorities pr_;
  timeline tl_;
  pass_result res_;
  const std::vector<std::int32_t>* force_ = nullptr;
  std::vector<std::uint32_t> dom_;
  std::vector<double> fin_;
  std::vector<unsigned char> done_;
  std::vector<std::uint32_t> used_;
  std::uint64_t net_used_ = 0;
  double proj_ = 0;   // projected makespan: max over placed of finish + tail
  double spent_ = 0, rest_min_ = 0, rest_range_ = 0;  // budget mode
  // Per-domain scratch for the node being placed.
  std::vector<double> rdy_, start_, finish_, gap_, term_l_, term_c_, term_e_, score_;
  std::vector<std::uint32_t> slot_, stamp_;
  std::vector<unsigned char> live_;
  std::vector<std::uint64_t> cross_;
  double fmin_ = 0, r0_ = 0, cmin_ = 0;
  std::size_t heft_best_ = 0;
};

}  // namespace causality::strategies::detail
