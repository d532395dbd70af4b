package io.mmgraph.graph;

/**
 * Which nodes a search may return. A search still walks through the nodes a filter rejects (they keep the graph
 * connected: a deleted node, or one outside a payload filter, may be the only path to the nodes that match) but
 * never returns them.
 */
@FunctionalInterface
public interface NodeFilter {
    boolean accepts(int node);
}
