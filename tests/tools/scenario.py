#!/usr/bin/python3
"""scenario: make namespace A send real TCP resets of every kind rstmon knows.

    scenario.py --ns-a NS --ns-b NS --uid UID --a4 ADDR --b4 ADDR --a6 ADDR --b6 ADDR
                [--ready-cmd CMD] [--ready-timeout S] [--hold S] NAME [NAME...]
    scenario.py --list

Run as root from the root network namespace.  NS_A is the monitored host,
NS_B its peer (a veth pair between them, as tests/integration/lib.sh builds
it).  For each scenario NAME (or `all`) the resets are provoked for real,
by child processes that enter a namespace with setns(2).  The processes that
play A's applications drop to UID/UID (gid = uid, no supplementary groups)
before they create anything, and call themselves (PR_SET_NAME)
    rst-server    an accepting server
    rst-client    a connecting client
    rst-listener  a listener that only listens
    rst-short     a client that connects, aborts and exits at once
Peers in B run as root ("rst-peer") and may send hand-made segments from a
raw socket; B's kernel's own unwanted answers are dropped by an nft table
of B only (`inet rstmon_test_peer`), removed afterwards.

stdout: one JSON object per reset A is expected to send, printed once the
scenario has completed (ports known exactly: A's sockets use fixed ports,
B's ephemeral ports are reported by B's process):
    {"scenario":…, "family":4|6, "local":…, "lport":…, "remote":…, "rport":…,
     "flags":"R"|"RA", "cause":…, "kernel_reason":…|null, "uid":UID|null,
     "comm":"rst-…"|null}
`cause` uses DESIGN.md's taxonomy; `kernel_reason` is the tcp_send_reset
tracepoint's reason (null for firewall resets: they are not traced).
uid/comm name the owner rstmon should report: the sending socket's owner,
or the listener's owner for resets a listener sends or that hit a server
port with a listener; null when nothing owned it.  For resets sent by a
listener the tracepoint shows the listener's address and a zero peer.

--ready-cmd CMD (split with shlex, no shell, its stdout goes to stderr) is
run for the scenarios whose owner rstmon can only know from having seen the
socket alive (client_linger, connect_unspec, ss_kill, keepalive,
fin_wait_abort, memory_abort, time_wait, data_after_close_client), right
before the step that triggers the reset, while the socket is established
(FIN_WAIT2 for fin_wait_abort).  It is re-run every 0.1 s until it exits 0,
for at most --ready-timeout seconds (default 20), else the scenario fails.
These environment variables describe the socket: RSTMON_SCENARIO,
RSTMON_FAMILY, RSTMON_LOCAL, RSTMON_LPORT, RSTMON_REMOTE, RSTMON_RPORT.

--hold S (default 0.5): how long a listener stays open after the last reset
of its scenario, so that a monitor looking the port up finds it.

Every wait is bounded, every child reaped, every socket closed, every nft
table removed and every sysctl restored, also on errors.  Exit status 0 on
success, 1 (with a message on stderr) when a scenario fails, 2 on bad usage.

Ports used in A (fixed): 7401-7423 (listeners, closed ports), 45408-45429
(clients; short_aborts' clients take ephemeral ports); B listens on
7408-7424 and sends raw segments from 40403-40405 and 41600-41602.
"""
import argparse
import contextlib
import ctypes
import errno
import fcntl
import ipaddress
import json
import os
import select
import shlex
import signal
import socket
import struct
import subprocess
import sys
import time
import traceback

CLONE_NEWNET = 0x40000000
PR_SET_NAME = 15
SO_MARK = getattr(socket, "SO_MARK", 36)
PEER_MARK = 0x7273                    # B's raw segments: exempt from B's drop rules
PEER_TABLE = "rstmon_test_peer"
FW_TABLE = "rstmon_test_fw"
T = 5.0                               # bound of an ordinary wait (s)
LONG = 60.0                           # bound of a wait spanning --ready-cmd (set in main)

# TCP states (include/net/tcp_states.h)
ESTABLISHED, SYN_SENT, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK = 1, 2, 4, 5, 6, 7, 8, 9
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

_libc = ctypes.CDLL(None, use_errno=True)
_parent_ends = []                     # channel ends the parent holds (closed in children)


class ScenarioError(Exception):
    pass


def note(msg):
    print("scenario: " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes

def enter_netns(ns):
    fd = os.open(os.path.join("/run/netns", ns), os.O_RDONLY | os.O_CLOEXEC)
    try:
        if hasattr(os, "setns"):
            os.setns(fd, CLONE_NEWNET)
        elif _libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns(%s): %s" % (ns, os.strerror(e)))
    finally:
        os.close(fd)


def set_comm(name):
    _libc.prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)


def drop_privileges(uid):
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


