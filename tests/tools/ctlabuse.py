#!/usr/bin/python3
"""ctlabuse.py SOCK: abuse rstmond's control socket, then check it answers.

  long      a 1 MiB line without a newline, then close
  garbage   64 KiB of random bytes (newlines among them), then close
  crowd     200 clients at once, each asking `status` (some may be refused
            beyond the daemon's client limit; every answer must be JSON)
  stall     a client that subscribes to `events` and never reads (kept
            open until told: prints "stalled", waits for stdin to close)

Prints one line per step: "<step> ok <details>"; exits 1 on a failure.
"""
import json, os, socket, sys

SOCK = sys.argv[1]


def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(SOCK)
    return s


def ask_status():
    s = conn()
    s.sendall(b"status\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    return json.loads(buf)


def long_line():
    s = conn()
    try:
        s.sendall(b"s" * (1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        pass        # the daemon may hang up once the line is too long
    s.close()
    ask_status()
    print("long ok", flush=True)


def garbage():
    s = conn()
    try:
        s.sendall(os.urandom(1 << 16))
        s.settimeout(2)
        while s.recv(65536):
            pass
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    s.close()
    ask_status()
    print("garbage ok", flush=True)


def crowd():
    clients, answered, refused = [], 0, 0
    for _ in range(200):
        try:
            c = conn()
            c.sendall(b"status\n")
            clients.append(c)
        except OSError:
            refused += 1
    for c in clients:
        buf = b""
        try:
            while not buf.endswith(b"\n"):
                chunk = c.recv(65536)
                if not chunk:
                    break
                buf += chunk
        except OSError:
            pass
        if buf.endswith(b"\n"):
            json.loads(buf)     # a reply is always whole JSON
            answered += 1
        else:
            refused += 1
        c.close()
    ask_status()
    print(f"crowd ok answered={answered} refused={refused}", flush=True)


def stall():
    s = conn()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"events\n")
    print("stalled", flush=True)
    sys.stdin.read()            # hold it, unread, until our stdin closes
    s.close()


steps = {"long": long_line, "garbage": garbage, "crowd": crowd,
         "stall": stall}
for name in sys.argv[2:]:
    steps[name]()
