#!/usr/bin/python3
"""groundtruth: the kernel's own account of the TCP resets it sent.

Records the tcp:tcp_send_reset tracepoint (kernel >= 6.10: it carries the
kernel's `reason`, enum sk_rst_reason) in a private trace instance, so that
tests can compare rstmon's inference with what the kernel says.

    groundtruth.py start NAME               create instances/NAME, clock mono,
                                            enable tcp/tcp_send_reset there
    groundtruth.py dump NAME [--addr A ...] [--port P ...]
                                            one JSON line per recorded reset
    groundtruth.py stop NAME                disable and remove the instance

dump prints, in trace order,
    {"src":…, "sport":…, "dst":…, "dport":…, "state":…, "reason":…,
     "comm":…, "pid":…, "ts":…}
for every tcp_send_reset record of the instance's `trace` buffer (reading it
does not consume it) whose src or dst is one of the --addr addresses (all
records without --addr) and, with --port, whose sport or dport is one of
the --port ports.  The tracepoint is global and knows nothing of network
namespaces: other tests on the machine that use the same namespace-only
addresses show up too, so filter by ports as well where that matters, and
keep only records whose src is your host's address to see what it sent.
Addresses are printed as the kernel prints them, except that IPv4-mapped
IPv6 addresses are shown as plain IPv4.  A reset sent by a listener shows
the listener's bound address and a zero peer (dst 0.0.0.0 / ::, dport 0);
`state` is the kernel's name (TCP_LISTEN, TCP_CLOSE, ...), `reason` the
sk_rst_reason name (NO_SOCKET, TCP_FLAGS, ...); ts is CLOCK_MONOTONIC
seconds; comm/pid are the task that was running when the reset was sent
(often a softirq on behalf of someone else, so only a hint).

Needs root.  Exits 77 (skip) with a message when tracefs or a
tcp_send_reset tracepoint with a `reason` field is missing.
"""
import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys

SKIP = 77
EVENT = "tcp/tcp_send_reset"
CANDIDATES = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")

# "  <comm>-<pid>  [cpu] <flags>  <ts>: tcp_send_reset: skbaddr=… src=… dest=… state=… reason=…"
# comm may contain spaces and dashes; the last "-<digits>" before the CPU
# column is the pid.  An optional "(tgid)" column appears with record-tgid.
LINE_RE = re.compile(
    r"^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(?P<cpu>\d+)\]\s+"
    r"(?:(?P<flags>\S+)\s+)?(?P<ts>\d+\.\d+):\s+(?P<event>tcp_send_reset):\s+(?P<body>.*)$")
FIELD_RE = re.compile(r"(\w+)=(\S+)")


def die(msg, code=1):
    print("groundtruth: " + msg, file=sys.stderr)
    sys.exit(code)


