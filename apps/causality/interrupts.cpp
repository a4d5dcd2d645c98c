#include "interrupts.hpp"

#include <semaphore.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

#include "command.hpp"

namespace causality::cli {

namespace {

std::atomic<int> count{0};
std::atomic<int> first{0};
std::atomic<bool> running{false};
sem_t wake;  // posted by the handler on the first signal of a run; the watchdog waits on it
static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

void say(const char* msg, std::size_t n) { (void)!::write(2, msg, n); }

extern "C" void on_interrupt(int sig) {
  const int n = count.fetch_add(1);
  if (!running.load()) {
    static const char msg[] = "causality: interrupted\n";
    say(msg, sizeof msg - 1);
    ::_exit(exit_interrupted);
  }
  if (n == 0) {
    first.store(sig);
    static const char msg[] = "causality: interrupted: cancelling the run (again to exit at once)\n";
    say(msg, sizeof msg - 1);
    ::sem_post(&wake);
    return;
  }
  static const char msg[] = "causality: interrupted again: exiting now\n";
  say(msg, sizeof msg - 1);
  ::_exit(exit_interrupted);
}

void watchdog() {
  while (::sem_wait(&wake) != 0 && errno == EINTR) {
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(interrupt_grace_ms));
  static const char msg[] = "causality: interrupted: the run did not end in time; exiting now\n";
  say(msg, sizeof msg - 1);
  ::_exit(exit_interrupted);
}

}  // namespace

void install_interrupt_handlers() {
  ::sem_init(&wake, 0, 0);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void run_started() {
  if (running.exchange(true)) return;
  std::thread(watchdog).detach();
  // A signal that came just before the switch has already exited.
}

int interrupted() { return count.load(); }

int first_interrupt_signal() { return first.load(); }

}  // namespace causality::cli
