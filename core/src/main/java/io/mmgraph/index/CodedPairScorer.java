package io.mmgraph.index;

import io.mmgraph.format.CodeSource;
import io.mmgraph.format.VectorRecords;
import io.mmgraph.graph.NodeScorer;
import io.mmgraph.graph.PairScorer;
import io.mmgraph.quant.ProductQuantizer;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;

/**
 * The build's distances for an index with codes, once its quantizer is trained: linking reads codes, never the
 * vectors of other nodes, so an index whose vectors do not fit in memory still builds at memory speed (DiskANN's
 * problem at scale; docs/design.md, "Codes").
 * <ul>
 *   <li>The new node's candidate search measures from its own vector (just stored, still in memory) to the other
 *       nodes' codes: asymmetric distances, as a query's.</li>
 *   <li>Pruning compares candidates with one another by their reconstructions (each code's centroids), decoded into a
 *       small per-thread cache, since a prune asks for the same few nodes again and again.</li>
 *   <li>Re-pruning a neighbour's full list measures from that neighbour's reconstruction to the others', with the
 *       full-vector kernel: the same distances an asymmetric table built from the reconstruction would give, without
 *       building a table (M · k* entries) to score R + 1 nodes. The table cost a fifth of a 10M build's time.</li>
 * </ul>
 * The graph is thus built on approximate distances; searches re-rank by the full vectors.
 */
final class CodedPairScorer implements PairScorer {
    /** Decoded vectors kept per thread: about 1 MiB of them, at least 16. */
    private static final int CACHE_BYTES = 1 << 20;

    private final ProductQuantizer quantizer;
    private final CodeSource codes;
    private final int codeBytes;
    private final VectorRecords vectors;
    private final VectorKernels kernels;
    private final Metric metric;
    private final int dimension;
    private final ThreadLocal<PerThread> state;

    CodedPairScorer(ProductQuantizer quantizer, CodeSource codes, VectorRecords vectors, VectorKernels kernels,
                    Metric metric, StoredGraph graph) {
        this.quantizer = quantizer;
        this.codes = codes;
        this.codeBytes = quantizer.codeBytes();
        this.vectors = vectors;
        this.kernels = kernels;
        this.metric = metric;
        this.dimension = quantizer.dimension();
        this.state = ThreadLocal.withInitial(() -> new PerThread(graph.codes(quantizer, codes)));
    }

    @Override
    public float distance(int a, int b) {
        PerThread t = state.get();
        float[] va = t.decoded(a);
        // Two nodes of one slot: keep a's, decode b apart.
        float[] vb = t.slotOf(b) == t.slotOf(a) && a != b ? t.decodeInto(b, t.spare) : t.decoded(b);
        return kernels.distance(metric, va, vb);
    }

    @Override
    public NodeScorer from(int from) {
        PerThread t = state.get();
        // A copy: decoding the nodes it is measured against may evict it from the cache.
        System.arraycopy(t.decoded(from), 0, t.fromDecoded, 0, dimension);
        return t.fromScorer;
    }

    @Override
    public NodeScorer fromInserted(int node) {
        PerThread t = state.get();
        vectors.read(node, t.spare);
        t.scorer.setQuery(t.spare);
        return t.scorer;
    }

    /** One thread's scorer (its distance table reused) and direct-mapped cache of decoded codes. */
    private final class PerThread {
        final StoredGraph.CodeScorer scorer;
        final int[] keys;
        final float[][] slots;
        final float[] spare = new float[dimension];
        final float[] fromDecoded = new float[dimension];
        final NodeScorer fromScorer = node -> kernels.distance(metric, fromDecoded, decoded(node));
        final byte[] code;

        PerThread(StoredGraph.CodeScorer scorer) {
            this.scorer = scorer;
            int entries = Integer.highestOneBit(Math.max(16, CACHE_BYTES / (dimension * Float.BYTES)));
            this.keys = new int[entries];
            java.util.Arrays.fill(keys, -1);
            this.slots = new float[entries][dimension];
            this.code = new byte[codeBytes];
        }

        int slotOf(int node) {
            return mix(node) & (keys.length - 1);
        }

        float[] decoded(int node) {
            int slot = slotOf(node);
            float[] v = slots[slot];
            if (keys[slot] != node) {
                decodeInto(node, v);
                keys[slot] = node;
            }
            return v;
        }

        float[] decodeInto(int node, float[] out) {
            java.lang.foreign.MemorySegment.copy(codes.segmentOf(node), java.lang.foreign.ValueLayout.JAVA_BYTE,
                    codes.offsetOf(node), code, 0, codeBytes);
            quantizer.decode(code, 0, out);
            return out;
        }

        private static int mix(int node) {
            return node * 0x9E3779B9 >>> 7;
        }
    }
}
