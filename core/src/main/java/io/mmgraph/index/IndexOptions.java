package io.mmgraph.index;

import io.mmgraph.format.FormatConstants;
import io.mmgraph.vector.Metric;

/**
 * Parameters fixed when an index is created. Immutable; build with {@link #dimension(int)} and the {@code with}
 * methods.
 *
 * @param dimension   components per vector, 1..16384
 * @param metric      distance measure; default {@link Metric#L2}
 * @param maxDegree   R, the largest out-degree of a node in the graph (DiskANN's R); default 32
 * @param extentSlots records per growth extent; files grow by one extent at a time, each mapped once.
 *                    Default 65536 (32 MiB of 128-d vectors)
 */
public record IndexOptions(int dimension, Metric metric, int maxDegree, int extentSlots) {
    public static final int DEFAULT_MAX_DEGREE = 32;
    public static final int DEFAULT_EXTENT_SLOTS = 65536;

    public IndexOptions {
        if (dimension < 1 || dimension > FormatConstants.MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " outside [1, " + FormatConstants.MAX_DIMENSION + "]");
        }
        if (metric == null) {
            throw new IllegalArgumentException("metric is null");
        }
        if (maxDegree < 1 || maxDegree > FormatConstants.MAX_DEGREE) {
            throw new IllegalArgumentException("maxDegree " + maxDegree + " outside [1, " + FormatConstants.MAX_DEGREE + "]");
        }
        if (extentSlots < 1) {
            throw new IllegalArgumentException("extentSlots " + extentSlots + " must be positive");
        }
    }

    public static IndexOptions dimension(int dimension) {
        return new IndexOptions(dimension, Metric.L2, DEFAULT_MAX_DEGREE, DEFAULT_EXTENT_SLOTS);
    }

    public IndexOptions withMetric(Metric m) {
        return new IndexOptions(dimension, m, maxDegree, extentSlots);
    }

    public IndexOptions withMaxDegree(int r) {
        return new IndexOptions(dimension, metric, r, extentSlots);
    }

    public IndexOptions withExtentSlots(int slots) {
        return new IndexOptions(dimension, metric, maxDegree, slots);
    }
}
