package io.mmgraph.bench;

import io.mmgraph.vector.Metric;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code mmgraph bench} was asked to do; written to {@code OUT/config.json} with the results.
 *
 * @param data      a prepared folder or an ann-benchmarks HDF5 file; null for synthetic data
 * @param n         synthetic base vectors (when {@code data} is null)
 * @param dimension synthetic dimension
 * @param queries   queries to use (synthetic: how many to generate; given data: at most this many, 0 = all)
 * @param metric    distance; null means the data file's own (HDF5) or L2
 * @param engines   engines in the order they run; {@code hnswlib} runs only where it is installed
 * @param k         neighbours per query
 * @param threads   build threads and all-thread search threads
 * @param efforts   search-effort sweep
 * @param degree    base-layer degree for every engine
 * @param buildBeamWidth build beam width for every engine
 * @param alpha     pruning factor where the engine has one
 * @param out       output folder
 * @param jvmOptions flags every engine JVM gets (identical for all engines)
 * @param passes    timed passes per point
 * @param minPassSeconds shortest timed pass
 * @param seed      synthetic data seed
 * @param keepIndexes keep each engine's index under {@code OUT/index} instead of deleting it at the end
 * @param searchRounds how many times each persisted index is searched by a fresh JVM, the engines taking turns
 *                  (round 1: every engine, round 2: every engine, …); each point's QPS and latencies are the median
 *                  over rounds, so that a burst of load on a shared machine hits one round of one engine, not the
 *                  comparison
 */
public record BenchOptions(Path data, int n, int dimension, int queries, Metric metric, List<String> engines, int k,
                           int threads, List<Integer> efforts, int degree, int buildBeamWidth, float alpha, Path out,
                           List<String> jvmOptions, int passes, double minPassSeconds, long seed,
                           boolean keepIndexes, int searchRounds) {
    public static final List<Integer> DEFAULT_EFFORTS = List.of(10, 15, 20, 30, 40, 60, 80, 100, 150, 200, 300, 400);
}