class Chan:
    """Newline-delimited JSON messages over one end of a socketpair."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, ev, **kw):
        kw["ev"] = ev
        self.sock.sendall((json.dumps(kw) + "\n").encode())

    def recv(self, timeout, what):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ScenarioError("timed out after %.1f s waiting for %s" % (timeout, what))
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                data = self.sock.recv(65536)
                if not data:
                    raise ScenarioError("channel closed while waiting for %s" % what)
                self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def expect(self, ev, timeout=T):
        msg = self.recv(timeout, repr(ev))
        if msg.get("ev") != ev:
            raise ScenarioError("expected %r, got %r" % (ev, msg))
        return msg


class Child:
    """A forked process in network namespace NS running fn(chan, *args)."""

    def __init__(self, name, ns, fn, *args, uid=None, comm="rst-peer"):
        self.name = name
        sys.stdout.flush()
        sys.stderr.flush()
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:                                  # child
            code = 1
            chan = Chan(theirs)
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                mine.close()
                for s in _parent_ends:
                    s.close()
                enter_netns(ns)
                if uid is not None:
                    drop_privileges(uid)
                set_comm(comm)
                fn(chan, *args)
                code = 0
            except BaseException as e:                # noqa: B902 - report anything
                try:
                    detail = "".join(traceback.format_exception_only(type(e), e)).strip()
                    tb = traceback.extract_tb(e.__traceback__)
                    where = ("%s:%d" % (tb[-1].name, tb[-1].lineno)) if tb else "?"
                    chan.send("error", error="%s (at %s)" % (detail, where))
                except BaseException:                 # noqa: B902
                    pass
            finally:
                os._exit(code)
        theirs.close()
        self.pid = pid
        self.sock = mine
        self.chan = Chan(mine)
        self.status = None
        _parent_ends.append(mine)

    def _check(self, msg):
        if msg.get("ev") == "error":
            raise ScenarioError("%s: %s" % (self.name, msg.get("error")))
        return msg

    def expect(self, ev, timeout=T):
        msg = self._check(self.chan.recv(timeout, "%s: %r" % (self.name, ev)))
        if msg.get("ev") != ev:
            raise ScenarioError("%s: expected %r, got %r" % (self.name, ev, msg))
        return msg

    def spin_expect(self, ev, timeout):
        """expect() by busy-waiting: returns within microseconds of the message."""
        deadline = time.monotonic() + timeout
        self.sock.setblocking(False)
        try:
            while b"\n" not in self.chan.buf:
                try:
                    data = self.sock.recv(65536)
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise ScenarioError("%s: timed out waiting for %r" % (self.name, ev))
                    continue
                if not data:
                    raise ScenarioError("%s: channel closed" % self.name)
                self.chan.buf += data
        finally:
            self.sock.setblocking(True)
        return self.expect(ev, timeout=0.1)

    def send(self, ev, **kw):
        try:
            self.chan.send(ev, **kw)
        except OSError as e:
            raise ScenarioError("%s: cannot send %r: %s" % (self.name, ev, e))

    def finish(self, timeout=T):
        """Wait for a normal exit (status 0); raise otherwise."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = st
                break
            if time.monotonic() > deadline:
                self.kill()
                raise ScenarioError("%s did not exit within %.1f s" % (self.name, timeout))
            time.sleep(0.01)
        self.close()
        if not (os.WIFEXITED(self.status) and os.WEXITSTATUS(self.status) == 0):
            raise ScenarioError("%s failed (wait status %#x)" % (self.name, self.status))

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, self.status = os.waitpid(self.pid, 0)
        self.close()

    def close(self):
        if self.sock is not None:
            if self.sock in _parent_ends:
                _parent_ends.remove(self.sock)
            self.sock.close()
            self.sock = None


def spawn(stack, name, ns, fn, *args, **kw):
    c = Child(name, ns, fn, *args, **kw)
    stack.callback(c.kill)                            # no-op once finished
    return c


# ------------------------------------------------------- commands in a netns

def run(argv, timeout=10, input=None):
    try:
        r = subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ScenarioError("%s: timed out" % " ".join(argv))
    except OSError as e:
        raise ScenarioError("%s: %s" % (argv[0], e))
    if r.returncode != 0:
        raise ScenarioError("%s: exit %d: %s" % (" ".join(argv), r.returncode, r.stderr.strip()))
    return r.stdout


def in_ns(ns, *argv):
    return ["ip", "netns", "exec", ns] + list(argv)


def nft_drop_table(ns, name):
    """Remove table inet NAME from NS if it is there."""
    run(in_ns(ns, "nft", "-f", "-"), input="table inet %s\ndelete table inet %s\n" % (name, name))


def nft_table(stack, ns, name, body):
    """Create table inet NAME in NS (replacing any leftover); removed at scope exit."""
    def remove():
        try:
            nft_drop_table(ns, name)
        except ScenarioError as e:
            note("warning: could not remove table inet %s in %s: %s" % (name, ns, e))
    script = "table inet %s\ndelete table inet %s\ntable inet %s {\n%s\n}\n" % (name, name, name, body)
    stack.callback(remove)
    run(in_ns(ns, "nft", "-f", "-"), input=script)


def sysctl_get(ns, key):
    return run(in_ns(ns, "sysctl", "-n", key)).strip()


def sysctl_set(ns, key, value):
    run(in_ns(ns, "sysctl", "-q", "-w", "%s=%s" % (key, value)))


def sysctl_scoped(stack, ns, key, value):
    """Set a per-netns sysctl for the scope, restoring the old value after."""
    old = sysctl_get(ns, key)
    if old == str(value):
        return
    stack.callback(sysctl_set, ns, key, old)
    sysctl_set(ns, key, value)


ORPHANS = "/proc/sys/net/ipv4/tcp_max_orphans"


