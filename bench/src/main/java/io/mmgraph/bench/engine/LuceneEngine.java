package io.mmgraph.bench.engine;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.VectorUtil;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Lucene's HNSW ({@link Lucene99HnswVectorsFormat}, float vectors, no quantization) on an {@link MMapDirectory},
 * merged into one segment. With T threads, T indexing threads each build a segment's graph, then
 * {@code forceMerge(1)} joins them with T merge workers (Lucene's concurrent HNSW merge). Searched at the leaf with
 * {@link LeafReader#searchNearestVectors} and a {@link TopKnnCollector} of size {@code topK}: the lowest-overhead
 * public path, without the query/rewrite machinery of {@code KnnFloatVectorQuery}.
 */
public final class LuceneEngine implements Engine {
    private static final String FIELD = "vec";
    private static final String ORDINAL = "ord";
    /** Parent of the loggers Lucene's vectorization providers log to; held strongly so JUL keeps our handler. */
    private static final Logger LUCENE_LOGGER = Logger.getLogger("org.apache.lucene");
    private BuildParams params;

    @Override
    public String name() {
        return "lucene";
    }

    /** Lucene reports its vectorization provider in a log line when it first loads it; capture that line. */
    @Override
    public String simdProvider() {
        List<String> messages = new ArrayList<>();
        Logger logger = LUCENE_LOGGER;
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLoggerName() != null && record.getLoggerName().contains("vectorization")) {
                    messages.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            VectorUtil.dotProduct(new float[]{1f}, new float[]{1f}); // loads the provider (logs once per JVM)
        } finally {
            logger.removeHandler(capture);
        }
        synchronized (LuceneEngine.class) {
            if (!messages.isEmpty()) {
                providerLine = String.join("; ", messages);
            }
            return providerLine == null ? "Lucene: no vectorization log line (scalar?)" : "Lucene: " + providerLine;
        }
    }

    /** The provider line, once logged: Lucene logs it only once per JVM. */
    private static String providerLine;

    @Override
    public String describeConfig() {
        return params == null ? "Lucene 10.6.0" : "Lucene 10.6.0 Lucene99HnswVectorsFormat M=" + params.hnswM()
                + " (layer 0: " + params.degree() + " links) beamWidth=" + params.buildBeamWidth()
                + ", float32 vectors, MMapDirectory, one segment";
    }

    static VectorSimilarityFunction similarity(Metric metric) {
        return switch (metric) {
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
            case COSINE -> VectorSimilarityFunction.COSINE;
            // DOT_PRODUCT requires unit vectors; the inner-product variant does not.
            case DOT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
        };
    }

    @Override
    public void build(BenchData data, BuildParams params, Path dir, int threads) throws IOException {
        this.params = params;
        VectorSimilarityFunction similarity = similarity(params.metric());
        ExecutorService mergeWorkers = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        KnnVectorsFormat format = new Lucene99HnswVectorsFormat(params.hnswM(), params.buildBeamWidth(),
                threads > 1 ? threads : 1, mergeWorkers);
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new Lucene104Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                })
                // One flush per indexing thread: the graph is built once while indexing, then merged once.
                .setRAMBufferSizeMB(1900)
                .setUseCompoundFile(false);
        float[][] base = data.base();
        try (MMapDirectory directory = new MMapDirectory(dir); IndexWriter writer = new IndexWriter(directory, config)) {
            Thread[] indexers = new Thread[threads];
            IOException[] failure = new IOException[1];
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) base.length * t / threads);
                int to = (int) ((long) base.length * (t + 1) / threads);
                indexers[t] = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = from; i < to; i++) {
                            Document doc = new Document();
                            doc.add(new KnnFloatVectorField(FIELD, base[i], similarity));
                            doc.add(new NumericDocValuesField(ORDINAL, i));
                            writer.addDocument(doc);
                        }
                    } catch (IOException e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                });
            }
            for (Thread t : indexers) {
                t.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            writer.forceMerge(1);
            writer.commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing", e);
        } finally {
            if (mergeWorkers != null) {
                mergeWorkers.shutdown();
            }
        }
    }

    @Override
    public SearchIndex open(String variant, Path dir) throws IOException {
        MMapDirectory directory = new MMapDirectory(dir);
        DirectoryReader reader;
        try {
            reader = DirectoryReader.open(directory);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        try {
            if (reader.leaves().size() != 1) {
                throw new IllegalStateException("expected one segment, found " + reader.leaves().size());
            }
            LeafReader leaf = reader.leaves().get(0).reader();
            int[] docToOrdinal = new int[leaf.maxDoc()];
            NumericDocValues ords = leaf.getNumericDocValues(ORDINAL);
            for (int doc = ords.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = ords.nextDoc()) {
                docToOrdinal[doc] = (int) ords.longValue();
            }
            AcceptDocs all = AcceptDocs.fromLiveDocs(leaf.getLiveDocs(), leaf.maxDoc());
            return new SearchIndex() {
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
                            TopKnnCollector collector = new TopKnnCollector(effort, Integer.MAX_VALUE);
                            leaf.searchNearestVectors(FIELD, query, collector, all);
                            TopDocs top = collector.topDocs();
                            visited = top.totalHits.value(); // a graph search counts the nodes it visited here
                            ScoreDoc[] docs = top.scoreDocs;
                            int n = Math.min(k, docs.length);
                            for (int i = 0; i < n; i++) {
                                out[i] = docToOrdinal[docs[i].doc];
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
            };
        } catch (IOException | RuntimeException e) {
            reader.close();
            directory.close();
            throw e;
        }
    }
}
