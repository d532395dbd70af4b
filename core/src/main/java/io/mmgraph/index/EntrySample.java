package io.mmgraph.index;

import io.mmgraph.format.VectorRecords;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;

/**
 * An evenly spaced sample of about √N stored vectors, copied to the heap, that picks where a search enters the
 * graph: the query is compared with every sampled vector (contiguous heap memory, no page walks), and the search
 * starts from the nearest few instead of from one central node. On clustered data the central node can lie far from
 * the query's cluster, so the beam first spends its effort travelling; an entry near the query saves those hops
 * (HNSW's upper layers play the same role). Immutable; rebuilt as the index grows.
 */
final class EntrySample {
    /** Below this many nodes the single entry point is as good and cheaper. */
    static final int MIN_NODES = 4096;
    /** The most nodes sampled; {@code -Dmmgraph.entrySampleMax} changes it (docs/benchmarks.md, 10M). */
    static final int MAX_SAMPLE = Integer.getInteger("mmgraph.entrySampleMax", 1024);
    /** Entries a search starts from. */
    static final int SEEDS = 4;

    final int nodes;
    private final int[] ordinals;
    private final float[][] vectors;

    private EntrySample(int nodes, int[] ordinals, float[][] vectors) {
        this.nodes = nodes;
        this.ordinals = ordinals;
        this.vectors = vectors;
    }

    /** Samples {@code n} published nodes (their vectors must be stored). */
    static EntrySample of(VectorRecords records, int n) {
        int size = Math.min(MAX_SAMPLE, (int) Math.ceil(Math.sqrt(n)));
        int[] ords = new int[size];
        float[][] vs = new float[size][records.dimension()];
        for (int i = 0; i < size; i++) {
            ords[i] = (int) ((long) i * n / size);
            records.read(ords[i], vs[i]);
        }
        return new EntrySample(n, ords, vs);
    }

    int size() {
        return ordinals.length;
    }

    /**
     * Writes the ordinals of the (up to) {@code into.length} sampled nodes nearest {@code query}, nearest first,
     * using {@code scratch} (≥ into.length) for their distances; returns how many.
     */
    int nearest(VectorKernels kernels, Metric metric, float[] query, int[] into, float[] scratch) {
        int count = 0;
        int want = Math.min(into.length, ordinals.length);
        for (int i = 0; i < ordinals.length; i++) {
            float d = kernels.distance(metric, query, vectors[i]);
            if (count < want || d < scratch[count - 1]) {
                int at = count < want ? count++ : count - 1;
                while (at > 0 && scratch[at - 1] > d) {
                    scratch[at] = scratch[at - 1];
                    into[at] = into[at - 1];
                    at--;
                }
                scratch[at] = d;
                into[at] = ordinals[i];
            }
        }
        return count;
    }
}
