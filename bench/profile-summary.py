#!/usr/bin/env python3
"""Managed CPU of a dotnet-trace (dotnet-sampled-thread-time) profile, from its speedscope export.

Usage: dotnet-trace convert --format Speedscope X.nettrace -o X; bench/profile-summary.py X.speedscope.json [top]
Counts only time whose innermost pseudo-frame is CPU_TIME (a thread running managed code, as docs/BENCHMARKS.md
reads profiles); prints the top frames by inclusive time (each frame once per stack) and by exclusive time (the
method just above CPU_TIME).
"""
import collections
import json
import sys

data = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
names = [f["name"] for f in data["shared"]["frames"]]
inclusive = collections.Counter()
exclusive = collections.Counter()
total = 0.0
for profile in data["profiles"]:
    stack, last = [], None
    for event in profile.get("events", []):
        at = event["at"]
        if last is not None and stack and names[stack[-1]] == "CPU_TIME" and at > last:
            duration = at - last
            total += duration
            for frame in set(stack[:-1]):
                inclusive[names[frame]] += duration
            if len(stack) > 1:
                exclusive[names[stack[-2]]] += duration
        last = at
        if event["type"] == "O":
            stack.append(event["frame"])
        elif stack:
            stack.pop()

print(f"managed CPU: {total / 1000:.2f} s")
for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
    print(f"--- top {top} by {title} managed CPU")
    for name, ms in counter.most_common(top):
        print(f"{ms / max(total, 1e-9) * 100:5.1f}%  {ms / 1000:7.2f} s  {name[:150]}")
