#pragma once
/// \file Reading and writing the project's JSON forms (FORMATS.md) and
/// WfCommons instances. Every failure is an error naming file, path, reason.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"

namespace causality::model {

/// Reads a whole file; errors for missing, unreadable, directory, empty.
expected<std::string> read_text_file(const std::string& path);

/// Parses JSON text; malformed JSON gives line and column.
expected<nlohmann::json> parse_json(const std::string& text, const std::string& file);

/// A workflow file: the project's definition form or a WfCommons instance
/// (detected by its "workflow" key). The result is validated (ids, edges,
/// cycles, schemas, numbers) but not against a platform.
expected<dataflow_definition> load_workflow_file(const std::string& path);
expected<dataflow_definition> workflow_from_json(const nlohmann::json& j, const std::string& file);
/// The project's definition form only.
expected<dataflow_definition> definition_from_json(const nlohmann::json& j, const std::string& file);
/// A WfCommons 1.5 instance (mapping in examples/workloads/README.md).
expected<dataflow_definition> wfcommons_from_json(const nlohmann::json& j, const std::string& file);
/// Lossless: definition_from_json(definition_to_json(d)) == d.
nlohmann::json definition_to_json(const dataflow_definition& d);

/// A platform file, validated (slots > 0, speed > 0, costs >= 0, names unique).
expected<platform> load_platform_file(const std::string& path);
expected<platform> platform_from_json(const nlohmann::json& j, const std::string& file);
nlohmann::json platform_to_json(const platform& p);

/// Strategy as JSON {"name","description","priority_weight","latency_weight","cost_weight"}.
expected<optimization_strategy> strategy_from_json(const nlohmann::json& j, const std::string& file);
nlohmann::json strategy_to_json(const optimization_strategy& s);

/// Initiation hint as JSON (field names of the seed, snake_case).
expected<initiation_hint> hint_from_json(const nlohmann::json& j, const std::string& file);
nlohmann::json hint_to_json(const initiation_hint& h);

}  // namespace causality::model
