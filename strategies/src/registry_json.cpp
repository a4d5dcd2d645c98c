#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::strategies {

model::status add_strategies_from_json(strategy_registry& reg, const nlohmann::json& j,
                                       const std::string& file) {
  auto add_one = [&](const nlohmann::json& s, const std::string& where) -> model::status {
    auto parsed = model::strategy_from_json(s, file);
    if (!parsed) {
      model::error e = parsed.err();
      e.path = where + e.path;
      return e;
    }
    if (auto bad = reg.add(*parsed)) {
      bad->file = file;
      bad->path = where + bad->path;
      return bad;
    }
    return std::nullopt;
  };
  const nlohmann::json* list = &j;
  std::string base;
  if (j.is_object() && j.contains("strategies")) {
    list = &j["strategies"];
    base = "/strategies";
  }
  if (list->is_array()) {
    for (std::size_t i = 0; i < list->size(); ++i)
      if (auto bad = add_one((*list)[i], base + "/" + std::to_string(i))) return bad;
    return std::nullopt;
  }
  if (list->is_object()) return add_one(*list, base);
  return model::error{file, base.empty() ? "" : base,
                      "expected a strategy object or an array of them"};
}

}  // namespace causality::strategies
