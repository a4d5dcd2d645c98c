#pragma once
// The scenarios of bench_adaptive; each prints its table rows and returns
// its JSON object (FORMATS of issue 6).

#include <string>

#include <nlohmann/json.hpp>

namespace bench_adaptive {

/// Settings shared by the scenarios.
struct options {
  double time_scale = 0.01;   ///< model ms -> real ms
  bool quick = false;         ///< smaller sizes (smoke runs)
};

/// Prints one table row (the human-readable part) to the table stream.
void row(const std::string& scenario, const std::string& what, const std::string& value);

nlohmann::json slowdown(const options& o);
nlohmann::json burst(const options& o);
nlohmann::json outliers(const options& o);
nlohmann::json balancing(const options& o);

}  // namespace bench_adaptive
