package io.mmgraph.graph;

/** Distance from one fixed point (a query, or a stored node) to stored nodes; lower is nearer. Not thread-safe. */
public interface NodeScorer {
    float distance(int node);

    /**
     * A hint that {@link #distance} will soon be asked for {@code node}: an implementation may touch the node's
     * data so that the cache misses of several nodes overlap (memory-level parallelism) instead of queueing one
     * after another inside the distance loop. Must not change any result.
     */
    default void prefetch(int node) {}
}
