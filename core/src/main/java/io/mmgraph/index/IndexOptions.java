package io.mmgraph.index;

import io.mmgraph.format.FormatConstants;
import io.mmgraph.vector.Metric;

/**
 * Parameters fixed when an index is created (they are stored in its manifest). Immutable; start from
 * {@link #dimension(int)} and adjust with the {@code with} methods. Names follow the Vamana/DiskANN paper
 * (Subramanya et al., NeurIPS 2019).
 *
 * @param dimension      components per vector, 1..16384
 * @param metric         distance measure; default {@link Metric#L2}
 * @param maxDegree      R, the largest out-degree of a node; default 32 (Lucene M=16 at layer 0, jvector 32)
 * @param buildBeamWidth L used while inserting: the candidate list size of the search that finds a new node's
 *                       neighbours; default 100
 * @param alpha          the robust-pruning slack α ≥ 1: a candidate is dropped when an already chosen neighbour is
 *                       α times closer to it than the node is; larger keeps longer edges; default 1.2 (on the metric's distances: squared for L2, as in DiskANN)
 * @param extentSlots    records per growth extent; files grow by one extent at a time, each mapped once.
 *                       Default 65536 (32 MiB of 128-d vectors)
 * @param codeBytes      bytes of product-quantization code per vector (its subspaces M, 1..dimension), or 0 (the
 *                       default) for none. With codes, searches walk the graph by code distances, which read a
 *                       small file that stays in memory, and re-rank the beam with the full vectors: the way to
 *                       search an index larger than memory (docs/design.md, "Codes"). 128-d: 32 is a good start
 * @param codeTrainSize  the quantizer is trained, on up to {@link #CODE_TRAIN_SAMPLE} of the vectors stored so far,
 *                       when the index first holds this many; earlier vectors are encoded then, later ones as they
 *                       are added. Until then searches use the vectors. At least {@link #MIN_CODE_TRAIN_SIZE};
 *                       default {@link #DEFAULT_CODE_TRAIN_SIZE}
 */
public record IndexOptions(int dimension, Metric metric, int maxDegree, int buildBeamWidth, float alpha,
                           int extentSlots, int codeBytes, int codeTrainSize) {
    public static final int DEFAULT_MAX_DEGREE = 32;
    public static final int DEFAULT_BUILD_BEAM_WIDTH = 100;
    public static final float DEFAULT_ALPHA = 1.2f;
    public static final int DEFAULT_EXTENT_SLOTS = 65536;
    public static final int DEFAULT_CODE_TRAIN_SIZE = 50_000;
    /** Fewest vectors a quantizer is trained on: 256 centroids per subspace, so every code byte names one. */
    public static final int MIN_CODE_TRAIN_SIZE = 256;
    /** Most vectors the quantizer is trained on (evenly spaced over those stored): k-means cost grows with it. */
    public static final int CODE_TRAIN_SAMPLE = 50_000;

    public IndexOptions {
        if (dimension < 1 || dimension > FormatConstants.MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " outside [1, " + FormatConstants.MAX_DIMENSION + "]");
        }
        if (metric == null) {
            throw new IllegalArgumentException("metric is null");
        }
        if (maxDegree < 2 || maxDegree > FormatConstants.MAX_DEGREE) {
            throw new IllegalArgumentException("maxDegree " + maxDegree + " outside [2, " + FormatConstants.MAX_DEGREE + "]");
        }
        if (buildBeamWidth < 1 || buildBeamWidth > FormatConstants.MAX_BUILD_BEAM_WIDTH) {
            throw new IllegalArgumentException("buildBeamWidth " + buildBeamWidth + " outside [1, "
                    + FormatConstants.MAX_BUILD_BEAM_WIDTH + "]");
        }
        if (!(alpha >= 1f && alpha <= 4f)) {
            throw new IllegalArgumentException("alpha " + alpha + " outside [1, 4]");
        }
        if (extentSlots < 1 || extentSlots > FormatConstants.MAX_EXTENT_SLOTS) {
            throw new IllegalArgumentException("extentSlots " + extentSlots + " outside [1, "
                    + FormatConstants.MAX_EXTENT_SLOTS + "]");
        }
        if (codeBytes < 0 || codeBytes > dimension) {
            throw new IllegalArgumentException("codeBytes " + codeBytes + " outside [0, dimension=" + dimension + "]");
        }
        if (codeTrainSize < MIN_CODE_TRAIN_SIZE) {
            throw new IllegalArgumentException("codeTrainSize " + codeTrainSize + " is below " + MIN_CODE_TRAIN_SIZE
                    + ": each subspace needs a centroid for every value of its code byte");
        }
    }

    public static IndexOptions dimension(int dimension) {
        return new IndexOptions(dimension, Metric.L2, DEFAULT_MAX_DEGREE, DEFAULT_BUILD_BEAM_WIDTH, DEFAULT_ALPHA,
                DEFAULT_EXTENT_SLOTS, 0, DEFAULT_CODE_TRAIN_SIZE);
    }

    public IndexOptions withMetric(Metric m) {
        return new IndexOptions(dimension, m, maxDegree, buildBeamWidth, alpha, extentSlots, codeBytes, codeTrainSize);
    }

    public IndexOptions withMaxDegree(int r) {
        return new IndexOptions(dimension, metric, r, buildBeamWidth, alpha, extentSlots, codeBytes, codeTrainSize);
    }

    public IndexOptions withBuildBeamWidth(int l) {
        return new IndexOptions(dimension, metric, maxDegree, l, alpha, extentSlots, codeBytes, codeTrainSize);
    }

    public IndexOptions withAlpha(float a) {
        return new IndexOptions(dimension, metric, maxDegree, buildBeamWidth, a, extentSlots, codeBytes, codeTrainSize);
    }

    public IndexOptions withExtentSlots(int slots) {
        return new IndexOptions(dimension, metric, maxDegree, buildBeamWidth, alpha, slots, codeBytes, codeTrainSize);
    }

    /** Product-quantization codes of {@code bytes} per vector (0: none). */
    public IndexOptions withCodeBytes(int bytes) {
        return new IndexOptions(dimension, metric, maxDegree, buildBeamWidth, alpha, extentSlots, bytes, codeTrainSize);
    }

    /** Train the quantizer when the index first holds {@code vectors} vectors. */
    public IndexOptions withCodeTrainSize(int vectors) {
        return new IndexOptions(dimension, metric, maxDegree, buildBeamWidth, alpha, extentSlots, codeBytes, vectors);
    }
}