@contextlib.contextmanager
def orphans_window():
    """net.ipv4.tcp_max_orphans = 0 (GLOBAL: initial netns only) for the body.

    Instances of this tool serialise on a lock file, so that one never
    "restores" the 0 another has just written; an existing 0 is refused."""
    lockdir = "/run/lock" if os.path.isdir("/run/lock") else "/run"
    with open(os.path.join(lockdir, "rstmon-scenario-tcp_max_orphans.lock"), "a") as lk:
        def locked():
            try:
                fcntl.flock(lk, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
        wait_until(locked, 15, "the tcp_max_orphans lock (another memory_abort run)")
        fd = os.open(ORPHANS, os.O_RDWR)
        try:
            old = os.read(fd, 64).decode().strip()
            if not old.isdigit() or int(old) == 0:
                raise ScenarioError("net.ipv4.tcp_max_orphans is %r: someone else is changing it; "
                                    "not touching it" % old)
            os.pwrite(fd, b"0\n", 0)
            try:
                yield
            finally:
                os.pwrite(fd, old.encode() + b"\n", 0)
        finally:
            os.close(fd)


def fin_timeout_at_most_60(stack, ns):
    """Make closed FIN_WAIT2 orphans become timewait socks (FIN_WAIT2 substate)."""
    if int(sysctl_get(ns, "net.ipv4.tcp_fin_timeout")) > 60:
        sysctl_scoped(stack, ns, "net.ipv4.tcp_fin_timeout", 60)


# --------------------------------------------------- helpers in child processes

def proc_tcp():
    """[(lport, rport, state, is_timewait_sock)] of every TCP socket of this netns."""
    out = []
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                lines = f.read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fld = line.split()
            out.append((int(fld[1].rsplit(":", 1)[1], 16), int(fld[2].rsplit(":", 1)[1], 16),
                        int(fld[3], 16), fld[5].startswith("03:")))     # timer 3 = timewait
    return out


def wait_until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise ScenarioError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(0.005)


def wait_tuple_state(lport, rport, state, tw, timeout=T):
    """Wait for the socket lport->rport in state; tw: a timewait sock (True) or a
    full socket (False), as /proc/net/tcp shows FIN_WAIT2 for both."""
    def seen():
        found = [t for t in proc_tcp() if t[:2] == (lport, rport)]
        return found, (lport, rport, state, tw) in found
    wait_until(lambda: seen()[1], timeout, "%s %d->%d in state %d (seen: %r)" % (
        "timewait sock" if tw else "full socket", lport, rport, state, seen()[0]))


def spin_recv_byte(ch, timeout):
    """Busy-wait (no sleep: no wake-up latency) for one raw byte on the channel."""
    if ch.buf:
        ch.buf = ch.buf[1:]
        return
    ch.sock.setblocking(False)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                if ch.sock.recv(1):
                    return
                raise ScenarioError("channel closed")
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ScenarioError("timed out waiting for the go byte")
    finally:
        ch.sock.setblocking(True)


def tcp_state(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]


def wait_sock_state(s, state, timeout=T):
    wait_until(lambda: tcp_state(s) == state, timeout, "state %d (now %d)" % (state, tcp_state(s)))


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def abort(s):
    """Close without sending anything but (at most) one RST."""
    try:
        linger0(s)
    except OSError:
        pass
    s.close()


def listener(fam, addr, port, backlog=8, rcvbuf=None):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def client(fam, laddr, lport, raddr, rport, timeout=T):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((laddr, lport))
    s.settimeout(timeout)
    s.connect((raddr, rport))
    return s


def accept(ls, timeout=T):
    ls.settimeout(timeout)
    c, peer = ls.accept()
    c.settimeout(timeout)
    return c, peer


def expect_reset(s, timeout=T):
    """Block in recv until the connection is reset (ECONNRESET)."""
    s.settimeout(timeout)
    try:
        data = s.recv(1)
    except ConnectionResetError:
        return
    raise ScenarioError("expected a reset, recv gave %r" % data)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class RawTCP:
    """Hand-made IPv4 TCP segments from B (marked PEER_MARK) and a capture of
    every TCP segment B receives from A, from the moment of creation."""

    def __init__(self, src, dst):
        self.src, self.dst = src, dst
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        self.s.setsockopt(socket.SOL_SOCKET, SO_MARK, PEER_MARK)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.s.bind((src, 0))
        self.seen = []

    def send(self, sport, dport, flags, seq, ack=0, payload=b"", win=64240):
        hdr = struct.pack("!HHIIHHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                          (5 << 12) | flags, win, 0, 0)
        pseudo = socket.inet_aton(self.src) + socket.inet_aton(self.dst) + \
            struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(hdr) + len(payload))
        c = csum(pseudo + hdr + payload)
        self.s.sendto(hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload, (self.dst, 0))

    def _parse(self, b):
        ihl = (b[0] & 15) * 4
        if b[9] != socket.IPPROTO_TCP or socket.inet_ntoa(b[12:16]) != self.dst:
            return None
        sport, dport, seq, ack, offfl, win = struct.unpack("!HHIIHH", b[ihl:ihl + 16])
        tot = struct.unpack("!H", b[2:4])[0]
        return {"sport": sport, "dport": dport, "seq": seq, "ack": ack, "flags": offfl & 0x1ff,
                "win": win, "len": tot - ihl - (offfl >> 12) * 4}

    def wait(self, match, timeout=T, what="segment"):
        """The first captured segment from A for which match(p) is true."""
        for p in self.seen:
            if match(p):
                self.seen.remove(p)
                return p
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ScenarioError("timed out waiting for %s from A" % what)
            r, _, _ = select.select([self.s], [], [], left)
            if not r:
                continue
            p = self._parse(self.s.recv(65535))
            if p is None:
                continue
            if match(p):
                return p
            self.seen.append(p)

    def close(self):
        self.s.close()


def fl(p):
    return ("R" if p["flags"] & RST else "") + ("A" if p["flags"] & ACK else "") + \
        ("S" if p["flags"] & SYN else "") + ("F" if p["flags"] & FIN else "")


def is_rst(sport, dport):
    return lambda p: p["sport"] == sport and p["dport"] == dport and p["flags"] & RST


# ------------------------------------------------------------------ scenarios

class Ctx:
    def __init__(self, a):
        self.a = a
        self.ns_a, self.ns_b, self.uid = a.ns_a, a.ns_b, a.uid
        self.a4, self.b4 = a.a4, a.b4
        self.a6, self.b6 = a.a6, a.b6
        self.out = []

    def addrs(self, fam):
        return (self.a4, self.b4) if fam == 4 else (self.a6, self.b6)

    def expect(self, name, fam, lport, remote_port, flags, cause, reason, comm):
        local, remote = self.addrs(fam)
        self.out.append({"scenario": name, "family": fam, "local": local, "lport": lport,
                         "remote": remote, "rport": remote_port, "flags": flags,
                         "cause": cause, "kernel_reason": reason,
                         "uid": self.uid if comm else None, "comm": comm})

    def ready(self, name, fam, lport, rport):
        """Run --ready-cmd until it exits 0 (bounded)."""
        if not self.a.ready_cmd:
            return
        argv = shlex.split(self.a.ready_cmd)
        local, remote = self.addrs(fam)
        env = dict(os.environ, RSTMON_SCENARIO=name, RSTMON_FAMILY=str(fam), RSTMON_LOCAL=local,
                   RSTMON_LPORT=str(lport), RSTMON_REMOTE=remote, RSTMON_RPORT=str(rport))
        deadline = time.monotonic() + self.a.ready_timeout
        while True:
            left = deadline - time.monotonic()
            try:
                r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(),
                                   env=env, timeout=max(left, 0.1))
            except subprocess.TimeoutExpired:
                raise ScenarioError("--ready-cmd did not finish within %.1f s" % self.a.ready_timeout)
            except OSError as e:
                raise ScenarioError("--ready-cmd: %s" % e)
            if r.returncode == 0:
                return
            if time.monotonic() + 0.1 > deadline:
                raise ScenarioError("--ready-cmd never exited 0 within %.1f s (last status %d)"
                                    % (self.a.ready_timeout, r.returncode))
            time.sleep(0.1)

    def hold(self):
        time.sleep(self.a.hold)

    def peer_drop_table(self, stack, daddr_port, what="tcp flags & rst == rst"):
        """In B: drop B's kernel's own segments to A's port (raw segments pass)."""
        nft_table(stack, self.ns_b, PEER_TABLE,
                  "  chain out {\n    type filter hook output priority 0; policy accept;\n"
                  "    meta mark 0x%x accept\n    ip daddr %s tcp dport %d %s drop\n  }"
                  % (PEER_MARK, self.a4, daddr_port, what))


