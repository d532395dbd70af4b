package io.mmgraph.bench.engine;

import io.mmgraph.vector.Metric;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.VectorUtil;

/**
 * Lucene's HNSW ({@link Lucene99HnswVectorsFormat}: float32 vectors, no quantization) over an {@link MMapDirectory},
 * merged into a single segment so that one graph is searched, as with the other engines.
 *
 * <p>Build: one document per base vector with the vector in {@value #VECTOR_FIELD} and its ordinal in the numeric
 * doc-values field {@value #ORDINAL_FIELD} (document ids are not ordinals once several threads index). M =
 * {@link BuildParams#hnswM()} (layer 0 gets 2·M = {@link BuildParams#degree()} links), beamWidth =
 * {@link BuildParams#buildBeamWidth()}. Documents are flushed in segments too small to get a graph
 * ({@value #FLAT_SEGMENT_DOCS} documents), so indexing only buffers and writes the vectors; {@code forceMerge(1)} then
 * builds the one graph over all of them, with {@code threads} merge workers on an executor when {@code threads} &gt; 1
 * (Lucene's concurrent HNSW builder). Measured on 5,000 vectors this beat both alternatives: one big segment whose graph
 * the single indexing thread builds as documents arrive, and one big segment per indexing thread merged afterwards
 * (the merge re-inserts the smaller graphs' nodes: about 1.7x the CPU time). It is the same graph either way with one
 * thread (same recall), and faster, since the merge scores vectors in the memory-mapped file.
 *
 * <p>Search: {@link LeafReader#searchNearestVectors(String, float[], org.apache.lucene.search.KnnCollector, AcceptDocs)}
 * on the single leaf with a {@link TopKnnCollector} whose k is the effort: Lucene's HNSW search uses the collector's k
 * as its candidate-list size (ef), so the effort is called {@code topK}; the best {@code k} of those hits are returned.
 * An index of fewer than 648 vectors gets no graph and is searched exhaustively by Lucene.
 */
public final class LuceneEngine implements Engine {

    static final String VECTOR_FIELD = "vec";
    static final String ORDINAL_FIELD = "ord";

    /**
     * Documents per flushed segment. Lucene builds a segment's graph only when it has n &gt; 100·ln(n) vectors
     * ({@link Lucene99HnswVectorsFormat#HNSW_GRAPH_THRESHOLD}), i.e. from 648 on, so segments of 500 hold the flat
     * vectors only and the whole graph is built once, by {@code forceMerge(1)}.
     */
    static final int FLAT_SEGMENT_DOCS = 500;

    /** Parent of the loggers of VectorizationProvider and PanamaVectorizationProvider. */
    private static final String VECTORIZATION_LOGGER = "org.apache.lucene.internal.vectorization";
    /** Held strongly so that the handler stays attached (LogManager keeps loggers weakly). */
    private static final Logger VECTORIZATION_LOG = Logger.getLogger(VECTORIZATION_LOGGER);
    private static final List<String> VECTORIZATION_MESSAGES = new CopyOnWriteArrayList<>();

