#!/usr/bin/python3
"""Dask peer of bench_peers: runs a DAG given as JSON on a local in-process
distributed cluster (scheduler and workers in this process, like the other
peers) and prints "seconds S nodes N work_us W" with the best of REPS runs
(W: the summed node bodies, for the efficiency of the granularity sweep).

usage: dask_peer.py WORKLOAD.json REPS THREADS
"""
import json
import logging
import sys
import time

from dask.distributed import Client, LocalCluster


def busy_work(us, *_inputs):
    """The node body: spin (no sleep) like the C++ peers."""
    if us > 0:
        end = time.perf_counter() + us * 1e-6
        while time.perf_counter() < end:
            pass
    return 0


def main():
    # Shutdown chatter of the local cluster is not a result.
    for name in ("asyncio", "distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    path, reps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path) as f:
        w = json.load(f)
    preds, work = w["preds"], w["work_us"]
    n = len(work)
    has_succ = [False] * n
    for ps in preds:
        for p in ps:
            has_succ[p] = True
    best = None
    with LocalCluster(n_workers=1, threads_per_worker=threads, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        for rep in range(reps):
            # Keys unique per rep: the scheduler must not reuse results it kept.
            key = ("r%d_n" % rep) + "%d"
            sinks = [key % i for i in range(n) if not has_succ[i]]
            start = time.perf_counter()
            graph = {key % i: (busy_work, work[i]) + tuple(key % p for p in preds[i])
                     for i in range(n)}
            client.get(graph, sinks)
            took = time.perf_counter() - start
            best = took if best is None else min(best, took)
    print("seconds %.9f nodes %d work_us %.3f" % (best, n, sum(work)))


if __name__ == "__main__":
    main()
