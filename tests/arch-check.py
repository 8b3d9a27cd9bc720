#!/usr/bin/env python3
"""arch-check: the shape the layout promises, checked on the build.

- The core archive needs no library's symbol (nm): only libc and libm.
- Each folder includes only what it may (core: core; kernel: kernel and
  core; daemon: all but the client; client: client and core), and never
  by a relative path out of its folder.
- No cycle of includes between files, and no cycle of calls between
  object files (who defines what, from nm).

Usage: arch-check.py TOP.  Prints what is wrong; exits 1 if anything is.
No root needed.  Standard library only.
"""
import os
import re
import subprocess
import sys

ALLOWED = {
    "core": ["core"],
    "kernel": ["kernel", "core"],
    "daemon": ["daemon", "kernel", "core"],
    "client": ["client", "core"],
}
# Undefined symbols of these libraries must not appear in the core.
LIBRARY_PREFIXES = ("mnl_", "nflog_", "nfnl_", "nftnl_", "nft_", "capng_",
                    "seccomp_", "json_")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def nm(paths, *flags):
    out = subprocess.run(["nm", *flags, *paths], check=True,
                         capture_output=True, text=True).stdout
    return out


def core_symbols(top, problems):
    lib = os.path.join(top, "src/core/librstmon-core.a")
    defined, undefined = set(), set()
    for line in nm([lib]).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCVW":
            defined.add(parts[2])
    external = sorted(undefined - defined)
    bad = [s for s in external if s.startswith(LIBRARY_PREFIXES)]
    for s in bad:
        problems.append(f"src/core/librstmon-core.a needs {s}: a library's "
                        "symbol in the core")
    return len(external)


def sources(top):
    for folder in ALLOWED:
        d = os.path.join(top, "src", folder)
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                yield folder, os.path.join(d, name)


def include_graph(top, problems):
    where = {}
    for folder, path in sources(top):
        where.setdefault(os.path.basename(path), []).append(folder)
    graph = {}
    for folder, path in sources(top):
        rel = os.path.relpath(path, top)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        graph[rel] = []
        for inc in INCLUDE.findall(text):
            if "/" in inc:
                problems.append(f"{rel}: #include \"{inc}\": a path out "
                                "of the folder")
                continue
            homes = [h for h in ALLOWED[folder] if h in where.get(inc, [])]
            if not homes:
                problems.append(f"{rel}: #include \"{inc}\": not in "
                                f"{', '.join('src/' + a for a in ALLOWED[folder])}")
                continue
            graph[rel].append(f"src/{homes[0]}/{inc}")
    return graph


def call_graph(top):
    objs = []
    for folder in ALLOWED:
        d = os.path.join(top, "src", folder)
        # Objects of today's sources only (not one left by a rename).
        objs += [os.path.join(d, n[:-2] + ".o")
                 for n in sorted(os.listdir(d)) if n.endswith(".c")]
    definer, uses = {}, {}
    for line in nm(objs, "-A").splitlines():
        path, _, rest = line.partition(":")
        parts = rest.split()
        rel = os.path.relpath(path, top)
        uses.setdefault(rel, set())
        if len(parts) == 2 and parts[0] == "U":
            uses[rel].add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCVW":
            definer[parts[2]] = rel
    return {o: sorted({definer[s] for s in syms if s in definer} - {o})
            for o, syms in uses.items()}


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        # Iterative: the graphs are small, but recursion limits vary.
        work = [(v, iter(graph.get(v, ())))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(graph.get(w, ()))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = []
    n_ext = core_symbols(top, problems)
    inc = include_graph(top, problems)
    for c in cycles(inc):
        problems.append("include cycle: " + " <-> ".join(c))
    calls = call_graph(top)
    for c in cycles(calls):
        problems.append("call cycle: " + " <-> ".join(c))
    for p in problems:
        print("arch-check: " + p, file=sys.stderr)
    if problems:
        return 1
    print(f"arch-check: ok: the core archive needs {n_ext} symbols, none "
          f"a library's; {len(inc)} files, {len(calls)} objects, no "
          "include or call cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
