package io.mmgraph.graph;

/** Distances between stored nodes, and a scorer from a stored node; lower is nearer. Thread-safe. */
public interface PairScorer {
    float distance(int a, int b);

    /** A scorer measuring from stored node {@code from}. */
    NodeScorer from(int from);
}
