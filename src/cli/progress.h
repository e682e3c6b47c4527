// Progress of a long command (storage wipe, signing runs, ...), shown only
// when its output is a terminal: one line "<label>: n/total (p%)" rewritten
// in place at most every 100 ms, and a final line at the end. Nothing at
// all otherwise, so logs and pipes stay clean.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace swtee::cli {

class Progress {
 public:
  // `fd` is where the line goes; shown only if isatty(fd).
  Progress(std::string label, uint64_t total, int fd = STDOUT_FILENO);
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(uint64_t done);
  // Writes the final state and a newline (once).
  void finish();
  bool shown() const { return shown_; }

 private:
  void draw(uint64_t done);

  const std::string label_;
  const uint64_t total_;
  const int fd_;
  const bool shown_;
  bool finished_ = false;
  uint64_t done_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace swtee::cli
