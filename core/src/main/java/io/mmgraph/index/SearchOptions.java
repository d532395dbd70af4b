package io.mmgraph.index;

/**
 * How to search.
 *
 * @param k     results wanted
 * @param ef    L, the beam width of the graph search (HNSW's ef); at least k is used. Larger finds more of the true
 *              nearest neighbours at proportionally more cost. Default {@link #DEFAULT_EF}
 * @param exact brute force over every vector instead of the graph (the recall oracle)
 * @param codes where the index has product-quantization codes, walk the graph by code distances and re-rank the
 *              beam's nodes by their full vectors (the default); false walks by the full vectors
 */
public record SearchOptions(int k, int ef, boolean exact, boolean codes) {
    /** Chosen so that recall@10 ≥ 0.95 on the synthetic and sentence-embedding sets of docs/benchmarks.md. */
    public static final int DEFAULT_EF = 100;

    public SearchOptions {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (ef < 1) {
            throw new IllegalArgumentException("ef must be at least 1, got " + ef);
        }
    }

    public static SearchOptions k(int k) {
        return new SearchOptions(k, DEFAULT_EF, false, true);
    }

    public SearchOptions withEf(int newEf) {
        return new SearchOptions(k, newEf, exact, codes);
    }

    public SearchOptions exactSearch() {
        return new SearchOptions(k, ef, true, codes);
    }

    /** Walks the graph by the full vectors even where the index has codes. */
    public SearchOptions withoutCodes() {
        return new SearchOptions(k, ef, exact, false);
    }

    /** The beam width actually used. */
    public int beamWidth() {
        return Math.max(ef, k);
    }
}
