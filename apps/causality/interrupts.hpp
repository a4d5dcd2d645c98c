#pragma once
/// \file SIGINT and SIGTERM end every state of the `causality` CLI.
///
/// install() is the first thing main does. Before a run has started (reading
/// files, validating, planning, setting up the runtime) a signal writes one
/// line and exits 130 at once: nothing is half-written then. From
/// run_started() on, the first signal asks the run to cancel (the command
/// sees interrupted() and calls cancel(); the summary and the requested files
/// follow, exit 130), a watchdog exits 130 if the process is still there
/// 1.5 s later (a file that cannot be opened, a shutdown that hangs), and a
/// second signal exits at once. The handler only touches lock-free atomics
/// and calls write(2), sem_post(3) and _exit(2) (async-signal-safe).

namespace causality::cli {

/// Installs the handlers of SIGINT and SIGTERM (before a run: exit 130 at once).
void install_interrupt_handlers();

/// A run has started: from now on the first signal cancels it (see above).
void run_started();

/// Signals received so far.
int interrupted();

/// The first signal received (0: none).
int first_interrupt_signal();

/// How long the watchdog lets a cancelled run finish before exiting 130.
inline constexpr int interrupt_grace_ms = 1500;

}  // namespace causality::cli
