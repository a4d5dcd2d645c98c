#pragma once
/// \file Reads a plan printed by `causality plan --format json` (FORMATS.md
/// "Plan output") back, for `causality run --plan FILE`.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::cli {

/// The plan in `path`, checked against the workflow and platform it is to
/// run: the same workflow name, every node exactly once, known domains that
/// can host their node. Costs are recomputed from the model; the makespan is
/// the latest finish. Errors name the file, the JSON path and the reason.
model::expected<strategies::plan> load_plan_file(const std::string& path,
                                                 const model::dataflow_definition& def,
                                                 const model::platform& plat);

/// The same for a plan already parsed (`path` names it in errors).
model::expected<strategies::plan> plan_from_json(const nlohmann::json& j, const std::string& path,
                                                 const model::dataflow_definition& def,
                                                 const model::platform& plat);

}  // namespace causality::cli
