package io.mmgraph.graph;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The graph algorithms over plain heap arrays — no files, no mappings, no index package — so the tests of this
 * package show that {@link GraphBuilder} and {@link GraphSearcher} depend only on {@link NeighborView},
 * {@link PairScorer} and {@link NodeScorer}. Squared L2 over {@code float[][]}, computed in the plain order.
 *
 * <p>Each list is an immutable array swapped in whole, which meets {@link NeighborView}'s contract (a reader sees
 * one list or the other, never a torn id) for concurrent use too.
 */
final class InMemoryGraph implements NeighborView, PairScorer {
    private static final int[] EMPTY = new int[0];
    private final float[][] points;
    private final int maxDegree;
    private final AtomicReferenceArray<int[]> lists;
    /** Calls of {@link #setNeighbors} with more than R ids (a contract breach the builder must never commit). */
    volatile int oversizedWrites;

    InMemoryGraph(float[][] points, int maxDegree) {
        this.points = points;
        this.maxDegree = maxDegree;
        this.lists = new AtomicReferenceArray<>(points.length);
        for (int i = 0; i < points.length; i++) {
            lists.set(i, EMPTY);
        }
    }

    static float squaredL2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    @Override
    public int maxDegree() {
        return maxDegree;
    }

    @Override
    public int neighbors(int node, int[] into, int limit) {
        int[] list = lists.get(node);
        int n = 0;
        for (int id : list) {
            if (id >= 0 && id < limit) {
                into[n++] = id;
            }
        }
        return n;
    }

    @Override
    public void setNeighbors(int node, int[] ids, int count) {
        if (count > maxDegree) {
            oversizedWrites++;
        }
        lists.set(node, java.util.Arrays.copyOf(ids, count));
    }

    /** The stored list of {@code node}, unfiltered. */
    int[] list(int node) {
        return lists.get(node);
    }

    int size() {
        return points.length;
    }

    @Override
    public float distance(int a, int b) {
        return squaredL2(points[a], points[b]);
    }

    @Override
    public NodeScorer from(int from) {
        return query(points[from]);
    }

    /** A scorer from any point (a query). */
    NodeScorer query(float[] q) {
        return node -> squaredL2(q, points[node]);
    }
}
