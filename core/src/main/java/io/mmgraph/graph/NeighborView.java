package io.mmgraph.graph;

/**
 * The graph's adjacency as the algorithms see it: one list of at most {@link #maxDegree()} node ids per node.
 * Implementations decide where lists live (here: records in a mapped file); the algorithms never know.
 *
 * <p>Contract: {@link #neighbors} may run concurrently with {@link #setNeighbors} on the same node and then
 * returns either list or a mix of both, each id valid — never a torn id. Writers to one node are serialized by the
 * caller.
 */
public interface NeighborView {
    /** R: the capacity of every list. */
    int maxDegree();

    /**
     * Copies into {@code into} (length ≥ R) the neighbours of {@code node} whose id is below {@code limit} and
     * returns how many.
     */
    int neighbors(int node, int[] into, int limit);

    /** Replaces the list of {@code node} with {@code ids[0..count)}. */
    void setNeighbors(int node, int[] ids, int count);
}
