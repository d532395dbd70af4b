package io.mmgraph.bench.engine;

import io.mmgraph.vector.Metric;

/**
 * Build settings shared by every engine so that they are comparable.
 *
 * @param metric          the distance every engine uses
 * @param degree          links per node at the base layer: mmgraph R, jvector maxDegree, Lucene 2·M, hnswlib 2·M
 * @param buildBeamWidth  the candidate list while linking: mmgraph L, jvector beamWidth, Lucene beamWidth,
 *                        hnswlib ef_construction
 * @param alpha           the diversity factor of robust pruning where the engine has one (mmgraph, jvector)
 */
public record BuildParams(Metric metric, int degree, int buildBeamWidth, float alpha) {
    public BuildParams {
        if (degree < 2 || degree % 2 != 0) {
            throw new IllegalArgumentException("degree must be even and at least 2 (HNSW engines use M = degree/2): " + degree);
        }
        if (buildBeamWidth < 1) {
            throw new IllegalArgumentException("build beam width must be positive: " + buildBeamWidth);
        }
    }

    /** HNSW's M: upper layers get M links, layer 0 gets 2·M. */
    public int hnswM() {
        return degree / 2;
    }
}
