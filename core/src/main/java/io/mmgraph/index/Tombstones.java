package io.mmgraph.index;

import io.mmgraph.graph.NodeFilter;

import java.util.Arrays;

/**
 * The deleted ordinals of one handle, as a bit set on the heap (one bit per ordinal up to the highest deleted: 1.25 MB
 * at 10 million), built from the deletes log the first time a search or a deletion needs it and extended as the log
 * grows. Searches read it without locking; one thread at a time marks (the handle's delete lock).
 *
 * <p>Visibility: a mark writes its bit (into a new array when the set grows), then the volatile {@link #count}; a
 * search reads {@code count} first, so a deletion that returned before the search began is seen by it.
 */
final class Tombstones implements NodeFilter {
    private volatile long[] words = new long[0];
    private volatile int count;

    @Override
    public boolean accepts(int node) {
        return !isDeleted(node);
    }

    boolean isDeleted(int node) {
        long[] w = words;
        int i = node >>> 6;
        return i < w.length && (w[i] & (1L << node)) != 0;
    }

    /** Deleted ordinals marked so far. */
    int count() {
        return count;
    }

    /** Marks {@code node} deleted; false if it already was. Callers serialize marks. */
    boolean mark(int node) {
        if (node < 0) {
            throw new IllegalArgumentException("ordinal " + node);
        }
        long[] w = words;
        int i = node >>> 6;
        if (i >= w.length) {
            w = Arrays.copyOf(w, Math.max(i + 1, w.length + (w.length >> 1)));
        } else if ((w[i] & (1L << node)) != 0) {
            return false;
        }
        w[i] |= 1L << node;
        words = w;
        count = count + 1;
        return true;
    }
}
