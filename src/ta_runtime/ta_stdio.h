// The zygote's end of its TA processes' stdout and stderr. Each TA process
// gets one pipe for both (the write end is its fds 1 and 2, which the
// sandbox will not let it close, replace or truncate); the zygote reads
// every pipe, splits the bytes into lines, makes each line printable,
// prefixes it with the TA's UUID and writes it to its own stderr (the
// stack's log). A TA can neither forge another process's log line nor
// reach the stack's files, and a token bucket per TA process bounds how
// fast it can fill the log: lines beyond it are dropped and counted.
#pragma once

#include <poll.h>

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/unique_fd.h"

namespace swtee::ta {

struct StdioRate {
  unsigned burst_lines = 200;      // bucket size
  unsigned lines_per_second = 50;  // refill
  size_t max_line = 512;           // longer lines are split
};

class TaStdioSinks {
 public:
  using Clock = std::chrono::steady_clock;
  // `out`: where prefixed lines go (the zygote's stderr).
  explicit TaStdioSinks(int out, StdioRate rate = {}) : out_(out), rate_(rate) {}

  // Takes the read end of a TA process's pipe (made non-blocking here).
  void add(UniqueFd read_end, const std::string& uuid);
  // Appends one pollfd per pipe.
  void poll_set(std::vector<pollfd>& fds) const;
  // Serves the pipes among `fds` that are ready; drops those that closed.
  void service(const std::vector<pollfd>& fds, Clock::time_point now = Clock::now());
  size_t size() const { return sinks_.size(); }
  unsigned long long dropped_total() const { return dropped_total_; }

 private:
  struct Sink {
    UniqueFd fd;
    std::string prefix;  // "TA <uuid>: "
    std::string partial;
    double tokens = 0;
    Clock::time_point refilled{};
    unsigned long long dropped = 0;
  };
  void drain(Sink& s, Clock::time_point now);
  void emit(Sink& s, std::string_view line, Clock::time_point now);
  void flush_dropped(Sink& s);

  int out_;
  StdioRate rate_;
  std::unordered_map<int, Sink> sinks_;
  unsigned long long dropped_total_ = 0;
};

}  // namespace swtee::ta
