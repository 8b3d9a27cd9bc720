#!/usr/bin/python3
"""ctlhold: hold slots of rstmond's control socket the ways a client idles.

    ctlhold.py SOCK --silent N --stall M

silent  N clients that connect and never send a byte
stall   M clients that subscribe to `events` (receive buffer 4 KiB) and
        never read

Prints "held" once every client is connected (exits 1 when one is
refused), then "silent closed" once the daemon has hung up on every
silent client.  Holds the stalled ones until its stdin closes; at most
120 s in all.
"""
import argparse
import select
import socket
import sys
import time


def conn(path):
    """Connected, waiting (at most 10 s) while the listen backlog is full:
    a UNIX socket with a timeout says EAGAIN instead of waiting."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    end = time.monotonic() + 10
    while True:
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            if time.monotonic() > end:
                raise
            time.sleep(0.01)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sock")
    ap.add_argument("--silent", type=int, default=0)
    ap.add_argument("--stall", type=int, default=0)
    a = ap.parse_args()
    silent = [conn(a.sock) for _ in range(a.silent)]
    stalled = []
    for _ in range(a.stall):
        s = conn(a.sock)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"events\n")
        stalled.append(s)
    print("held", flush=True)
    open_ = set(silent)
    end = time.monotonic() + 120
    while time.monotonic() < end:
        r, _, _ = select.select(list(open_) + [sys.stdin], [], [], 1)
        if sys.stdin in r and not sys.stdin.read(1):
            break
        for s in r:
            if s is sys.stdin:
                continue
            try:
                gone = not s.recv(4096)
            except OSError:
                gone = True
            if gone:
                open_.discard(s)
                if not open_:
                    print("silent closed", flush=True)
    for s in silent + stalled:
        s.close()


main()
