#include "causality/observe/events.hpp"

#include <atomic>

#include "causality/observe/log.hpp"

namespace causality::observe {

const char* to_string(placement p) {
  switch (p) {
    case placement::only_choice: return "only choice";
    case placement::as_planned: return "as planned";
    case placement::moved: return "moved";
  }
  return "?";
}

void observer_list::observer_threw() noexcept {
  static std::atomic<bool> said{false};
  if (said.exchange(true)) return;
  try {
    logger("runtime")->error("an observer threw; its events are skipped (observers must not throw)");
  } catch (...) {
  }
}

}  // namespace causality::observe
