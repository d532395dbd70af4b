package io.mmgraph.graph;

/**
 * Distances between stored nodes, and a scorer from a stored node; lower is nearer. Thread-safe. Implementations
 * may measure approximately (compressed codes) where exact vectors would be cold; the builder only compares.
 */
public interface PairScorer {
    float distance(int a, int b);

    /**
     * A scorer measuring from stored node {@code from}. It may be reused by the calling thread's next call of
     * {@code from} or {@link #fromInserted}: use it before asking for another.
     */
    NodeScorer from(int from);

    /**
     * A scorer measuring from {@code node}, which the calling thread has just stored and is linking: its data is
     * fresh in memory, so an approximate implementation may measure from it exactly. Defaults to {@link #from}.
     */
    default NodeScorer fromInserted(int node) {
        return from(node);
    }
}
