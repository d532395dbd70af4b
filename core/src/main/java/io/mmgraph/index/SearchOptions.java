package io.mmgraph.index;

import io.mmgraph.graph.NodeFilter;

/**
 * How to search.
 *
 * @param k      results wanted
 * @param ef     L, the beam width of the graph search (HNSW's ef); at least k is used. Larger finds more of the true
 *               nearest neighbours at proportionally more cost. Default {@link #DEFAULT_EF}
 * @param exact  brute force over every vector instead of the graph (the recall oracle)
 * @param codes  where the index has product-quantization codes, walk the graph by code distances and re-rank the
 *               beam's nodes by their full vectors (the default); false walks by the full vectors
 * @param filter which ordinals may be returned (null: all); deleted ones never are. See {@link #withFilter}
 */
public record SearchOptions(int k, int ef, boolean exact, boolean codes, NodeFilter filter) {
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

    public SearchOptions(int k, int ef, boolean exact, boolean codes) {
        this(k, ef, exact, codes, null);
    }

    public static SearchOptions k(int k) {
        return new SearchOptions(k, DEFAULT_EF, false, true, null);
    }

    public SearchOptions withEf(int newEf) {
        return new SearchOptions(k, newEf, exact, codes, filter);
    }

    public SearchOptions exactSearch() {
        return new SearchOptions(k, ef, true, codes, filter);
    }

    /** Walks the graph by the full vectors even where the index has codes. */
    public SearchOptions withoutCodes() {
        return new SearchOptions(k, ef, exact, false, filter);
    }

    /**
     * Returns only ordinals {@code filter} accepts (it is called from the searching thread, often, so it should be a
     * cheap look-up, such as a bit set or a column of payload values). The search estimates from a sample how many
     * ordinals the filter accepts and picks the cheaper of two plans: a graph walk that passes through rejected
     * nodes but keeps only accepted ones in its beam, or, for a filter that accepts few, an exact scan of the
     * accepted ones (docs/design.md, "Filtered search"). Either returns {@code k} results whenever as many are
     * accepted.
     */
    public SearchOptions withFilter(NodeFilter newFilter) {
        return new SearchOptions(k, ef, exact, codes, newFilter);
    }

    /** The beam width actually used. */
    public int beamWidth() {
        return Math.max(ef, k);
    }
}