# --- child bodies (A side: uid dropped; B side: root) ---

def b_connect_refused(ch, fam, src, dst, port, n):
    ports = []
    for _ in range(n):
        s = socket.socket(fam, socket.SOCK_STREAM)
        try:
            s.bind((src, 0))
            ports.append(s.getsockname()[1])
            s.settimeout(T)
            try:
                s.connect((dst, port))
            except ConnectionRefusedError:
                continue
            raise ScenarioError("connect to port %d was not refused" % port)
        finally:
            s.close()
    ch.send("done", ports=ports)


def a_listen_only(ch, fam, addr, port, backlog, expect_children_gone):
    ls = listener(fam, addr, port, backlog)
    ch.send("ready")
    ch.expect("stop", timeout=LONG)
    if expect_children_gone:
        wait_until(lambda: not [t for t in proc_tcp() if t[0] == port and t[2] != 10], T,
                   "no connection left on port %d" % port)
    ls.close()
    ch.send("done")


def sc_closed_port(ctx, stack, name, fam):
    port = 7401 if fam == 4 else 7402
    local, remote = ctx.addrs(fam)
    af = socket.AF_INET if fam == 4 else socket.AF_INET6
    b = spawn(stack, "peer", ctx.ns_b, b_connect_refused, af, remote, local, port, 3)
    ports = b.expect("done", timeout=3 * T)["ports"]
    b.finish()
    for p in ports:
        ctx.expect(name, fam, port, p, "RA", "closed_port", "NO_SOCKET", None)


def b_stray_ack(ch, src, dst, sport, dport):
    raw = RawTCP(src, dst)
    raw.send(sport, dport, ACK, seq=1000, ack=5000)
    p = raw.wait(is_rst(dport, sport), what="RST")
    raw.close()
    ch.send("done", flags=fl(p), seq=p["seq"])


def sc_stray_ack(ctx, stack, name, with_listener):
    port, sport = (7404, 40404) if with_listener else (7403, 40403)
    if with_listener:
        a = spawn(stack, "listener", ctx.ns_a, a_listen_only, socket.AF_INET, ctx.a4, port, 8,
                  False, uid=ctx.uid, comm="rst-listener")
        a.expect("ready")
    b = spawn(stack, "peer", ctx.ns_b, b_stray_ack, ctx.b4, ctx.a4, sport, port)
    r = b.expect("done")
    b.finish()
    if r["flags"] != "R" or r["seq"] != 5000:
        raise ScenarioError("unexpected reset %s seq %d" % (r["flags"], r["seq"]))
    if with_listener:
        ctx.hold()
        a.send("stop")
        a.expect("done")
        a.finish()
        ctx.expect(name, 4, port, sport, "R", "stray_segment", "TCP_FLAGS", "rst-listener")
    else:
        ctx.expect(name, 4, port, sport, "R", "stray_segment", "NO_SOCKET", None)


def b_bad_handshake_ack(ch, src, dst, sport, dport):
    raw = RawTCP(src, dst)
    isn = 100000
    raw.send(sport, dport, SYN, seq=isn)
    sa = raw.wait(lambda p: p["sport"] == dport and p["dport"] == sport and
                  p["flags"] & (SYN | ACK) == SYN | ACK, what="SYN-ACK")
    bad = (sa["seq"] + 1 + 1000) & 0xffffffff
    raw.send(sport, dport, ACK, seq=isn + 1, ack=bad)
    p = raw.wait(is_rst(dport, sport), what="RST")
    # Remove the pending request socket quietly (nobody answers a RST).
    raw.send(sport, dport, RST, seq=isn + 1)
    raw.close()
    ch.send("done", flags=fl(p), seq=p["seq"], bad=bad)


def sc_bad_handshake_ack(ctx, stack, name):
    port, sport = 7405, 40405
    ctx.peer_drop_table(stack, port)
    a = spawn(stack, "listener", ctx.ns_a, a_listen_only, socket.AF_INET, ctx.a4, port, 8, True,
              uid=ctx.uid, comm="rst-listener")
    a.expect("ready")
    b = spawn(stack, "peer", ctx.ns_b, b_bad_handshake_ack, ctx.b4, ctx.a4, sport, port)
    r = b.expect("done")
    b.finish()
    if r["flags"] != "R" or r["seq"] != r["bad"]:
        raise ScenarioError("unexpected reset %s seq %d" % (r["flags"], r["seq"]))
    ctx.hold()
    a.send("stop")
    a.expect("done")
    a.finish()
    ctx.expect(name, 4, port, sport, "R", "stray_segment", "TCP_FLAGS", "rst-listener")


def a_server(ch, fam, addr, port, mode, tw):
    """rst-server: accept one connection and end it per mode."""
    ls = listener(fam, addr, port)
    ch.send("ready")
    c, peer = accept(ls)
    if mode == "linger":
        ch.expect("go")
        linger0(c)
        c.close()
    elif mode == "unread":
        r, _, _ = select.select([c], [], [], T)
        if not r:
            raise ScenarioError("no data arrived")
        c.close()                                     # data left unread
    elif mode == "close":
        c.close()                                     # FIN; the peer sends data later
        wait_tuple_state(port, peer[1], FIN_WAIT2, tw)
        ch.send("fin_wait2")
    ch.send("closed", rport=peer[1])
    ch.expect("stop", timeout=LONG)
    ls.close()
    ch.send("done")


