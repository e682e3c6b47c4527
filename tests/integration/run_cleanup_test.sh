#!/usr/bin/env bash
# `swtee run` returns the command's status and leaves no process or socket
# behind, also when the command crashes or is killed.
set -uo pipefail
swtee=$1
fail=0
check() { # name expected-status command...
  local name=$1 want=$2; shift 2
  local marker dir
  marker=$(mktemp -d)
  # The command records the runtime dir it was given, then does its thing.
  SWTEE_MARKER=$marker "$swtee" run -- bash -c 'echo "$SWTEE_RUNTIME_DIR" > "$SWTEE_MARKER/dir"; '"$*"
  local got=$?
  dir=$(cat "$marker/dir" 2>/dev/null)
  rm -rf "$marker"
  if [ "$got" != "$want" ]; then echo "FAIL $name: status $got, want $want"; fail=1; fi
  if [ -z "$dir" ]; then echo "FAIL $name: the command never ran"; fail=1; return; fi
  if [ -e "$dir" ]; then echo "FAIL $name: runtime dir $dir left behind"; fail=1; fi
  # Any process still referring to that runtime dir is a leak.
  sleep 0.2
  if pgrep -af -- "$dir" >/dev/null; then
    echo "FAIL $name: processes left behind:"; pgrep -af -- "$dir"; fail=1
  fi
  [ $fail = 0 ] && echo "ok $name"
}
check exit-0 0 'true'
check exit-3 3 'exit 3'
check segv 139 'kill -SEGV $$'
check sigkill 137 'kill -KILL $$'
exit $fail
