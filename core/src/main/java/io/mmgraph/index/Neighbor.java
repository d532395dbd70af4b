package io.mmgraph.index;

/**
 * One search result: the vector's ordinal and its distance to the query under the index's metric (lower is
 * nearer; see {@link io.mmgraph.vector.Metric}).
 */
public record Neighbor(int ordinal, float distance) {}
