// A fake bindir for supervision tests: shell scripts standing in for swteed
// and swtee-supplicant. Each records its argv in $FAKE_DIR/<name>.args,
// behaves per $FAKE_SWTEED_MODE (swteed only), writes the ready byte on fd 3
// and waits for SIGTERM.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <string>

namespace swtee::cli::testing {

inline const char* kFakeScript = R"(#!/bin/sh
name=$(basename "$0")
printf '%s\n' "$@" > "$FAKE_DIR/$name.args"
if [ "$name" = swteed ]; then
  case "$FAKE_SWTEED_MODE" in
    exit) exit 3 ;;
    silent) exec sleep 1000 ;;
    stubborn)
      trap '' TERM
      sleep 1000 &
      echo $! > "$FAKE_DIR/grandchild.pid"
      printf R >&3
      exec 3>&-
      wait
      exit 0 ;;
  esac
fi
trap 'kill $! 2>/dev/null; echo stopped > "$FAKE_DIR/$name.stopped"; exit 0' TERM
sleep 1000 &
printf R >&3
exec 3>&-
wait
)";

inline bool write_fake_bindir(const std::string& dir) {
  for (const char* n : {"swteed", "swtee-supplicant"}) {
    const std::string p = dir + "/" + n;
    std::ofstream(p) << kFakeScript;
    if (::chmod(p.c_str(), 0755) != 0) return false;
  }
  return true;
}

inline std::string slurp(const std::string& p) {
  std::ifstream f(p);
  return {std::istreambuf_iterator<char>(f), {}};
}

}  // namespace swtee::cli::testing