    static {
        // Installed when this class initializes, i.e. before this engine makes Lucene pick its provider.
        VECTORIZATION_LOG.addHandler(new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                VECTORIZATION_MESSAGES.add(record.getLevel() + ": " + formatter.formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private BuildParams builtWith;
    private int builtThreads;

    public LuceneEngine() {
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public String simdProvider() {
        // VectorUtil is one of the classes allowed to call VectorizationProvider.getInstance(); using it makes
        // Lucene choose (and log) its provider if that has not happened yet.
        VectorUtil.squareDistance(new float[] {1f}, new float[] {0f});
        String provider = providerClassName();
        String log = VECTORIZATION_MESSAGES.isEmpty()
                ? "(no vectorization log line captured: Lucene chose its provider before LuceneEngine was loaded)"
                : String.join(" | ", VECTORIZATION_MESSAGES);
        return provider + ": " + log;
    }

    /**
     * The provider's class. {@code VectorizationProvider.getInstance()} is public but refuses callers outside Lucene
     * ({@link IllegalCallerException}), so the holder's field is read reflectively (possible on the class path, where
     * Lucene's module boundary does not apply).
     */
    private static String providerClassName() {
        try {
            Class<?> holder = Class.forName("org.apache.lucene.internal.vectorization.VectorizationProvider$Holder");
            Field instance = holder.getDeclaredField("INSTANCE");
            instance.setAccessible(true);
            return instance.get(null).getClass().getSimpleName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            boolean panama = VECTORIZATION_MESSAGES.stream().anyMatch(m -> m.contains("vector incubator API enabled"));
            return (panama ? "PanamaVectorizationProvider" : "unknown provider") + " (" + e + ")";
        }
    }

    @Override
    public String describeConfig() {
        String format = builtWith == null
                ? "Lucene99HnswVectorsFormat"
                : "Lucene99HnswVectorsFormat M=" + builtWith.hnswM() + " beamWidth=" + builtWith.buildBeamWidth()
                        + " mergeWorkers=" + builtThreads;
        return "Lucene " + Version.LATEST + " " + format + " float32, graph built by forceMerge(1) of "
                + FLAT_SEGMENT_DOCS + "-doc flat segments, one segment, MMapDirectory, search topK=ef";
    }

    static VectorSimilarityFunction similarity(Metric metric) {
        return switch (metric) {
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
            case COSINE -> VectorSimilarityFunction.COSINE;
            case DOT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
        };
    }

    @Override
    public void build(BenchData data, BuildParams params, Path dir, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        float[][] base = data.base();
        VectorSimilarityFunction similarity = similarity(params.metric());
        ExecutorService mergeExec = threads > 1 ? Executors.newFixedThreadPool(threads, daemonThreads("lucene-hnsw-merge")) : null;
        try {
            KnnVectorsFormat hnsw = threads > 1
                    ? new Lucene99HnswVectorsFormat(params.hnswM(), params.buildBeamWidth(), threads, mergeExec)
                    : new Lucene99HnswVectorsFormat(params.hnswM(), params.buildBeamWidth());
            KnnVectorsFormat format = data.dimension() > hnsw.getMaxDimensions(VECTOR_FIELD)
                    ? new AnyDimensions(hnsw)
                    : hnsw;
            // Written under the codec's own name, so a plain DirectoryReader reads it back through SPI.
            Codec codec = new Lucene104Codec() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return format;
                }
            };
            LogDocMergePolicy mergePolicy = new LogDocMergePolicy();
            mergePolicy.setMergeFactor(Integer.MAX_VALUE); // no merges while indexing; forceMerge(1) merges all at once
            mergePolicy.setNoCFSRatio(0.0); // the merged segment is not a compound file
            IndexWriterConfig config = new IndexWriterConfig()
                    .setCodec(codec)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                    .setMergePolicy(mergePolicy)
                    .setMergeScheduler(new SerialMergeScheduler()) // forceMerge runs in this thread
                    .setMaxBufferedDocs(FLAT_SEGMENT_DOCS)
                    .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH)
                    .setUseCompoundFile(true) // the small flushed segments: few files each
                    .setCommitOnClose(false);
            try (MMapDirectory directory = new MMapDirectory(dir);
                    IndexWriter writer = new IndexWriter(directory, config)) {
                addDocuments(writer, KnnFloatVectorField.createFieldType(data.dimension(), similarity), base, threads);
                writer.forceMerge(1);
                writer.commit();
            }
        } finally {
            if (mergeExec != null) {
                mergeExec.shutdownNow();
            }
        }
        builtWith = params;
        builtThreads = threads;
    }

    /** Adds one document per base vector from {@code threads} threads. */
    private static void addDocuments(IndexWriter writer, FieldType vectorType, float[][] base, int threads)
            throws IOException {
        AtomicInteger next = new AtomicInteger();
        if (threads == 1) {
            addRange(writer, vectorType, base, next);
            return;
        }
        ExecutorService indexers = Executors.newFixedThreadPool(threads, daemonThreads("lucene-index"));
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(indexers.submit(() -> {
                    addRange(writer, vectorType, base, next);
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("indexing failed", e.getCause());
        } finally {
            indexers.shutdownNow();
        }
    }

    /** Adds documents for ordinals taken from {@code next} until none are left; one reused document per caller. */
    private static void addRange(IndexWriter writer, FieldType vectorType, float[][] base, AtomicInteger next)
            throws IOException {
        KnnFloatVectorField vector = new KnnFloatVectorField(VECTOR_FIELD, base[0], vectorType);
        NumericDocValuesField ordinal = new NumericDocValuesField(ORDINAL_FIELD, 0);
        Document doc = new Document();
        doc.add(vector);
        doc.add(ordinal);
        final int chunk = 256;
        for (int start = next.getAndAdd(chunk); start < base.length; start = next.getAndAdd(chunk)) {
            int end = Math.min(base.length, start + chunk);
            for (int i = start; i < end; i++) {
                vector.setVectorValue(base[i]);
                ordinal.setLongValue(i);
                writer.addDocument(doc);
            }
        }
    }

    /**
     * The HNSW format with Lucene's cap of {@value KnnVectorsFormat#DEFAULT_MAX_DIMENSIONS} dimensions lifted (a guard
     * at indexing time only), for data sets such as 1536-d embeddings. Writing and reading are the wrapped format's;
     * the segments carry its name, so they are read back by the stock format.
     */
    private static final class AnyDimensions extends KnnVectorsFormat {
        private final KnnVectorsFormat delegate;

        AnyDimensions(KnnVectorsFormat delegate) {
            super(delegate.getName());
            this.delegate = delegate;
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return Integer.MAX_VALUE;
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public SearchIndex open(String variant, Path dir, BuildParams params) throws IOException {
        if (!name().equals(variant)) {
            throw new IllegalArgumentException("unknown variant " + variant + " (expected " + name() + ")");
        }
        MMapDirectory directory = new MMapDirectory(dir);
        DirectoryReader reader = null;
        try {
            reader = DirectoryReader.open(directory);
            return new LuceneIndex(directory, reader);
        } catch (IOException | RuntimeException e) {
            try {
                if (reader != null) {
                    reader.close();
                }
                directory.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static final class LuceneIndex implements SearchIndex {
        private final MMapDirectory directory;
        private final DirectoryReader reader;
        private final LeafReader leaf;
        private final int[] docToOrdinal;
        private final AcceptDocs acceptDocs;

        LuceneIndex(MMapDirectory directory, DirectoryReader reader) throws IOException {
            this.directory = directory;
            this.reader = reader;
            if (reader.leaves().size() != 1) {
                throw new IllegalStateException("expected exactly one segment in " + directory.getDirectory()
                        + " but found " + reader.leaves().size());
            }
            leaf = reader.leaves().getFirst().reader();
            if (leaf.getFieldInfos().fieldInfo(VECTOR_FIELD) == null) {
                throw new IllegalStateException("no vector field '" + VECTOR_FIELD + "' in " + directory.getDirectory());
            }
            int maxDoc = leaf.maxDoc();
            docToOrdinal = new int[maxDoc];
            Arrays.fill(docToOrdinal, -1);
            NumericDocValues ordinals = leaf.getNumericDocValues(ORDINAL_FIELD);
            if (ordinals == null) {
                throw new IllegalStateException("no ordinal doc values '" + ORDINAL_FIELD + "' in " + directory.getDirectory());
            }
            for (int doc = ordinals.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ordinals.nextDoc()) {
                docToOrdinal[doc] = Math.toIntExact(ordinals.longValue());
            }
            acceptDocs = AcceptDocs.fromLiveDocs(leaf.getLiveDocs(), maxDoc);
        }

        @Override
        public String effortName() {
            return "topK";
        }

        @Override
        public Session newSession() {
            return new Session() {
                private long visited;

                @Override
                public int search(float[] query, int k, int effort, int[] out) throws IOException {
                    TopKnnCollector collector = new TopKnnCollector(Math.max(k, effort), Integer.MAX_VALUE);
                    leaf.searchNearestVectors(VECTOR_FIELD, query, collector, acceptDocs);
                    TopDocs top = collector.topDocs();
                    visited = top.totalHits.value(); // a graph search reports the nodes it visited here
                    ScoreDoc[] hits = top.scoreDocs; // best first
                    int n = Math.min(k, hits.length);
                    for (int i = 0; i < n; i++) {
                        out[i] = docToOrdinal[hits[i].doc];
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
            try {
                reader.close();
            } finally {
                directory.close();
            }
        }
    }
}