def b_client(ch, fam, src, dst, port, mode):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(T)
    s.connect((dst, port))
    ch.send("connected", port=s.getsockname()[1])
    if mode == "linger":
        expect_reset(s)
    elif mode == "unread":
        s.sendall(b"x")
        expect_reset(s)
    elif mode == "close":
        ch.expect("go")
        if s.recv(1) != b"":
            raise ScenarioError("expected EOF")
        s.sendall(b"late")
        wait_sock_state(s, CLOSE)
    s.close()
    ch.send("reset")


def sc_server(ctx, stack, name, fam, port, mode, cause, reason, flags, tw=None):
    local, remote = ctx.addrs(fam)
    af = socket.AF_INET if fam == 4 else socket.AF_INET6
    a = spawn(stack, "server", ctx.ns_a, a_server, af, local, port, mode, tw, uid=ctx.uid,
              comm="rst-server")
    a.expect("ready")
    b = spawn(stack, "peer", ctx.ns_b, b_client, af, remote, local, port, mode)
    bport = b.expect("connected")["port"]
    if mode == "linger":
        a.send("go")
    elif mode == "close":
        a.expect("fin_wait2")
        b.send("go")
    rport = a.expect("closed")["rport"]
    b.expect("reset")
    b.finish()
    if rport != bport:
        raise ScenarioError("server saw peer port %d, peer says %d" % (rport, bport))
    ctx.hold()
    a.send("stop")
    a.expect("done")
    a.finish()
    ctx.expect(name, fam, port, bport, flags, cause, reason, "rst-server")


def b_server(ch, fam, addr, port, mode, a_addr):
    """The peer's server: accepts one connection (two for memory_abort)."""
    # c2: a tiny receive window that closes at once (the peer never reads).
    ls = listener(fam, addr, port, rcvbuf=2048 if mode == "c2" else None)
    raw = RawTCP(addr, a_addr) if mode == "time_wait" else None
    ch.send("ready")
    c, peer = accept(ls)
    extra = None
    if mode == "memory":
        extra = c                                     # the orphan's peer
        c, peer = accept(ls)
    if mode == "c2":
        c.shutdown(socket.SHUT_WR)                    # never read
    ch.send("accepted", rport=peer[1])
    if mode in ("reset", "c2", "memory"):
        wait_sock_state(c, CLOSE, timeout=LONG)       # A's reset arrived
        c.close()
    elif mode == "keepalive":
        ch.expect("late", timeout=LONG)               # A's keepalive reset never reached us
        c.sendall(b"late")                            # for a connection A no longer has:
        expect_reset(c)                               # A answers R (NO_SOCKET)
        c.close()
    elif mode == "late_data":
        ch.expect("go", timeout=LONG)
        if c.recv(1) != b"":
            raise ScenarioError("expected EOF")
        c.sendall(b"late")
        wait_sock_state(c, CLOSE)
        c.close()
    elif mode == "time_wait":
        ch.expect("go", timeout=LONG)                 # A closed, is in FIN_WAIT2 substate
        fin = raw.wait(lambda p: p["sport"] == peer[1] and p["dport"] == port and p["flags"] & FIN,
                       what="FIN")
        rcv_nxt = fin["ack"]                          # A's rcv_nxt = our snd_nxt
        raw.send(port, peer[1], SYN, seq=rcv_nxt)
        p = raw.wait(is_rst(peer[1], port), what="RST")
        if p["flags"] != RST | ACK or p["seq"] != 0 or p["ack"] != (rcv_nxt + 1) & 0xffffffff:
            raise ScenarioError("unexpected reset %s seq %d ack %d" % (fl(p), p["seq"], p["ack"]))
        abort(c)                                      # our RST is dropped by B's table
        raw.close()
    if extra is not None:
        abort(extra)                                  # kills A's FIN_WAIT2 orphan quietly
    ls.close()
    ch.send("reset")


def a_client(ch, fam, laddr, lport, raddr, rport, mode):
    """rst-client in A."""
    if mode == "memory":
        o = client(fam, laddr, lport + 10, raddr, rport)
        o.close()                                     # an orphan in FIN_WAIT2 (full socket)
        wait_tuple_state(lport + 10, rport, FIN_WAIT2, False)
    s = client(fam, laddr, lport, raddr, rport)
    if mode == "keepalive":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
    elif mode == "memory":
        s.sendall(b"x")
        time.sleep(0.3)                               # orphan count cache refreshes every 100 ms
    elif mode == "fin_wait":
        s.shutdown(socket.SHUT_WR)
        wait_sock_state(s, FIN_WAIT2)
    elif mode == "c2":
        if s.recv(1) != b"":                          # peer's FIN: CLOSE_WAIT
            raise ScenarioError("expected EOF")
        s.setblocking(False)
        deadline = time.monotonic() + T
        chunk = b"\0" * 65536
        while True:                                   # fill the send queue: peer window is closed
            try:
                s.send(chunk)
            except BlockingIOError:
                break
            if time.monotonic() > deadline:
                raise ScenarioError("send queue never filled")
        s.shutdown(socket.SHUT_WR)                    # LAST_ACK with data unsent
        if tcp_state(s) != LAST_ACK:
            raise ScenarioError("state %d, not LAST_ACK" % tcp_state(s))
    ch.send("established")
    ch.expect("go", timeout=LONG)                     # after --ready-cmd
    if mode in ("linger", "c2"):
        linger0(s)
        s.close()
    elif mode == "unspec":
        sa = struct.pack("H14x", socket.AF_UNSPEC)
        if _libc.connect(s.fileno(), sa, len(sa)) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "connect(AF_UNSPEC): " + os.strerror(e))
        s.close()
    elif mode == "kill":                              # ss -K was run
        s.settimeout(T)
        try:
            s.recv(1)
            raise ScenarioError("socket not killed")
        except ConnectionAbortedError:
            pass
        s.close()
    elif mode == "keepalive":
        s.settimeout(15)
        try:
            s.recv(1)
            raise ScenarioError("no keepalive timeout")
        except OSError as e:
            if e.errno != errno.ETIMEDOUT:
                raise
        s.close()
    elif mode == "fin_wait":
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_LINGER2, -1)
        s.close()
    elif mode == "memory":
        # Busy-wait for the parent's byte: it sets tcp_max_orphans=0 just before
        # and restores it as soon as we report, so the window is a close().
        ch.send("armed")
        spin_recv_byte(ch, 2.0)
        s.close()
    elif mode in ("late_data", "time_wait"):
        s.close()
        wait_tuple_state(lport, rport, FIN_WAIT2, True)   # timewait sock, FIN_WAIT2 substate
    ch.send("closed")
    ch.send("done")


