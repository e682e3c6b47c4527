// Progress of a long command (storage wipe, signing runs, benchmarks), shown
// only when its output is a terminal: one line "<label>: n/total (p%)"
// rewritten in place at most every 100 ms. At the end the line either
// stays with its final state (KeepLine) or is erased (Erase: for a caller
// that prints its own result next, as the benchmarks do). Nothing at all
// when the output is not a terminal, so logs, pipes and files stay clean.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace swtee {

class Progress {
 public:
  enum class AtEnd { KeepLine, Erase };

  // `fd` is where the line goes; shown only if isatty(fd).
  Progress(std::string label, uint64_t total, int fd = STDOUT_FILENO, AtEnd at_end = AtEnd::KeepLine);
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(uint64_t done);
  // Ends the line as `at_end` says (once).
  void finish();
  bool shown() const { return shown_; }

 private:
  void draw(uint64_t done);

  const std::string label_;
  const uint64_t total_;
  const int fd_;
  const AtEnd at_end_;
  const bool shown_;
  bool finished_ = false;
  uint64_t done_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace swtee
