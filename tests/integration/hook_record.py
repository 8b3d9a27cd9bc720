#!/usr/bin/python3
"""hook_record.py DIR [VAR=VALUE [SECONDS]]: a hook for the tests.

Every run records its environment and stdin in DIR/run.PID.json (written
aside, then renamed: a reader never sees half a file).  A run whose
environment has VAR=VALUE first creates DIR/holding and holds its slot
until DIR/release exists, for SECONDS at most (default 60).
"""
import json
import os
import sys
import time

d = sys.argv[1]
env = dict(v.split("=", 1) for v in
           open("/proc/self/environ").read().split("\0") if v)
raw = sys.stdin.read()
if len(sys.argv) > 2:
    var, _, value = sys.argv[2].partition("=")
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    if env.get(var) == value:
        open(f"{d}/holding", "w").close()
        until = time.monotonic() + seconds
        while (not os.path.exists(f"{d}/release")
               and time.monotonic() < until):
            time.sleep(0.05)
tmp = f"{d}/.{os.getpid()}"
with open(tmp, "w") as f:
    json.dump({"env": env, "stdin": raw}, f)
os.rename(tmp, f"{d}/run.{os.getpid()}.json")
