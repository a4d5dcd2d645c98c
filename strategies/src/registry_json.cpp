#include <map>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/limits.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::strategies {

model::status add_strategies_from_json(strategy_registry& reg, const nlohmann::json& j,
                                       const std::string& file) {
  // Built-in names are reserved: a file adds strategies, it never changes
  // what "latency" or "balanced" mean for everyone reading a plan.
  std::vector<std::string> builtin;
  for (const auto& s : model::builtin_strategies()) builtin.push_back(s.name);
  std::map<std::string, std::string> defined;  // name -> where, within this file
  auto add_one = [&](const nlohmann::json& s, const std::string& where) -> model::status {
    auto parsed = model::strategy_from_json(s, file);
    if (!parsed) {
      model::error e = parsed.err();
      e.path = where + e.path;
      return e;
    }
    const std::string& name = parsed->name;
    for (const auto& b : builtin)
      if (b == name)
        return model::error{file, where + "/name",
                            "'" + name + "' is a built-in strategy and cannot be redefined "
                            "(choose another name)"};
    if (auto [it, fresh] = defined.emplace(name, where.empty() ? "/" : where); !fresh)
      return model::error{file, where + "/name",
                          "strategy '" + name + "' is defined twice (first at " + it->second + ")"};
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
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "strategies")
        return model::error{file, "/" + it.key().substr(0, 64),
                            "unknown field (a strategies file is {\"strategies\": [...]}, one strategy "
                            "or an array of them)"};
  }
  if (list->is_array()) {
    if (list->size() > model::limits::max_strategies)
      return model::error{file, base.empty() ? "" : base,
                          std::to_string(list->size()) + " strategies, more than " +
                              std::to_string(model::limits::max_strategies)};
    for (std::size_t i = 0; i < list->size(); ++i)
      if (auto bad = add_one((*list)[i], base + "/" + std::to_string(i))) return bad;
    return std::nullopt;
  }
  if (list->is_object()) return add_one(*list, base);
  return model::error{file, base.empty() ? "" : base,
                      "expected a strategy object or an array of them"};
}

}  // namespace causality::strategies