def tracefs(mount_if_missing):
    for d in CANDIDATES:
        if os.path.isdir(os.path.join(d, "instances")):
            return d
    if mount_if_missing and os.path.isdir(CANDIDATES[0]) and os.geteuid() == 0:
        # tracefs exists in the kernel but is not mounted: mount it.
        try:
            subprocess.run(["mount", "-t", "tracefs", "nodev", CANDIDATES[0]],
                           check=True, timeout=10, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            pass
        if os.path.isdir(os.path.join(CANDIDATES[0], "instances")):
            return CANDIDATES[0]
    die("SKIP: tracefs is not available (not mounted at /sys/kernel/tracing)", SKIP)


def check_event(top):
    fmt = os.path.join(top, "events", EVENT, "format")
    try:
        with open(fmt) as f:
            text = f.read()
    except OSError:
        die("SKIP: no %s tracepoint in this kernel" % EVENT, SKIP)
    if not re.search(r"field:[^;]*\breason;", text):
        die("SKIP: %s has no `reason` field (kernel older than 6.10)" % EVENT, SKIP)


def instance_dir(top, name):
    if not name or "/" in name or name in (".", ".."):
        die("bad instance name %r" % name, 2)
    return os.path.join(top, "instances", name)


def write(path, value):
    with open(path, "w") as f:
        f.write(value)


def cmd_start(top, name):
    inst = instance_dir(top, name)
    if os.path.isdir(inst):
        # Left over from an earlier run: start afresh.
        cmd_stop(top, name)
    try:
        os.mkdir(inst)
    except OSError as e:
        die("cannot create %s: %s" % (inst, e.strerror))
    try:
        write(os.path.join(inst, "trace_clock"), "mono")
        write(os.path.join(inst, "trace"), "")
        write(os.path.join(inst, "events", EVENT, "enable"), "1")
    except OSError as e:
        try:
            os.rmdir(inst)
        except OSError:
            pass
        die("cannot set up %s: %s" % (inst, e))


def cmd_stop(top, name):
    inst = instance_dir(top, name)
    if not os.path.isdir(inst):
        return
    try:
        write(os.path.join(inst, "events", EVENT, "enable"), "0")
    except OSError:
        pass
    try:
        os.rmdir(inst)
    except OSError as e:
        die("cannot remove %s: %s (is a reader still open?)" % (inst, e.strerror))


def split_addr(text):
    """'10.0.0.1:80' or '[fd00::1]:80' -> (address, port)."""
    host, _, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = host.split("%", 1)[0]          # scope id, if any
    try:
        ip = ipaddress.ip_address(host)
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        host = str(ip)
    except ValueError:
        pass
    return host, int(port)


def parse(line):
    m = LINE_RE.match(line)
    if not m:
        return None
    fields = dict(FIELD_RE.findall(m.group("body")))
    if "src" not in fields or "dest" not in fields:
        return None
    src, sport = split_addr(fields["src"])
    dst, dport = split_addr(fields["dest"])
    return {"src": src, "sport": sport, "dst": dst, "dport": dport,
            "state": fields.get("state"), "reason": fields.get("reason"),
            "comm": m.group("comm"), "pid": int(m.group("pid")),
            "ts": float(m.group("ts"))}


def cmd_dump(top, name, addrs, ports):
    inst = instance_dir(top, name)
    if not os.path.isdir(inst):
        die("no trace instance %s (run `groundtruth.py start %s` first)" % (name, name))
    want = set()
    for a in addrs or ():
        try:
            want.add(str(ipaddress.ip_address(a)))
        except ValueError:
            die("bad address %r" % a, 2)
    with open(os.path.join(inst, "trace"), errors="replace") as f:
        for line in f:
            if line.startswith("#") or "tcp_send_reset:" not in line:
                continue
            rec = parse(line.rstrip("\n"))
            if rec is None:
                print("groundtruth: unparsed trace line: " + line.strip(), file=sys.stderr)
                continue
            if want and rec["src"] not in want and rec["dst"] not in want:
                continue
            if ports and rec["sport"] not in ports and rec["dport"] not in ports:
                continue
            print(json.dumps(rec, separators=(",", ":")))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description="Kernel ground truth for TCP resets "
                                 "(tcp:tcp_send_reset in a private trace instance).")
    ap.add_argument("action", choices=("start", "dump", "stop"))
    ap.add_argument("name", help="trace instance name")
    ap.add_argument("--addr", action="append", default=[],
                    help="dump: keep records with this src or dst address (repeatable)")
    ap.add_argument("--port", action="append", type=int, default=[],
                    help="dump: keep records with this sport or dport (repeatable)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        die("needs root (tracefs)", 1)
    top = tracefs(mount_if_missing=(args.action == "start"))
    if args.action != "stop":
        check_event(top)
    if args.action == "start":
        cmd_start(top, args.name)
    elif args.action == "dump":
        cmd_dump(top, args.name, args.addr, set(args.port))
    else:
        cmd_stop(top, args.name)


if __name__ == "__main__":
    main()
