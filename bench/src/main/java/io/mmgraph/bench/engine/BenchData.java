package io.mmgraph.bench.engine;

import io.mmgraph.vector.Metric;

/**
 * The vectors every engine indexes and searches, held on the heap so that no engine pays for reading them.
 *
 * @param base    base vectors; row i is ordinal i (null in a JVM that only searches persisted indexes)
 * @param queries query vectors
 * @param truth   for each query, the ordinals of its nearest base vectors, nearest first (at least k of them)
 * @param metric  the metric the truth was computed with
 */
public record BenchData(float[][] base, float[][] queries, int[][] truth, Metric metric) {
    public int dimension() {
        return queries[0].length;
    }
}
