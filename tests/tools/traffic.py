#!/usr/bin/python3
"""traffic: ordinary and not-so-ordinary TCP traffic for the alert tests.

    traffic.py serve ADDR PORT [--seconds S] [--comm NAME] [--backlog N]
    traffic.py connect HOST PORT --count N [--rate R] [--http] [--first-ok]
    traffic.py abort HOST PORT --count N [--rate R] [--comm NAME]
                     [--then M] [--linger S]
    traffic.py scan HOST FIRST LAST

serve    an HTTP-ish server: accepts, reads the request (up to a blank line),
         answers "HTTP/1.0 200 OK", closes (a normal FIN, no reset).  ADDR
         "::" is dual-stack.  Prints "listening" on stdout once it listens.
         Runs for at most S seconds (default 60).
connect  N connects at R per second (default: as fast as it can), each with a
         2 s timeout; --http sends a request and reads the answer to EOF
         before closing.  Prints "ok=… refused=… other=…".  --first-ok: wait
         (at most 10 s, retrying every 50 ms) until a first connect succeeds.
abort    N connects at R per second, each closed at once with SO_LINGER
         {1,0}: one reset per connection, sent by this one process.  With
         --then M: once a line is read on stdin (at most 60 s later), M
         more.  --linger S:
         stay alive S seconds more at the end (so that the process can be
         looked up after its last reset).
scan     a connect() scan of ports FIRST..LAST, one attempt each, in order;
         prints "open=… closed=… other=…".

Every loop is bounded in count and every socket operation in time.
"""
import argparse
import ctypes
import select
import socket
import struct
import sys
import time

PR_SET_NAME = 15


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def set_comm(name):
    if name:
        ctypes.CDLL(None).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


class Pacer:
    """Sleep so that step i starts at i / rate seconds (no pacing at 0)."""

    def __init__(self, rate):
        self.rate = rate
        self.t0 = time.monotonic()

    def wait(self, i):
        if self.rate > 0:
            d = self.t0 + i / self.rate - time.monotonic()
            if d > 0:
                time.sleep(d)


def serve(a):
    set_comm(a.comm)
    fam = family(a.addr)
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind((a.addr, a.port))
    ls.listen(a.backlog)
    print("listening", flush=True)
    end = time.monotonic() + a.seconds
    ls.settimeout(0.2)
    while time.monotonic() < end:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        c.settimeout(2)
        try:
            buf = b""
            while b"\r\n\r\n" not in buf and len(buf) < 4096:
                d = c.recv(4096)
                if not d:
                    break
                buf += d
            if buf:
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
            c.shutdown(socket.SHUT_WR)
            # Read the client's FIN: nothing unread at close, no reset.
            while c.recv(4096):
                pass
        except OSError:
            pass
        finally:
            c.close()


def connect_once(fam, host, port, http):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((host, port))
        if http:
            s.sendall(b"GET / HTTP/1.0\r\nHost: a\r\n\r\n")
            while s.recv(4096):
                pass
        return "ok"
    except ConnectionRefusedError:
        return "refused"
    except OSError:
        return "other"
    finally:
        s.close()


def connect(a):
    fam = family(a.host)
    n = {"ok": 0, "refused": 0, "other": 0}
    if a.first_ok:
        end = time.monotonic() + 10
        while connect_once(fam, a.host, a.port, a.http) != "ok":
            if time.monotonic() > end:
                sys.exit("connect: %s port %d never answered" % (a.host, a.port))
            time.sleep(0.05)
    p = Pacer(a.rate)
    for i in range(a.count):
        p.wait(i)
        n[connect_once(fam, a.host, a.port, a.http)] += 1
    print("ok=%d refused=%d other=%d" % (n["ok"], n["refused"], n["other"]), flush=True)


def abort_loop(a, count):
    fam = family(a.host)
    p = Pacer(a.rate)
    done = 0
    for i in range(count):
        p.wait(i)
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.connect((a.host, a.port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            done += 1
        except OSError:
            pass
        finally:
            s.close()
    return done


def abort(a):
    set_comm(a.comm)
    done = abort_loop(a, a.count)
    if a.then:
        r, _, _ = select.select([sys.stdin], [], [], 60)
        if not r or not sys.stdin.readline():
            sys.exit("abort: no go on stdin")
        done += abort_loop(a, a.then)
    print("aborted=%d" % done, flush=True)
    time.sleep(a.linger)


def scan(a):
    fam = family(a.host)
    n = {"ok": 0, "refused": 0, "other": 0}
    for port in range(a.first, a.last + 1):
        n[connect_once(fam, a.host, port, False)] += 1
    print("open=%d closed=%d other=%d" % (n["ok"], n["refused"], n["other"]), flush=True)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("addr")
    s.add_argument("port", type=int)
    s.add_argument("--seconds", type=float, default=60)
    s.add_argument("--comm")
    s.add_argument("--backlog", type=int, default=1024)
    c = sub.add_parser("connect")
    c.add_argument("host")
    c.add_argument("port", type=int)
    c.add_argument("--count", type=int, required=True)
    c.add_argument("--rate", type=float, default=0)
    c.add_argument("--http", action="store_true")
    c.add_argument("--first-ok", action="store_true")
    b = sub.add_parser("abort")
    b.add_argument("host")
    b.add_argument("port", type=int)
    b.add_argument("--count", type=int, required=True)
    b.add_argument("--rate", type=float, default=0)
    b.add_argument("--comm")
    b.add_argument("--then", type=int, default=0)
    b.add_argument("--linger", type=float, default=0)
    k = sub.add_parser("scan")
    k.add_argument("host")
    k.add_argument("first", type=int)
    k.add_argument("last", type=int)
    a = ap.parse_args()
    {"serve": serve, "connect": connect, "abort": abort, "scan": scan}[a.cmd](a)


main()
