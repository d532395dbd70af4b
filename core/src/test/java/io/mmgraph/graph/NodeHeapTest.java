package io.mmgraph.graph;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packed (distance, node) heap against {@link PriorityQueue} with the order it promises: nearest first by
 * distance then smaller id; farthest first by distance then larger id (the exact reverse). Negative distances
 * (negated dot products), ±0, infinities and many ties included.
 */
class NodeHeapTest {
    record Pair(float distance, int node) {}

    private static final Comparator<Pair> NEAREST_FIRST =
            Comparator.comparing(Pair::distance, Float::compare).thenComparingInt(Pair::node);

    private static float distance(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> r.nextInt(5) - 2;                       // ties, negatives
            case 1 -> -r.nextFloat() * 1e6f;
            case 2 -> r.nextFloat() * 1e6f;
            case 3 -> r.nextBoolean() ? 0f : -0f;
            case 4 -> r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 5 -> r.nextBoolean() ? Float.MIN_VALUE : -Float.MIN_VALUE;
            case 6 -> r.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
            default -> (float) r.nextGaussian();
        };
    }

    @Test
    void packRoundTripsAndOrdersLikeFloatCompareThenId() {
        Random r = TestSeeds.random("NodeHeapTest.packRoundTripsAndOrdersLikeFloatCompareThenId");
        for (int i = 0; i < 200_000; i++) {
            Pair a = new Pair(distance(r), r.nextInt(r.nextBoolean() ? 4 : Integer.MAX_VALUE));
            Pair b = new Pair(distance(r), r.nextInt(r.nextBoolean() ? 4 : Integer.MAX_VALUE));
            long pa = NodeHeap.pack(a.distance(), a.node());
            long pb = NodeHeap.pack(b.distance(), b.node());
            assertEquals(Float.floatToRawIntBits(a.distance()), Float.floatToRawIntBits(NodeHeap.distance(pa)), a.toString());
            assertEquals(a.node(), NodeHeap.node(pa), a.toString());
            assertEquals(Integer.signum(NEAREST_FIRST.compare(a, b)), Long.signum(Long.compare(pa, pb)), a + " vs " + b);
        }
    }

    @Test
    void randomPushesAndPopsMatchASortedOracleInBothOrders() {
        Random r = TestSeeds.random("NodeHeapTest.randomPushesAndPopsMatchASortedOracleInBothOrders");
        for (boolean farthestFirst : new boolean[] {false, true}) {
            Comparator<Pair> order = farthestFirst ? NEAREST_FIRST.reversed() : NEAREST_FIRST;
            for (int round = 0; round < 40; round++) {
                NodeHeap heap = new NodeHeap(1 + r.nextInt(8), farthestFirst);
                PriorityQueue<Pair> oracle = new PriorityQueue<>(order);
                int ops = 1 + r.nextInt(5000);
                double pushBias = 0.3 + 0.6 * r.nextDouble();
                for (int op = 0; op < ops; op++) {
                    String at = (farthestFirst ? "farthest" : "nearest") + "-first round " + round + " op " + op;
                    if (oracle.isEmpty() || r.nextDouble() < pushBias) {
                        Pair p = new Pair(distance(r), r.nextInt(r.nextBoolean() ? 16 : 1_000_000));
                        if (r.nextBoolean()) {
                            heap.push(p.distance(), p.node());
                        } else {
                            heap.pushPacked(NodeHeap.pack(p.distance(), p.node()));
                        }
                        oracle.add(p);
                    } else {
                        Pair expected = oracle.poll();
                        assertEquals(NodeHeap.pack(expected.distance(), expected.node()), heap.peek(), at + " peek");
                        long got = heap.pop();
                        assertEquals(expected, new Pair(NodeHeap.distance(got), NodeHeap.node(got)), at + " pop");
                    }
                    assertEquals(oracle.size(), heap.size(), at);
                }
                // Drain: the rest comes out in exactly the oracle's order.
                while (!oracle.isEmpty()) {
                    Pair expected = oracle.poll();
                    long got = heap.pop();
                    assertEquals(expected, new Pair(NodeHeap.distance(got), NodeHeap.node(got)), "drain round " + round);
                }
                assertEquals(0, heap.size());
                heap.clear();
                heap.push(-1f, 3);
                heap.push(-1f, 2);
                assertEquals(farthestFirst ? 3 : 2, NodeHeap.node(heap.pop()), "ties after clear");
            }
        }
    }

    @Test
    void tiesPopBySmallerIdNearestFirstAndLargerIdFarthestFirst() {
        NodeHeap near = new NodeHeap(4, false);
        NodeHeap far = new NodeHeap(4, true);
        int[] ids = {9, 3, 7, 0, 5, 1, 8, 2, 6, 4};
        for (int id : ids) {
            near.push(-2.5f, id);
            far.push(-2.5f, id);
        }
        near.push(-3f, 100);
        far.push(-3f, 100);
        assertEquals(100, NodeHeap.node(near.pop()), "more negative is nearer");
        for (int expected = 0; expected < 10; expected++) {
            assertEquals(expected, NodeHeap.node(near.pop()));
        }
        for (int expected = 9; expected >= 0; expected--) {
            long p = far.pop();
            assertEquals(expected, NodeHeap.node(p));
            assertEquals(-2.5f, NodeHeap.distance(p));
        }
        assertEquals(100, NodeHeap.node(far.pop()));
    }
}
