package io.mmgraph.graph;

/**
 * A binary heap of (distance, node) pairs packed into longs, nearest first: no boxing, no per-push allocation.
 * The distance's bits are mapped to an order-preserving int in the high half, the node in the low half, so equal
 * distances order by the smaller node id. A farthest-first heap stores the bitwise complement of each key, which
 * reverses the order of signed longs. Not thread-safe.
 */
final class NodeHeap {
    private long[] heap;
    private int size;
    private final boolean farthestFirst;

    NodeHeap(int capacity, boolean farthestFirst) {
        this.heap = new long[Math.max(4, capacity)];
        this.farthestFirst = farthestFirst;
    }

    static long pack(float distance, int node) {
        int bits = Float.floatToRawIntBits(distance);
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) bits << 32) | (node & 0xffffffffL);
    }

    static float distance(long packed) {
        int bits = (int) (packed >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    static int node(long packed) {
        return (int) packed;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    void push(float distance, int node) {
        pushPacked(pack(distance, node));
    }

    void pushPacked(long packed) {
        long key = farthestFirst ? ~packed : packed;
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    /** The top pair, packed (see {@link #pack}). */
    long peek() {
        return farthestFirst ? ~heap[0] : heap[0];
    }

    long pop() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right] < heap[child]) {
                child = right;
            }
            if (last <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        if (size > 0) {
            heap[i] = last;
        }
        return farthestFirst ? ~top : top;
    }
}
