package io.mmgraph.index;

import java.util.ArrayList;
import java.util.List;

/**
 * The k nearest seen so far: a bounded max-heap on distance (ties broken by ordinal, larger is worse), so the
 * worst kept candidate is evicted in O(log k). Not thread-safe.
 */
final class TopK {
    private final int k;
    private final int[] ords;
    private final float[] dists;
    private int size;

    TopK(int k) {
        this.k = k;
        this.ords = new int[k];
        this.dists = new float[k];
    }

    /** The distance a candidate must beat to enter, +inf until k are kept. */
    float bound() {
        return size < k ? Float.POSITIVE_INFINITY : dists[0];
    }

    void offer(int ord, float dist) {
        if (size < k) {
            int i = size++;
            ords[i] = ord;
            dists[i] = dist;
            siftUp(i);
        } else if (worse(dists[0], ords[0], dist, ord)) {
            ords[0] = ord;
            dists[0] = dist;
            siftDown(0);
        }
    }

    /** Whether (da, oa) ranks after (db, ob). */
    private static boolean worse(float da, int oa, float db, int ob) {
        return da > db || (da == db && oa > ob);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!worse(dists[i], ords[i], dists[p], ords[p])) {
                break;
            }
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int w = l;
            int r = l + 1;
            if (r < size && worse(dists[r], ords[r], dists[l], ords[l])) {
                w = r;
            }
            if (!worse(dists[w], ords[w], dists[i], ords[i])) {
                return;
            }
            swap(i, w);
            i = w;
        }
    }

    private void swap(int a, int b) {
        int o = ords[a];
        ords[a] = ords[b];
        ords[b] = o;
        float d = dists[a];
        dists[a] = dists[b];
        dists[b] = d;
    }

    /** Nearest first. */
    List<Neighbor> toSortedList() {
        Neighbor[] out = new Neighbor[size];
        int n = size;
        int[] o = ords.clone();
        float[] d = dists.clone();
        TopK copy = new TopK(k);
        System.arraycopy(o, 0, copy.ords, 0, n);
        System.arraycopy(d, 0, copy.dists, 0, n);
        copy.size = n;
        for (int i = n - 1; i >= 0; i--) {
            out[i] = new Neighbor(copy.ords[0], copy.dists[0]);
            copy.size--;
            copy.ords[0] = copy.ords[copy.size];
            copy.dists[0] = copy.dists[copy.size];
            copy.siftDown(0);
        }
        return new ArrayList<>(List.of(out));
    }
}
