#pragma once
/// \file `run --input key=value`, `--inputs FILE.json` and `--output FILE`:
/// workflow inputs typed by the workflow's input_schema, sinks' outputs as JSON.

#include <map>
#include <string>
#include <vector>

#include "causality/model/error.hpp"
#include "causality/model/value.hpp"

namespace causality::cli {

/// The run's inputs: the object in `inputs_file` (if given), then each
/// `key=value` of `pairs` on top, each value read as the input_schema type of
/// its key (int, number, bool, string/bytes, array/object/any as JSON; `any`
/// falls back to the text). A key the schema does not have, a value that is
/// not of its type, or a file that is not a JSON object is one error naming
/// the flag or file and the key. Null when neither is given.
model::expected<model::value> build_inputs(const std::vector<std::string>& pairs,
                                           const std::string& inputs_file,
                                           const std::map<std::string, std::string>& schema);

/// The inputs object of an inputs file's `text` (`file` names it in errors):
/// a JSON object whose every key is in `schema` and whose value has its type
/// (any key and value when `schema` is empty). Errors name the file, the key
/// (with the closest schema key) and the reason.
model::expected<model::value> inputs_from_text(const std::string& text, const std::string& file,
                                               const std::map<std::string, std::string>& schema);

/// Writes `outputs` (sink id -> output) to `file` as JSON; false and one
/// error line on failure.
bool write_outputs(const std::string& file, const model::value& outputs);

}  // namespace causality::cli