def sc_client(ctx, stack, name, port, mode, b_mode, flags, cause, reason, comm, ready=True):
    fam = 4
    lport = 45000 + port - 7000
    if mode == "memory":
        sysctl_scoped(stack, ctx.ns_a, "net.ipv4.tcp_fin_timeout", 120)
    if mode in ("late_data", "time_wait"):
        fin_timeout_at_most_60(stack, ctx.ns_a)
    b = spawn(stack, "peer", ctx.ns_b, b_server, socket.AF_INET, ctx.b4, port, b_mode, ctx.a4)
    b.expect("ready")
    a = spawn(stack, "client", ctx.ns_a, a_client, socket.AF_INET, ctx.a4, lport, ctx.b4, port,
              mode, uid=ctx.uid, comm="rst-client")
    a.expect("established", timeout=3 * T)
    if b.expect("accepted")["rport"] != lport:
        raise ScenarioError("peer saw the wrong client port")
    if ready:
        ctx.ready(name, fam, lport, port)
    if mode == "kill":
        out = run(in_ns(ctx.ns_a, "ss", "-tnK", "dst", ctx.b4, "dport", "=", ":%d" % port))
        if ":%d" % lport not in out:
            raise ScenarioError("ss -K killed nothing: %r" % out)
        a.send("go")
    elif mode == "keepalive":
        nft_table(stack, ctx.ns_b, PEER_TABLE,
                  "  chain in {\n    type filter hook input priority 0; policy accept;\n"
                  "    ip saddr %s tcp dport %d drop\n  }" % (ctx.a4, port))
        a.send("go")
    elif mode == "memory":
        a.send("go")
        a.expect("armed")                             # the client now busy-waits
        with orphans_window():                        # just one close()
            a.sock.send(b"!")
            a.spin_expect("closed", 2.0)
        try:
            b.expect("reset")
        except ScenarioError as e:
            raise ScenarioError("close() was not aborted (%s); did something else change "
                                "net.ipv4.tcp_max_orphans meanwhile?" % e)
    elif mode == "time_wait":
        a.send("go")
        a.expect("closed")
        ctx.peer_drop_table(stack, lport, what="")   # B's kernel must stay silent now
        b.send("go")
    elif mode == "late_data":
        a.send("go")
        a.expect("closed")
        b.send("go")
    else:
        a.send("go")
    if mode not in ("memory", "time_wait", "late_data"):
        a.expect("closed", timeout=20)                # keepalive: ~3 s
    if mode == "keepalive":
        nft_drop_table(ctx.ns_b, PEER_TABLE)          # B hears A again
        b.send("late")                                # B still thinks it is connected
    if mode != "memory":
        b.expect("reset", timeout=20)
    a.expect("done")
    a.finish()
    b.finish()
    ctx.expect(name, fam, lport, port, flags, cause, reason, comm)
    if mode == "keepalive":
        # The peer's late data meets no socket: a stray segment, not
        # data after close (there is no orphan or timewait sock).
        ctx.expect(name + "_late", fam, lport, port, "R", "stray_segment", "NO_SOCKET", None)


def b_accept_many(ch, fam, addr, port, n):
    """The peer of short_aborts: accepts n connections, waits for each reset."""
    ls = listener(fam, addr, port, backlog=n)
    ch.send("ready")
    conns = []
    for _ in range(n):
        c, peer = accept(ls, timeout=LONG)
        conns.append(c)
        ch.send("accepted", rport=peer[1])
    for c in conns:
        wait_sock_state(c, CLOSE, timeout=LONG)       # A's reset arrived
        c.close()
    ls.close()
    ch.send("done")


def a_short_abort(ch, fam, laddr, raddr, rport):
    """rst-short in A: connect, abort at once, exit: no listing sees it."""
    s = client(fam, laddr, 0, raddr, rport)
    lport = s.getsockname()[1]
    linger0(s)
    s.close()
    ch.send("done", lport=lport)


def sc_short_aborts(ctx, stack, name, n=10):
    port = 7424
    b = spawn(stack, "peer", ctx.ns_b, b_accept_many, socket.AF_INET, ctx.b4, port, n)
    b.expect("ready")
    for i in range(n):
        a = spawn(stack, "short-%d" % i, ctx.ns_a, a_short_abort, socket.AF_INET, ctx.a4,
                  ctx.b4, port, uid=ctx.uid, comm="rst-short")
        lport = a.expect("done", timeout=3 * T)["lport"]
        a.finish()
        if b.expect("accepted")["rport"] != lport:
            raise ScenarioError("peer saw the wrong client port")
        ctx.expect(name, 4, lport, port, "RA", "app_abort", "TCP_STATE", "rst-short")
    b.expect("done", timeout=LONG)
    b.finish()


def b_bad_syn_ack(ch, src, dst, sport_a, port):
    raw = RawTCP(src, dst)
    ch.send("ready")
    syn = raw.wait(lambda p: p["sport"] == sport_a and p["dport"] == port and
                   p["flags"] & (SYN | ACK) == SYN, what="SYN")
    bad = (syn["seq"] + 1 + 1000) & 0xffffffff
    raw.send(port, sport_a, SYN | ACK, seq=50000, ack=bad)
    p = raw.wait(is_rst(sport_a, port), what="RST")
    raw.close()
    ch.send("done", flags=fl(p), seq=p["seq"], ack=p["ack"], bad=bad)


