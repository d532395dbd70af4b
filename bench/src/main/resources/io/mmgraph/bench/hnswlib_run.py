"""hnswlib (C++) as a further engine of `mmgraph bench`: builds, saves, reloads and sweeps ef with the same spec the
JVM engines get, writing timings as JSON and the found ids as .ivecs. Recall is scored by the Java harness, with the
same code as every other engine. Usage: hnswlib_run.py SPEC.json OUT.json"""
import json
import os
import resource
import sys
import time

import hnswlib
import numpy as np


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return raw.reshape(-1, dim + 1)[:, 1:].copy().view(np.float32)


def write_ivecs(path, rows):
    rows = np.asarray(rows, dtype=np.int32)
    out = np.empty((rows.shape[0], rows.shape[1] + 1), dtype=np.int32)
    out[:, 0] = rows.shape[1]
    out[:, 1:] = rows
    out.tofile(path)


def log(msg):
    print("[hnswlib] " + msg, file=sys.stderr, flush=True)


def timed_passes(fn, count, passes):
    rates = []
    for _ in range(passes):
        t0 = time.perf_counter()
        fn()
        rates.append(count / (time.perf_counter() - t0))
    return float(np.median(rates))


def main():
    spec = json.load(open(sys.argv[1]))
    out_path = sys.argv[2]
    base = read_fvecs(os.path.join(spec["dataDir"], "base.fvecs"))
    queries = read_fvecs(os.path.join(spec["dataDir"], "query.fvecs"))
    n, dim = base.shape
    space = {"l2": "l2", "euclidean": "l2", "cosine": "cosine", "angular": "cosine", "dot": "ip", "ip": "ip"}[spec["metric"].lower()]
    k, threads, m = spec["k"], spec["threads"], spec["degree"] // 2
    os.makedirs(spec["indexDir"], exist_ok=True)
    index_file = os.path.join(spec["indexDir"], "hnswlib.bin")
    log("hnswlib %s, numpy %s; building over %d x %d with %d threads (M=%d, ef_construction=%d) ..."
        % (getattr(hnswlib, "__version__", "?"), np.__version__, n, dim, threads, m, spec["buildBeamWidth"]))

    t0 = time.perf_counter()
    index = hnswlib.Index(space=space, dim=int(dim))
    index.init_index(max_elements=n, ef_construction=spec["buildBeamWidth"], M=m, random_seed=100)
    index.set_num_threads(threads)
    index.add_items(base, np.arange(n))
    index.save_index(index_file)
    build_seconds = time.perf_counter() - t0
    del index
    index_bytes = os.path.getsize(index_file)
    log("built in %.1f s, index %d bytes" % (build_seconds, index_bytes))

    t0 = time.perf_counter()
    index = hnswlib.Index(space=space, dim=int(dim))
    index.load_index(index_file, max_elements=n)
    open_millis = (time.perf_counter() - t0) * 1e3

    rows = []
    for effort in sorted(set(max(e, k) for e in spec["efforts"])):
        index.set_ef(effort)
        index.set_num_threads(1)
        t0 = time.perf_counter()
        labels, _ = index.knn_query(queries, k=k)
        warm = time.perf_counter() - t0
        ids_file = os.path.join(spec["indexDir"], "ids-%d.ivecs" % effort)
        write_ivecs(ids_file, labels)
        reps = max(1, int(np.ceil(spec["minPassSeconds"] / max(warm, 1e-9))))
        batch = np.tile(queries, (reps, 1)) if reps > 1 else queries
        total = batch.shape[0]

        def single():
            index.set_num_threads(1)
            index.knn_query(batch, k=k)

        def multi():
            index.set_num_threads(threads)
            index.knn_query(batch, k=k)

        qps = timed_passes(single, total, spec["passes"])
        qps_threads = timed_passes(multi, total, spec["passes"])
        index.set_num_threads(1)
        lat = []
        for q in queries:  # one call per query: includes the Python call overhead (a few microseconds)
            q0 = time.perf_counter()
            index.knn_query(q, k=k)
            lat.append((time.perf_counter() - q0) * 1e6)
        lat.sort()
        rows.append({"engine": "hnswlib", "effortName": "ef", "param": effort, "k": k, "qps": qps,
                     "qpsThreads": qps_threads, "threads": threads,
                     "p50Micros": lat[int(0.5 * (len(lat) - 1))], "p99Micros": lat[int(0.99 * (len(lat) - 1))],
                     "buildSeconds": build_seconds, "indexBytes": index_bytes, "openMillis": open_millis,
                     "idsFile": ids_file, "heapPeakBytes": -1,
                     "rssPeakBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "n": int(n), "dimension": int(dim), "queries": int(len(queries))})
        log("ef=%d qps=%.0f qps(%d threads)=%.0f" % (effort, qps, threads, qps_threads))
    json.dump(rows, open(out_path, "w"), indent=1)


if __name__ == "__main__":
    main()
