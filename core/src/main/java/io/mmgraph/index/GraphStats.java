package io.mmgraph.index;

/**
 * Figures of the graph, from a scan of every neighbour list.
 *
 * @param nodes         nodes scanned (the published count)
 * @param entryPoint    where searches start (-1 when empty)
 * @param edges         out-edges in total
 * @param averageDegree edges / nodes
 * @param maxDegree     the largest out-degree found (≤ R)
 * @param isolated      nodes with no out-edge (1 for a one-node graph)
 */
public record GraphStats(int nodes, int entryPoint, long edges, double averageDegree, int maxDegree, int isolated) {}
