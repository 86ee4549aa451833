#!/usr/bin/env python3
"""Runs a shell command several times; prints best wall time and peak memory.

    measure.py RUNS 'COMMAND'   ->   "SECONDS PEAK_MB"

Wall time is the best of RUNS unsampled runs. Peak memory comes from one
more run: the largest sum of RssAnon (private, anonymous resident memory)
over the command's process tree, sampled every 5 ms. File pages of
memory-mapped inputs are not counted, as SPEC §8 asks.
"""
import os
import subprocess
import sys
import threading
import time


def tree(pid):
    """The pid and all its descendants, found through /proc/*/stat."""
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parent[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(c for c, pp in parent.items() if pp == p)
    return pids


def anon_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd, sampled):
    """Runs once; returns wall seconds and, when sampled, peak RssAnon in KB.
    Sampling costs CPU, so timed runs are not sampled."""
    peak = 0
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(anon_kb(p) for p in tree(proc.pid)))
            done.wait(0.005)

    sampler = threading.Thread(target=sample)
    if sampled:
        sampler.start()
    proc.wait()
    elapsed = time.perf_counter() - start
    done.set()
    if sampled:
        sampler.join()
    return elapsed, peak


def main():
    runs, cmd = int(sys.argv[1]), sys.argv[2]
    best = min(run(cmd, False)[0] for _ in range(runs))
    _, peak = run(cmd, True)
    print(f"{best:.3f} {peak / 1024:.0f}")


if __name__ == "__main__":
    main()