def a_syn_sent(ch, laddr, lport, raddr, rport):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((laddr, lport))
    s.setblocking(False)
    try:
        s.connect((raddr, rport))
    except BlockingIOError:
        pass
    ch.send("connecting")
    ch.expect("stop", timeout=30)
    if tcp_state(s) != SYN_SENT:
        raise ScenarioError("state %d, not SYN_SENT" % tcp_state(s))
    s.close()                                         # SYN_SENT: closes silently
    ch.send("done")


def sc_bad_syn_ack(ctx, stack, name):
    port, lport = 7423, 45423
    ctx.peer_drop_table(stack, lport)                 # B's kernel would refuse the SYN
    b = spawn(stack, "peer", ctx.ns_b, b_bad_syn_ack, ctx.b4, ctx.a4, lport, port)
    b.expect("ready")
    a = spawn(stack, "client", ctx.ns_a, a_syn_sent, ctx.a4, lport, ctx.b4, port,
              uid=ctx.uid, comm="rst-client")
    a.expect("connecting")
    r = b.expect("done")
    b.finish()
    if r["flags"] != "R" or r["seq"] != r["bad"]:
        raise ScenarioError("unexpected reset %s seq %d" % (r["flags"], r["seq"]))
    ctx.hold()
    a.send("stop")
    a.expect("done")
    a.finish()
    ctx.expect(name, 4, lport, port, "R", "bad_segment", "TCP_INVALID_ACK_SEQUENCE", "rst-client")


def b_overflow(ch, src, dst, port, base):
    raw = RawTCP(src, dst)
    synack = {}

    def S(i):
        raw.send(base + i, port, SYN, seq=1000 * i + 1000)
        synack[i] = raw.wait(lambda p: p["sport"] == port and p["dport"] == base + i and
                             p["flags"] & (SYN | ACK) == SYN | ACK, what="SYN-ACK %d" % i)

    def A(i):
        raw.send(base + i, port, ACK, seq=1000 * i + 1001, ack=synack[i]["seq"] + 1)

    S(0); A(0); S(1); S(2); A(1); A(2)                # A(2) finds the accept queue full
    p = raw.wait(is_rst(port, base + 2), what="RST")
    time.sleep(0.2)
    others = [q for q in raw.seen if q["flags"] & RST]
    if others:
        raise ScenarioError("more resets than expected: %r" % others)
    for i in (0, 1):                                  # reset the 2 queued children quietly
        raw.send(base + i, port, RST, seq=1000 * i + 1001)
    raw.close()
    ch.send("done", flags=fl(p), seq=p["seq"], ack0=synack[2]["seq"] + 1)


def sc_listen_overflow(ctx, stack, name):
    port, base = 7416, 41600
    sysctl_scoped(stack, ctx.ns_a, "net.ipv4.tcp_abort_on_overflow", 1)
    ctx.peer_drop_table(stack, port)
    a = spawn(stack, "listener", ctx.ns_a, a_listen_only, socket.AF_INET, ctx.a4, port, 1, True,
              uid=ctx.uid, comm="rst-listener")
    a.expect("ready")
    b = spawn(stack, "peer", ctx.ns_b, b_overflow, ctx.b4, ctx.a4, port, base)
    r = b.expect("done", timeout=4 * T)
    b.finish()
    if r["flags"] != "R" or r["seq"] != r["ack0"] & 0xffffffff:
        raise ScenarioError("unexpected reset %s seq %d" % (r["flags"], r["seq"]))
    ctx.hold()
    a.send("stop")
    a.expect("done")
    a.finish()
    ctx.expect(name, 4, port, base + 2, "R", "listen_overflow", "INVALID_SYN", "rst-listener")


def a_listener_closed(ch, addr, port):
    ls = listener(socket.AF_INET, addr, port)
    ch.send("ready")
    ch.expect("close")
    wait_until(lambda: len([t for t in proc_tcp() if t[0] == port and t[2] == ESTABLISHED]) == 2,
               T, "2 queued connections")
    ls.close()
    ch.send("done")


def b_two_clients(ch, src, dst, port):
    socks = []
    for _ in range(2):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((src, 0))
        s.settimeout(T)
        s.connect((dst, port))
        socks.append(s)
    ch.send("connected", ports=[s.getsockname()[1] for s in socks])
    for s in socks:
        expect_reset(s)
        s.close()
    ch.send("reset")


def sc_listener_closed(ctx, stack, name):
    port = 7417
    a = spawn(stack, "listener", ctx.ns_a, a_listener_closed, ctx.a4, port, uid=ctx.uid,
              comm="rst-listener")
    a.expect("ready")
    b = spawn(stack, "peer", ctx.ns_b, b_two_clients, ctx.b4, ctx.a4, port)
    ports = b.expect("connected")["ports"]
    # A monitor names a closing listener only if it has seen it alive.
    ctx.ready(name, 4, port, 0)
    a.send("close")
    a.expect("done")
    b.expect("reset")
    a.finish()
    b.finish()
    for p in ports:
        ctx.expect(name, 4, port, p, "RA", "listener_closed", "TCP_STATE", "rst-listener")


def sc_firewall(ctx, stack, name):
    port = 7420
    nft_table(stack, ctx.ns_a, FW_TABLE,
              "  chain input {\n    type filter hook input priority 0; policy accept;\n"
              "    ip daddr %s tcp dport %d reject with tcp reset\n  }" % (ctx.a4, port))
    b = spawn(stack, "peer", ctx.ns_b, b_connect_refused, socket.AF_INET, ctx.b4, ctx.a4, port, 3)
    ports = b.expect("done", timeout=3 * T)["ports"]
    b.finish()
    for p in ports:
        ctx.expect(name, 4, port, p, "RA", "firewall", None, None)


