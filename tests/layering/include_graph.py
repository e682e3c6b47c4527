#!/usr/bin/env python3
"""The folder-level include graph of src/ must be a DAG (docs/architecture.md, "Layers").

Reads every #include "<folder>/..." in src/ (tests included: a test is part of its folder), maps
both ends to their layer (drivers/<name> is one layer each, every other folder its first path
component), and fails on any cycle, printing it with one include that makes each edge. The
compile probes in this folder prove the specific rules; this proves there is no cycle at all,
including ones no rule names yet.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel):
    parts = rel.split("/")
    if parts[0] == "drivers" and len(parts) > 2:
        return "drivers/" + parts[1]
    return parts[0]


def main(src):
    layers = {layer_of(os.path.relpath(os.path.join(d, f), src))
              for d, _, fs in os.walk(src) for f in fs}
    edges = {}  # (from, to) -> example "file:line"
    for d, _, files in os.walk(src):
        for f in files:
            if not f.endswith((".h", ".cc", ".c")):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, src)
            here = layer_of(rel)
            with open(path, encoding="utf-8", errors="replace") as fh:
                for n, line in enumerate(fh, 1):
                    m = INCLUDE.match(line)
                    if not m or "/" not in m.group(1):
                        continue
                    there = layer_of(m.group(1))
                    if there in layers and there != here:
                        edges.setdefault((here, there), f"{rel}:{n}")
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    # Depth-first search for a cycle.
    state, stack = {}, []

    def visit(v):
        state[v] = 1
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if state.get(w) == 1:
                cycle = stack[stack.index(w):] + [w]
                print("include cycle: " + " -> ".join(cycle))
                for a, b in zip(cycle, cycle[1:]):
                    print(f"  {a} -> {b}: {edges[(a, b)]}")
                return True
            if state.get(w) is None and visit(w):
                return True
        stack.pop()
        state[v] = 2
        return False

    for v in sorted(graph):
        if state.get(v) is None and visit(v):
            return 1
    print(f"{len(layers)} layers, {len(edges)} include edges, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
