#!/usr/bin/python3
"""named_abort: one process, named with any bytes, aborting connections.

    named_abort.py NAME HOST PORT --count N [--rate R] [--linger S]

NAME is taken as the raw bytes of the argument (the shell's $'\\e…\\xff'
arrives unchanged) and set with prctl(PR_SET_NAME): at most 15 bytes,
control characters and invalid UTF-8 included, as any local user may.
Then N connects to HOST PORT at R per second (default: at once), each
closed at once with SO_LINGER {1,0}: one reset per connection, sent by
this process.  It stays S seconds more (default 1) so that rstmond can
still look it up.  Prints "aborted=N".  Every socket operation is bounded
(2 s), and so is the loop.
"""
import argparse
import ctypes
import os
import socket
import struct
import sys
import time

PR_SET_NAME = 15


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--rate", type=float, default=0)
    ap.add_argument("--linger", type=float, default=1)
    a = ap.parse_args()
    name = os.fsencode(a.name)[:15]
    if ctypes.CDLL(None).prctl(PR_SET_NAME, name, 0, 0, 0) != 0:
        sys.exit("named_abort: prctl failed")
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    t0, done = time.monotonic(), 0
    for i in range(a.count):
        if a.rate > 0:
            d = t0 + i / a.rate - time.monotonic()
            if d > 0:
                time.sleep(d)
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.connect((a.host, a.port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            done += 1
        except OSError:
            pass
        finally:
            s.close()
    print("aborted=%d" % done, flush=True)
    time.sleep(a.linger)


main()
