package io.mmgraph.graph;

/** Distance from one fixed point (a query, or a stored node) to stored nodes; lower is nearer. Not thread-safe. */
public interface NodeScorer {
    float distance(int node);
}
