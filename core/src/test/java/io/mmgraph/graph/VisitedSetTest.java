package io.mmgraph.graph;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The epoch-cleared hash set of visited ids, against {@link HashSet}. */
class VisitedSetTest {
    @Test
    void clearForgetsEverythingInConstantTime() {
        VisitedSet v = new VisitedSet(8);
        for (int round = 0; round < 1000; round++) {
            for (int id = 0; id < 10; id++) {
                assertTrue(v.add(id * 1000 + 7), "round " + round + " id " + id);
                assertFalse(v.add(id * 1000 + 7), "round " + round + " id " + id);
            }
            assertEquals(10, v.size());
            v.clear();
            assertEquals(0, v.size());
        }
    }

    @Test
    void growsFromTheSmallestTableAndKeepsItsContents() {
        VisitedSet v = new VisitedSet(1);
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            // Ids that share low bits, so unmixed hashing would pile them into few buckets.
            assertTrue(v.add(i << 12), "first add of " + (i << 12));
            assertEquals(i + 1, v.size());
        }
        for (int i = 0; i < n; i++) {
            assertFalse(v.add(i << 12), "second add of " + (i << 12));
        }
        assertEquals(n, v.size());
        v.clear();
        // After growth and clear, nothing of before is present, and the grown table works as a fresh one.
        for (int i = 0; i < n; i += 7) {
            assertTrue(v.add(i << 12));
        }
        assertTrue(v.add(1));
        assertFalse(v.add(1));
    }

    @Test
    void randomAddsAndClearsMatchAHashSet() {
        Random r = TestSeeds.random("VisitedSetTest.randomAddsAndClearsMatchAHashSet");
        VisitedSet v = new VisitedSet(16);
        Set<Integer> oracle = new HashSet<>();
        for (int op = 0; op < 400_000; op++) {
            int kind = r.nextInt(1000);
            if (kind == 0) {
                v.clear();
                oracle.clear();
                continue;
            }
            int id = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(64);                 // many repeats
                case 1 -> r.nextInt(100_000);
                case 2 -> r.nextInt();                   // any int, negative too
                default -> r.nextBoolean() ? Integer.MAX_VALUE - r.nextInt(3) : Integer.MIN_VALUE + r.nextInt(3);
            };
            assertEquals(oracle.add(id), v.add(id), "op " + op + " id " + id);
            assertEquals(oracle.size(), v.size(), "op " + op);
        }
    }

    /** The epoch counter wraps after 2^31 - 2 clears: stale stamps must not make old ids look visited. */
    @Test
    void epochWrapStartsClean() throws Exception {
        VisitedSet v = new VisitedSet(16);
        Field epoch = VisitedSet.class.getDeclaredField("epoch");
        epoch.setAccessible(true);
        Random r = TestSeeds.random("VisitedSetTest.epochWrapStartsClean");
        epoch.setInt(v, Integer.MAX_VALUE - 40);
        Set<Integer> oracle = new HashSet<>();
        for (int round = 0; round < 80; round++) {
            // Few ids from a small range: a stale stamp of any earlier round would be met again.
            int adds = 1 + r.nextInt(12);
            for (int i = 0; i < adds; i++) {
                int id = r.nextInt(20);
                assertEquals(oracle.add(id), v.add(id), "round " + round + " epoch " + epoch.getInt(v) + " id " + id);
            }
            v.clear();
            oracle.clear();
            assertTrue(epoch.getInt(v) >= 1 && epoch.getInt(v) < Integer.MAX_VALUE, "epoch " + epoch.getInt(v));
        }
        assertTrue(epoch.getInt(v) < 100, "the epoch wrapped: " + epoch.getInt(v));
    }
}
