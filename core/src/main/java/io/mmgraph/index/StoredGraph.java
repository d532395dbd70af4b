package io.mmgraph.index;

import io.mmgraph.format.CodeSource;
import io.mmgraph.format.NeighborLists;
import io.mmgraph.format.VectorRecords;
import io.mmgraph.graph.NeighborView;
import io.mmgraph.graph.NodeScorer;
import io.mmgraph.graph.PairScorer;
import io.mmgraph.quant.ProductQuantizer;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Binds the graph algorithms to the mapped files: neighbour lists are {@link NeighborLists} records, distances are
 * computed by the SIMD kernels on the vectors in place.
 *
 * <p>Memory ordering (1): a node's vector is stored before any list holding its id is written, and
 * {@link #setNeighbors} issues a release fence before its stores; {@link #neighbors} issues an acquire fence after
 * its loads. So a thread that reads an id from a list then reads that node's vector sees the stored vector.
 */
final class StoredGraph implements NeighborView, PairScorer {
    private final NeighborLists lists;
    private final VectorRecords vectors;
    private final VectorKernels kernels;
    private final Metric metric;
    private final int dimension;

    StoredGraph(NeighborLists lists, VectorRecords vectors, VectorKernels kernels, Metric metric) {
        this.lists = lists;
        this.vectors = vectors;
        this.kernels = kernels;
        this.metric = metric;
        this.dimension = vectors.dimension();
    }

    @Override
    public int maxDegree() {
        return lists.maxDegree();
    }

    @Override
    public int neighbors(int node, int[] into, int limit) {
        int n = lists.read(node, into, limit);
        VarHandle.acquireFence();
        return n;
    }

    @Override
    public void setNeighbors(int node, int[] ids, int count) {
        VarHandle.releaseFence();
        lists.write(node, ids, count);
    }

    @Override
    public float distance(int a, int b) {
        return kernels.distance(metric, vectors.segmentOf(a), vectors.offsetOf(a), vectors.segmentOf(b),
                vectors.offsetOf(b), dimension);
    }

    /**
     * A scorer from a copy of {@code from}'s vector on the heap. Construction and queries thus share one scorer class
     * and one kernel: a process that inserts and searches keeps a monomorphic search loop, where a second scorer type
     * cost queries 22% after a build (docs/benchmarks.md, "The build's type profile").
     */
    @Override
    public NodeScorer from(int from) {
        float[] copy = new float[dimension];
        vectors.read(from, copy);
        return new QueryScorer(copy);
    }

    /** A scorer from a (prepared: normalized for cosine) query. */
    NodeScorer query(float[] q) {
        return new QueryScorer(q);
    }

    /** The one scorer class: distances from a heap vector to stored vectors. */
    private final class QueryScorer implements NodeScorer {
        private final float[] q;

        QueryScorer(float[] q) {
            this.q = q;
        }

        @Override
        public float distance(int node) {
            return kernels.distance(metric, q, vectors.segmentOf(node), vectors.offsetOf(node));
        }

        @Override
        public void prefetch(int node) {
            touch(node);
        }
    }

    /** Starts reading a node's vector into memory without waiting for it (see {@link io.mmgraph.format.RecordFile#willNeed}). */
    void willNeed(int node) {
        vectors.vectorFile().willNeed(node);
    }

    /** A scorer by product-quantization codes, for one thread: {@link CodeScorer#setQuery} before each search. */
    CodeScorer codes(ProductQuantizer quantizer, CodeSource codes) {
        return new CodeScorer(quantizer, codes);
    }

    /**
     * Asymmetric distances from a query to the nodes' codes: {@code M} look-ups in the query's distance table per
     * node, reading the code in place, in the codes file's mapping or its copy in memory (32 bytes per node where a
     * vector is 512), so a walk over an index larger than memory touches only codes that stay resident.
     */
    static final class CodeScorer implements NodeScorer {
        private final ProductQuantizer quantizer;
        private final CodeSource codes;
        private final float[] table;

        CodeScorer(ProductQuantizer quantizer, CodeSource codes) {
            this.quantizer = quantizer;
            this.codes = codes;
            this.table = new float[quantizer.distanceTableLength()];
        }

        boolean uses(ProductQuantizer q, CodeSource source) {
            return quantizer == q && codes == source;
        }

        /** Fills the distance table for a prepared query (normalized for cosine). */
        void setQuery(float[] query) {
            quantizer.distanceTable(query, table);
        }

        @Override
        public float distance(int node) {
            return quantizer.distance(table, codes.segmentOf(node), codes.offsetOf(node));
        }

        @Override
        public void prefetch(int node) {
            byte b = codes.segmentOf(node).get(ValueLayout.JAVA_BYTE, codes.offsetOf(node));
            if (b == 0x7f && node == Integer.MIN_VALUE) { // never both: keeps the load alive
                sink = b;
            }
        }
    }

    /** Sink for prefetching loads, so the JIT cannot drop them. */
    private static volatile int sink;

    /** Reads a node's vector's first word: brings its page in (a fault where it is not resident). */
    void touchVector(int node) {
        touch(node);
    }

    /** Loads the first word of a node's vector; independent loads overlap their cache misses. */
    private void touch(int node) {
        int v = vectors.segmentOf(node).get(ValueLayout.JAVA_INT_UNALIGNED, vectors.offsetOf(node));
        if (v == 0x7fc00001) { // a NaN payload no stored vector has: keeps the load alive at almost no cost
            sink = v;
        }
    }

    /** Whether this metric's distances can be negative (negated dot products). */
    static boolean signedDistances(Metric metric) {
        return metric == Metric.DOT;
    }
}
