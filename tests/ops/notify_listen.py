#!/usr/bin/env python3
"""Stands in for systemd's notify socket: binds a datagram socket, runs a
command with NOTIFY_SOCKET pointing at it, and prints each message received
until READY=1 arrives or the timeout passes. Exit 0 once READY=1 came.

usage: notify_listen.py SOCKET_PATH TIMEOUT_S -- CMD...
The command keeps running (its pid is printed as 'pid N'); the caller ends it.
"""
import os
import socket
import subprocess
import sys
import time

path, timeout = sys.argv[1], float(sys.argv[2])
cmd = sys.argv[sys.argv.index("--") + 1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
env = dict(os.environ, NOTIFY_SOCKET=path)
proc = subprocess.Popen(cmd, env=env)
print(f"pid {proc.pid}", flush=True)
deadline = time.monotonic() + timeout
s.settimeout(0.2)
while time.monotonic() < deadline:
    if proc.poll() is not None:
        print(f"exited {proc.returncode}", flush=True)
        sys.exit(1)
    try:
        msg = s.recv(4096).decode()
    except socket.timeout:
        continue
    for line in msg.splitlines():
        print(f"notify {line}", flush=True)
    if "READY=1" in msg.splitlines():
        sys.exit(0)
sys.exit(1)