SCENARIOS = {
    "closed_port4": lambda c, s, n: sc_closed_port(c, s, n, 4),
    "closed_port6": lambda c, s, n: sc_closed_port(c, s, n, 6),
    "stray_ack": lambda c, s, n: sc_stray_ack(c, s, n, False),
    "stray_ack_listener": lambda c, s, n: sc_stray_ack(c, s, n, True),
    "bad_handshake_ack": sc_bad_handshake_ack,
    "server_linger": lambda c, s, n: sc_server(c, s, n, 4, 7406, "linger", "app_abort",
                                               "TCP_STATE", "RA"),
    "server_linger6": lambda c, s, n: sc_server(c, s, n, 6, 7407, "linger", "app_abort",
                                                "TCP_STATE", "RA"),
    "client_linger": lambda c, s, n: sc_client(c, s, n, 7408, "linger", "reset", "RA",
                                               "app_abort", "TCP_STATE", "rst-client"),
    "unread_close": lambda c, s, n: sc_server(c, s, n, 4, 7409, "unread", "unread_close",
                                              "TCP_ABORT_ON_CLOSE", "RA"),
    "data_after_close": lambda c, s, n: sc_data_after_close(c, s, n, 7410, False),
    "data_after_close_long": lambda c, s, n: sc_data_after_close(c, s, n, 7411, True),
    "data_after_close_client": lambda c, s, n: sc_client(c, s, n, 7412, "late_data", "late_data",
                                                         "R", "data_after_close",
                                                         "TCP_TIMEWAIT_SOCKET", None),
    "connect_unspec": lambda c, s, n: sc_client(c, s, n, 7413, "unspec", "reset", "RA",
                                                "app_abort", "TCP_STATE", "rst-client"),
    "ss_kill": lambda c, s, n: sc_client(c, s, n, 7414, "kill", "reset", "RA", "app_abort",
                                         "TCP_STATE", "rst-client"),
    "keepalive": lambda c, s, n: sc_client(c, s, n, 7415, "keepalive", "keepalive", "RA",
                                           "keepalive_timeout", "TCP_KEEPALIVE_TIMEOUT",
                                           "rst-client"),
    "listen_overflow": sc_listen_overflow,
    "listener_closed": sc_listener_closed,
    "fin_wait_abort": lambda c, s, n: sc_client(c, s, n, 7418, "fin_wait", "reset", "RA",
                                                "fin_wait_abort", "TCP_ABORT_ON_LINGER",
                                                "rst-client"),
    "memory_abort": lambda c, s, n: sc_client(c, s, n, 7419, "memory", "memory", "RA",
                                              "memory_abort", "TCP_ABORT_ON_MEMORY", "rst-client"),
    "firewall": sc_firewall,
    "time_wait": lambda c, s, n: sc_client(c, s, n, 7421, "time_wait", "time_wait", "RA",
                                           "time_wait", "TCP_TIMEWAIT_SOCKET", "rst-client"),
    "disconnect_with_data": lambda c, s, n: sc_client(c, s, n, 7422, "c2", "c2", "RA",
                                                      "app_abort", "TCP_DISCONNECT_WITH_DATA",
                                                      "rst-client"),
    "bad_syn_ack": sc_bad_syn_ack,
    "short_aborts": sc_short_aborts,
}


def sc_data_after_close(ctx, stack, name, port, long_fin):
    if long_fin:                                      # the orphan stays a full FIN_WAIT2 socket
        sysctl_scoped(stack, ctx.ns_a, "net.ipv4.tcp_fin_timeout", 120)
        reason = "TCP_ABORT_ON_DATA"
    else:                                             # it becomes a timewait sock
        fin_timeout_at_most_60(stack, ctx.ns_a)
        reason = "TCP_TIMEWAIT_SOCKET"
    sc_server(ctx, stack, name, 4, port, "close", "data_after_close", reason, "R",
              tw=not long_fin)


# ---------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(
        description="Provoke real TCP resets sent by namespace A; print the expected ones as "
                    "JSON lines.", epilog="scenarios: " + " ".join(SCENARIOS))
    ap.add_argument("--ns-a", help="monitored namespace (/run/netns/NAME)")
    ap.add_argument("--ns-b", help="peer namespace")
    ap.add_argument("--uid", type=int, default=1234, help="uid (and gid) of A's applications")
    ap.add_argument("--a4", default="10.99.0.1")
    ap.add_argument("--b4", default="10.99.0.2")
    ap.add_argument("--a6", default="fd00:99::1")
    ap.add_argument("--b6", default="fd00:99::2")
    ap.add_argument("--ready-cmd", help="run before the triggering step (see --help text)")
    ap.add_argument("--ready-timeout", type=float, default=20.0)
    ap.add_argument("--hold", type=float, default=0.5,
                    help="seconds a listener stays after its resets (default 0.5)")
    ap.add_argument("--list", action="store_true", help="list the scenario names")
    ap.add_argument("names", nargs="*", metavar="NAME")
    a = ap.parse_args()
    if a.list:
        print("\n".join(SCENARIOS))
        return 0
    names = list(SCENARIOS) if a.names == ["all"] else a.names
    bad = [n for n in names if n not in SCENARIOS]
    if not names or bad or not a.ns_a or not a.ns_b:
        ap.print_usage(sys.stderr)
        note("need --ns-a, --ns-b and known scenario names%s" %
             (" (unknown: %s)" % " ".join(bad) if bad else ""))
        return 2
    for x in ("a4", "b4", "a6", "b6"):
        try:
            setattr(a, x, str(ipaddress.ip_address(getattr(a, x))))
        except ValueError:
            note("bad address --%s %s" % (x, getattr(a, x)))
            return 2
    if os.geteuid() != 0:
        note("must run as root")
        return 1
    for ns in (a.ns_a, a.ns_b):
        if not os.path.exists(os.path.join("/run/netns", ns)):
            note("no network namespace %s" % ns)
            return 1
    if "memory_abort" in names and not os.path.exists("/proc/sys/net/ipv4/tcp_max_orphans"):
        note("memory_abort needs the initial network namespace (tcp_max_orphans)")
        return 1

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    global LONG
    LONG = a.ready_timeout + a.hold + 30
    ctx = Ctx(a)
    for name in names:
        t0 = time.monotonic()
        try:
            with contextlib.ExitStack() as stack:
                SCENARIOS[name](ctx, stack, name)
        except (ScenarioError, OSError, ValueError) as e:
            note("%s: FAILED: %s" % (name, e))
            return 1
        for rec in ctx.out:
            print(json.dumps(rec, separators=(",", ":")))
        sys.stdout.flush()
        ctx.out = []
        note("%s: ok (%.2f s)" % (name, time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
