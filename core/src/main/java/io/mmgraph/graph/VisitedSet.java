package io.mmgraph.graph;

import java.util.Arrays;

/**
 * The nodes one search has visited: an open-addressing hash set of ints that clears in O(1) by bumping an epoch
 * (hnswlib's trick) instead of zeroing memory per query. Sized by what a search visits (a few thousand ids), not by
 * the graph, so it stays in cache and its heap does not grow with the index. Not thread-safe: one per searcher.
 */
final class VisitedSet {
    private int[] keys;
    private int[] stamps;
    private int epoch = 1;
    private int size;

    VisitedSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new int[cap];
        stamps = new int[cap];
    }

    void clear() {
        size = 0;
        if (++epoch == Integer.MAX_VALUE) {
            Arrays.fill(stamps, 0);
            epoch = 1;
        }
    }

    /** Adds {@code id}; returns false when it was already present. */
    boolean add(int id) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int h = mix(id) & mask;
        while (stamps[h] == epoch) {
            if (keys[h] == id) {
                return false;
            }
            h = (h + 1) & mask;
        }
        stamps[h] = epoch;
        keys[h] = id;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldStamps = stamps;
        int oldEpoch = epoch;
        keys = new int[oldKeys.length * 2];
        stamps = new int[oldKeys.length * 2];
        epoch = 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldStamps[i] == oldEpoch) {
                add(oldKeys[i]);
            }
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
