package io.mmgraph.graph;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Beam search on tiny hand-made graphs whose every step can be traced by hand: the exact nodes, their order
 * (ties by the smaller id), their distances, and how many distances were computed (the entry counts as one, each
 * node is scored at most once). One searcher serves every search, so state left over by one would show in the next.
 */
class GraphSearcherTest {
    private static InMemoryGraph graph(float[][] points, int maxDegree, int[][] edges) {
        InMemoryGraph g = new InMemoryGraph(points, maxDegree);
        for (int node = 0; node < edges.length; node++) {
            g.setNeighbors(node, edges[node], edges[node].length);
        }
        return g;
    }

    private static float[][] line(float... xs) {
        float[][] p = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            p[i] = new float[] {xs[i]};
        }
        return p;
    }

    private static void expect(GraphSearcher s, int found, int[] nodes, float[] distances, int distanceCount) {
        assertEquals(nodes.length, found, "found");
        assertEquals(found, s.resultCount(), "resultCount");
        assertArrayEquals(nodes, Arrays.copyOf(s.resultNodes(), found), "nodes, nearest first");
        assertArrayEquals(distances, Arrays.copyOf(s.resultDistances(), found), "distances");
        assertEquals(distanceCount, s.distanceComputations(), "distance computations");
    }

    /** 0 — 1 — 2 — 3 — 4 at x = 0, 2, 4, 6, 8; the query at 9, the search from 0. */
    @Test
    void pathIsWalkedToItsFarEnd() {
        InMemoryGraph g = graph(line(0, 2, 4, 6, 8), 2, new int[][] {{1}, {0, 2}, {1, 3}, {2, 4}, {3}});
        NodeScorer q = g.query(new float[] {9});
        GraphSearcher s = new GraphSearcher(g);

        expect(s, s.search(q, 0, 2, 5), new int[] {4, 3}, new float[] {1, 9}, 5);
        expect(s, s.search(q, 0, 1, 5), new int[] {4}, new float[] {1}, 5);
        // A beam wider than the graph returns all of it, sorted.
        expect(s, s.search(q, 0, 10, 5), new int[] {4, 3, 2, 1, 0}, new float[] {1, 9, 25, 49, 81}, 5);
        // The limit hides nodes 3 and 4: they are neither scored nor returned.
        expect(s, s.search(q, 0, 2, 3), new int[] {2, 1}, new float[] {25, 49}, 3);
        // From the far end: node 4 is already nearest; beam 2 stops after scoring 3 and then 2.
        expect(s, s.search(q, 4, 2, 5), new int[] {4, 3}, new float[] {1, 9}, 3);
        // The entry alone.
        expect(s, s.search(q, 2, 1, 3), new int[] {2}, new float[] {25}, 2);
    }

    /**
     * Several entries: the search starts from all of them (each scored once, duplicates ignored), so an entry near
     * the query saves the walk, and a beam narrower than the entry count keeps only the nearest.
     */
    @Test
    void severalEntriesAreAllScoredOnceAndTheNearestKept() {
        InMemoryGraph g = graph(line(0, 2, 4, 6, 8), 2, new int[][] {{1}, {0, 2}, {1, 3}, {2, 4}, {3}});
        NodeScorer q = g.query(new float[] {9});
        GraphSearcher s = new GraphSearcher(g);
        // From 0 and 4: node 4 is already nearest; besides the two entries only 3 and then 2 are scored.
        expect(s, s.search(q, new int[] {0, 4}, 2, 2, 5), new int[] {4, 3}, new float[] {1, 9}, 4);
        // Duplicate entries count once.
        expect(s, s.search(q, new int[] {4, 4, 4}, 3, 1, 5), new int[] {4}, new float[] {1}, 2);
        // Only the first entryCount entries are used: 0 alone walks the whole path.
        expect(s, s.search(q, new int[] {0, 4}, 1, 2, 5), new int[] {4, 3}, new float[] {1, 9}, 5);
        // Beam 1 with three entries keeps the nearest entry, then walks on from it.
        expect(s, s.search(q, new int[] {0, 1, 3}, 3, 1, 5), new int[] {4}, new float[] {1}, 5);
    }

    /**
     * 0 — 1 — 2 — 3 at x = 1, 3, 5, 0 and the query at 0: the true nearest (3) lies behind node 2, which is
     * farther than what a narrow beam already holds. The stop rule ("the nearest unexpanded candidate is farther
     * than the L-th found") leaves it unfound for L ≤ 2 and finds it for L = 3.
     */
    @Test
    void stopRuleDecidesWhetherALocalMinimumIsLeft() {
        InMemoryGraph g = graph(line(1, 3, 5, 0), 2, new int[][] {{1}, {0, 2}, {1, 3}, {2}});
        NodeScorer q = g.query(new float[] {0});
        GraphSearcher s = new GraphSearcher(g);
        expect(s, s.search(q, 0, 1, 4), new int[] {0}, new float[] {1}, 2);
        expect(s, s.search(q, 0, 2, 4), new int[] {0, 1}, new float[] {1, 9}, 3);
        expect(s, s.search(q, 0, 3, 4), new int[] {3, 0, 1}, new float[] {0, 1, 9}, 4);
        expect(s, s.search(q, 0, 2, 4), new int[] {0, 1}, new float[] {1, 9}, 3);
    }

    /**
     * A star: centre 0 at the origin, leaves 1–4 at distance 10, leaves 5 and 6 at distance 5 (tied). Every leaf
     * links only to the centre. From leaf 1 the search scores the centre, then every other leaf once: 7 distances.
     */
    @Test
    void starReturnsTiesBySmallerIdWhateverTheListOrder() {
        float[][] points = {{0, 0}, {10, 0}, {0, 10}, {-10, 0}, {0, -10}, {3, 4}, {4, 3}};
        int[][] leaves = {{1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1}, {5, 1, 6, 2, 4, 3}};
        GraphSearcher s = null;
        for (int[] centre : leaves) {
            int[][] edges = {centre, {0}, {0}, {0}, {0}, {0}, {0}};
            InMemoryGraph g = graph(points, 6, edges);
            s = new GraphSearcher(g);
            NodeScorer q = g.query(new float[] {0, 0});
            String order = Arrays.toString(centre);
            expect(s, s.search(q, 1, 3, 7), new int[] {0, 5, 6}, new float[] {0, 25, 25}, 7);
            // Beam 2: of the tied 5 and 6 only the smaller id stays.
            expect(s, s.search(q, 1, 2, 7), new int[] {0, 5}, new float[] {0, 25}, 7);
            expect(s, s.search(q, 1, 7, 7), new int[] {0, 5, 6, 1, 2, 3, 4},
                    new float[] {0, 25, 25, 100, 100, 100, 100}, 7);
            // A query at leaf 6 entering at 6: the centre, then the leaves; 6 itself first at distance 0.
            NodeScorer at6 = g.query(new float[] {4, 3});
            expect(s, s.search(at6, 6, 2, 7), new int[] {6, 5}, new float[] {0, 2}, 7);
            assertEquals(7, s.distanceComputations(), order);
        }
    }

    /** The result arrays grow for beams wider than their initial 128, and the heaps past their initial 512. */
    @Test
    void wideBeamsOnACompleteGraphReturnEverythingSorted() {
        int n = 700;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) ((i * 37) % n); // a permutation of 0..n-1
        }
        int[][] edges = new int[n][];
        for (int i = 0; i < n; i++) {
            int ii = i;
            edges[i] = java.util.stream.IntStream.range(0, n).filter(j -> j != ii).toArray();
        }
        InMemoryGraph g = graph(line(xs), n - 1, edges);
        GraphSearcher s = new GraphSearcher(g);
        int found = s.search(g.query(new float[] {-1}), 123, 600, n);
        assertEquals(600, found);
        assertEquals(n, s.distanceComputations());
        for (int i = 0; i < found; i++) {
            assertEquals((float) (i + 1) * (i + 1), s.resultDistances()[i], "rank " + i);
            assertEquals(xs[s.resultNodes()[i]], (float) i, "rank " + i);
        }
    }
}
