#pragma once
/// \file The value passed along edges lives in the model (model/value.hpp);
/// this name stays for the actors' code.

#include "causality/model/value.hpp"

namespace causality::actors {
using model::value;
}  // namespace causality::actors
