package io.mmgraph.graph;

/**
 * Which nodes a search may return. A search still walks through the nodes a filter rejects (they keep the graph
 * connected: a deleted node, or one outside a payload filter, may be the only path to the nodes that match) but
 * never returns them.
 */
@FunctionalInterface
public interface NodeFilter {
    boolean accepts(int node);

    /**
     * Whether one test costs far more than a distance computation (it reads and parses stored data, as a payload
     * filter does): a search plan then counts tests rather than distances.
     */
    default boolean costly() {
        return false;
    }

    /**
     * The nodes of {@code [0, n)} this filter accepts, where it finds them all at once faster than by {@code n}
     * {@link #accepts} calls (a payload filter on indexed fields reads each field's column in one pass); null where it
     * cannot. A scan of the accepted nodes asks first.
     */
    default java.util.BitSet accepted(int n) {
        return null;
    }
}
