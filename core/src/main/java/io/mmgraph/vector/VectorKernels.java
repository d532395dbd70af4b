package io.mmgraph.vector;

import java.lang.foreign.MemorySegment;

/**
 * Distance kernels between a heap query and a vector stored (little-endian floats) in a memory segment, or
 * between two heap vectors. One implementation is chosen at start ({@link Kernels#get()}) so the JIT sees a single
 * receiver type in every loop.
 */
public interface VectorKernels {
    /** Sum of squared differences of {@code q} and the {@code q.length} floats at {@code offset}. */
    float squaredL2(float[] q, MemorySegment segment, long offset);

    /** Inner product of {@code q} and the {@code q.length} floats at {@code offset}. */
    float dot(float[] q, MemorySegment segment, long offset);

    float squaredL2(float[] a, float[] b);

    /** Between two stored vectors of {@code dim} floats (graph construction compares stored nodes). */
    float squaredL2(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim);

    float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim);

    float dot(float[] a, float[] b);

    /** A short name for logs and stats, e.g. "panama-256" or "scalar". */
    String name();

    /** The distance of {@code metric} (lower is nearer) between {@code q} and a stored vector. */
    default float distance(Metric metric, float[] q, MemorySegment segment, long offset) {
        return switch (metric) {
            case L2 -> squaredL2(q, segment, offset);
            case COSINE -> 1f - dot(q, segment, offset);
            case DOT -> -dot(q, segment, offset);
        };
    }

    default float distance(Metric metric, MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim) {
        return switch (metric) {
            case L2 -> squaredL2(a, aOffset, b, bOffset, dim);
            case COSINE -> 1f - dot(a, aOffset, b, bOffset, dim);
            case DOT -> -dot(a, aOffset, b, bOffset, dim);
        };
    }

    default float distance(Metric metric, float[] a, float[] b) {
        return switch (metric) {
            case L2 -> squaredL2(a, b);
            case COSINE -> 1f - dot(a, b);
            case DOT -> -dot(a, b);
        };
    }
}
