package io.mmgraph.bench.engine;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * jvector 4: a DiskANN-style graph with hierarchy, built on the heap by {@link GraphIndexBuilder}, written as an
 * {@link OnDiskGraphIndex} with inline full-precision vectors and read back through jvector's memory-mapped reader
 * ({@code jvector-disk}); the heap graph is searched too ({@code jvector-mem}). Both score exactly with full-precision
 * vectors; the effort parameter is {@code rerankK}, the size of the base-layer candidate list.
 */
public final class JVectorEngine implements Engine {
    /** jvector's default neighbour overflow during construction. */
    private static final float NEIGHBOR_OVERFLOW = 1.2f;
    private static final String FILE = "graph.jvector";
    private final VectorTypeSupport vts = VectorizationProvider.getInstance().getVectorTypeSupport();
    private BuildParams params;
    private VectorSimilarityFunction similarity;
    private RandomAccessVectorValues heapVectors;
    private ImmutableGraphIndex heapGraph;
    private GraphIndexBuilder builder;

    @Override
    public String name() {
        return "jvector";
    }

    @Override
    public String simdProvider() {
        return VectorizationProvider.getInstance().getClass().getSimpleName();
    }

    @Override
    public String describeConfig() {
        return params == null ? "jvector 4.0.0-rc.9" : "jvector 4.0.0-rc.9 maxDegree=" + params.degree() + " beamWidth="
                + params.buildBeamWidth() + " neighborOverflow=" + NEIGHBOR_OVERFLOW + " alpha=" + params.alpha()
                + " hierarchy=true refine=true, inline full-precision vectors, exact scoring";
    }

    static VectorSimilarityFunction similarity(Metric metric) {
        return switch (metric) {
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
            case COSINE -> VectorSimilarityFunction.COSINE;
            case DOT -> VectorSimilarityFunction.DOT_PRODUCT;
        };
    }

    @Override
    public void build(BenchData data, BuildParams params, Path dir, int threads) throws IOException {
        this.params = params;
        this.similarity = similarity(params.metric());
        List<VectorFloat<?>> vectors = new ArrayList<>(data.base().length);
        for (float[] v : data.base()) {
            vectors.add(vts.createFloatVector(v));
        }
        heapVectors = new ListRandomAccessVectorValues(vectors, data.dimension());
        BuildScoreProvider scores = BuildScoreProvider.randomAccessScoreProvider(heapVectors, similarity);
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            builder = new GraphIndexBuilder(scores, data.dimension(), params.degree(), params.buildBeamWidth(),
                    NEIGHBOR_OVERFLOW, params.alpha(), true, true, pool, pool);
            heapGraph = builder.build(heapVectors);
            OnDiskGraphIndex.write(heapGraph, heapVectors, dir.resolve(FILE));
        } finally {
            pool.shutdown();
        }
    }

    @Override
    public List<String> variants() {
        return List.of("jvector-disk", "jvector-mem");
    }

    @Override
    public boolean persisted(String variant) {
        return !variant.equals("jvector-mem");
    }

    @Override
    public SearchIndex open(String variant, Path dir, BuildParams params) throws IOException {
        this.similarity = similarity(params.metric());
        if (variant.equals("jvector-mem")) {
            if (heapGraph == null) {
                throw new IllegalStateException("jvector-mem searches the heap graph of this instance's build");
            }
            return new JVectorIndex(heapGraph, null, null);
        }
        ReaderSupplier readers = ReaderSupplierFactory.open(dir.resolve(FILE));
        try {
            OnDiskGraphIndex graph = OnDiskGraphIndex.load(readers);
            return new JVectorIndex(graph, readers, graph);
        } catch (RuntimeException e) {
            readers.close();
            throw e;
        }
    }

    /** The reader class jvector chose for its on-disk index: shows whether it memory-maps. */
    static String readerClass(Path file) throws IOException {
        try (ReaderSupplier r = ReaderSupplierFactory.open(file)) {
            return r.getClass().getName();
        }
    }

    private final class JVectorIndex implements SearchIndex {
        private final ImmutableGraphIndex graph;
        private final ReaderSupplier readers;
        private final OnDiskGraphIndex onDisk;

        JVectorIndex(ImmutableGraphIndex graph, ReaderSupplier readers, OnDiskGraphIndex onDisk) {
            this.graph = graph;
            this.readers = readers;
            this.onDisk = onDisk;
        }

        @Override
        public String effortName() {
            return "rerankK";
        }

        @Override
        public Session newSession() {
            GraphSearcher searcher = new GraphSearcher(graph);
            // The disk view reads the inline vectors; the heap graph scores against the heap vectors.
            RandomAccessVectorValues vectors = onDisk != null
                    ? (RandomAccessVectorValues) searcher.getView() : heapVectors;
            return new Session() {
                private long visited;

                @Override
                public int search(float[] query, int k, int effort, int[] out) {
                    VectorFloat<?> q = vts.createFloatVector(query);
                    SearchResult r = searcher.search(DefaultSearchScoreProvider.exact(q, similarity, vectors), k,
                            effort, 0f, 0f, Bits.ALL);
                    visited = r.getVisitedCount();
                    SearchResult.NodeScore[] nodes = r.getNodes();
                    int n = Math.min(k, nodes.length);
                    for (int i = 0; i < n; i++) {
                        out[i] = nodes[i].node;
                    }
                    return n;
                }

                @Override
                public long lastVisited() {
                    return visited;
                }
            };
        }

        @Override
        public void close() throws IOException {
            if (onDisk != null) {
                try {
                    onDisk.close();
                } catch (Exception e) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
            }
            if (readers != null) {
                readers.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (builder != null) {
            builder.close();
        }
        builder = null;
        heapGraph = null;
        heapVectors = null;
    }

}
