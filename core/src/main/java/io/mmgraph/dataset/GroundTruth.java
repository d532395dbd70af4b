package io.mmgraph.dataset;

import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours by brute force over heap vectors, on all cores: the oracle recall is measured
 * against. Ties are broken by the smaller ordinal, as the index does.
 */
public final class GroundTruth {
    private GroundTruth() {}

    /** For each query, the ordinals of its {@code k} nearest base vectors, nearest first. */
    public static int[][] compute(float[][] base, float[][] queries, int k, Metric metric) {
        VectorKernels kernels = Kernels.get();
        float[][] b = metric.normalizes() ? normalizedCopy(base) : base;
        float[][] q = metric.normalizes() ? normalizedCopy(queries) : queries;
        int kk = Math.min(k, b.length);
        int[][] out = new int[q.length][];
        IntStream.range(0, q.length).parallel().forEach(qi -> {
            out[qi] = new int[kk];
            nearest(kernels, b, q[qi], metric, out[qi], new float[kk]);
        });
        return out;
    }

    /**
     * Brute force for one query: fills {@code ids} (and {@code distances}, of the same length) with the
     * {@code ids.length} nearest rows of {@code base}, nearest first. Vectors must already be prepared for the metric
     * (normalized for cosine). Returns how many were found: {@code min(ids.length, base.length)}.
     */
    public static int nearest(VectorKernels kernels, float[][] base, float[] query, Metric metric, int[] ids,
                              float[] distances) {
        int kk = Math.min(ids.length, base.length);
        int size = 0;
        for (int i = 0; i < base.length; i++) {
            float d = kernels.distance(metric, query, base[i]);
            if (size < kk) {
                size = insert(ids, distances, size, i, d);
            } else if (d < distances[kk - 1]) {
                insert(ids, distances, kk - 1, i, d);
            }
        }
        return size;
    }

    /** Insertion into a sorted prefix of {@code size}; returns the new size. Equal distances keep insertion order. */
    private static int insert(int[] ids, float[] ds, int size, int id, float d) {
        int at = size;
        while (at > 0 && ds[at - 1] > d) {
            at--;
        }
        System.arraycopy(ids, at, ids, at + 1, size - at);
        System.arraycopy(ds, at, ds, at + 1, size - at);
        ids[at] = id;
        ds[at] = d;
        return size + 1;
    }

    private static float[][] normalizedCopy(float[][] vs) {
        float[][] out = new float[vs.length][];
        for (int i = 0; i < vs.length; i++) {
            out[i] = Arrays.copyOf(vs[i], vs[i].length);
            Kernels.normalize(out[i]);
        }
        return out;
    }

    /** Recall@k: the fraction of each truth row's first {@code k} ids found among {@code found}'s first k. */
    public static double recall(int[][] found, int[][] truth, int k) {
        long hits = 0;
        long total = 0;
        for (int q = 0; q < found.length; q++) {
            int kk = Math.min(k, truth[q].length);
            for (int i = 0; i < kk; i++) {
                int t = truth[q][i];
                for (int j = 0; j < Math.min(k, found[q].length); j++) {
                    if (found[q][j] == t) {
                        hits++;
                        break;
                    }
                }
            }
            total += kk;
        }
        return total == 0 ? 1.0 : (double) hits / total;
    }
}
