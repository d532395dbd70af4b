package io.mmgraph.testdata;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real sentence embeddings for recall tests: English passages from this machine's man pages (or, on a machine
 * without them, from the JDK's javadoc) embedded offline by all-MiniLM-L6-v2, 384 dimensions, unit length, meant
 * for the cosine metric. Real embeddings cluster by topic and are anisotropic, which uniform random vectors are not,
 * so a graph index can pass on random data and still lose recall on these.
 *
 * <p>Embeddings are cached as {@code .fvecs} under {@code target/test-embeddings/}, keyed by the counts, the seed,
 * the corpus and a hash of the passage texts, so a second run in the same checkout only re-reads the corpus (fast)
 * and the file. On this project's 2-vCPU machines embedding takes a few milliseconds per passage; the exact cost is
 * printed by every call that embeds.
 */
public final class SentenceEmbeddings {
    private SentenceEmbeddings() {}

    public static final int DIMENSION = 384;
    /** Model name as it appears in cache file names; change it whenever the model or its version changes. */
    static final String MODEL = "all-minilm-l6-v2";
    /** Passages per {@code embedAll} call: big enough to keep both cores busy, small enough to report progress. */
    static final int BATCH = 256;
    /** Forces the corpus ({@code man} or {@code javadoc}) instead of man pages first with javadoc as fallback. */
    public static final String CORPUS_PROPERTY = "mmgraph.test.corpus";

    /**
     * Base vectors to index and held-out query vectors, with the passages they embed (same order). Query passages
     * never occur among the base passages.
     */
    public record Dataset(float[][] base, float[][] queries, List<String> baseTexts, List<String> queryTexts) {}

    private static final AtomicLong EMBEDDED = new AtomicLong();

    /** {@link #load(int, int, long, Path)} with the cache in {@code target/test-embeddings/} of the module. */
    public static Dataset load(int baseCount, int queryCount, long seed) {
        return load(baseCount, queryCount, seed, defaultCacheDir());
    }

    /**
     * {@code baseCount + queryCount} distinct passages chosen by {@code seed}, split at random (by the same seed)
     * into base and queries, and embedded, from the cache in {@code cacheDir} when it holds them.
     *
     * @throws IllegalStateException when no corpus on this machine has that many passages
     */
    public static synchronized Dataset load(int baseCount, int queryCount, long seed, Path cacheDir) {
        if (baseCount < 0 || queryCount < 0 || baseCount + queryCount == 0) {
            throw new IllegalArgumentException("counts " + baseCount + " + " + queryCount);
        }
        try {
            Selection selection = select(baseCount + queryCount, seed);
            List<String> shuffled = new ArrayList<>(selection.passages());
            Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL)); // not the corpus's own order
            List<String> queryTexts = List.copyOf(shuffled.subList(0, queryCount));
            List<String> baseTexts = List.copyOf(shuffled.subList(queryCount, shuffled.size()));

            String key = String.format(Locale.ROOT, "%s-%s-b%d-q%d-s%016x-%s", MODEL, selection.corpus(), baseCount,
                    queryCount, seed, textHash(baseTexts, queryTexts));
            Path baseFile = cacheDir.resolve(key + "-base.fvecs");
            Path queryFile = cacheDir.resolve(key + "-query.fvecs");
            float[][] base = EmbeddingCache.read(baseFile, baseCount, DIMENSION);
            float[][] queries = EmbeddingCache.read(queryFile, queryCount, DIMENSION);
            if (base == null) {
                base = embed(baseTexts);
                EmbeddingCache.write(baseFile, base);
            }
            if (queries == null) {
                queries = embed(queryTexts);
                EmbeddingCache.write(queryFile, queries);
            }
            return new Dataset(base, queries, baseTexts, queryTexts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code target/test-embeddings/} of the module under test (surefire runs in the module directory). */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.dir"), "target", "test-embeddings");
    }

    /**
     * Embeds any texts (e.g. hand-written queries) with the same model, uncached: one unit-length 384-d vector per
     * text, in order. Prints the time per passage.
     */
    public static float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        EmbeddingModel model = Model.INSTANCE; // first use loads the model (about 3 s)
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<TextSegment> batch = new ArrayList<>(BATCH);
            for (String text : texts.subList(from, Math.min(texts.size(), from + BATCH))) {
                batch.add(TextSegment.from(text));
            }
            List<Embedding> embeddings = model.embedAll(batch).content();
            for (int i = 0; i < embeddings.size(); i++) {
                out[from + i] = embeddings.get(i).vector();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        EMBEDDED.addAndGet(texts.size());
        System.out.printf(Locale.ROOT,
                "SentenceEmbeddings: embedded %d passages in %.2f s (%.2f ms/passage, %d threads)%n", texts.size(),
                seconds, seconds * 1e3 / texts.size(), Runtime.getRuntime().availableProcessors());
        return out;
    }

    /** Passages embedded by this JVM so far: lets a test tell a cache hit from a rebuild. */
    static long embeddedCount() {
        return EMBEDDED.get();
    }

    /** Which corpus the passages came from, and the passages in corpus order. */
    record Selection(String corpus, List<String> passages) {}

    /** Opens a corpus: corpora are opened one at a time, and only if the ones before fall short. */
    interface Opener {
        PassageCorpus open() throws IOException;
    }

    /** Man pages when they hold {@code count} passages, else javadoc; or the corpus {@link #CORPUS_PROPERTY} names. */
    static Selection select(int count, long seed) throws IOException {
        List<Opener> corpora = switch (System.getProperty(CORPUS_PROPERTY, "")) {
            case "" -> List.of(SentenceEmbeddings::manPages, SentenceEmbeddings::javadoc);
            case "man" -> List.of(SentenceEmbeddings::manPages);
            case "javadoc" -> List.of(SentenceEmbeddings::javadoc);
            default -> throw new IllegalArgumentException(CORPUS_PROPERTY + " is man or javadoc");
        };
        return select(count, seed, corpora);
    }

    /** The first of {@code corpora} with {@code count} passages. */
    static Selection select(int count, long seed, List<Opener> corpora) throws IOException {
        StringBuilder found = new StringBuilder();
        for (Opener opener : corpora) {
            try (PassageCorpus corpus = opener.open()) {
                List<String> passages = corpus.passages(count, seed);
                if (passages.size() == count) {
                    return new Selection(corpus.name(), passages);
                }
                found.append(' ').append(corpus.name()).append(": ").append(passages.size());
            }
        }
        throw new IllegalStateException("asked for " + count + " passages, this machine has only" + found);
    }

    private static PassageCorpus manPages() {
        return new ManPageCorpus(ManPageCorpus.DEFAULT_ROOT);
    }

    private static PassageCorpus javadoc() throws IOException {
        return new JavadocCorpus(JavadocCorpus.defaultSrcZip());
    }

    /** Part of the cache key: a changed corpus (man pages installed or removed) must not hit old vectors. */
    private static String textHash(List<String> baseTexts, List<String> queryTexts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (List<String> texts : List.of(baseTexts, queryTexts)) {
                for (String text : texts) {
                    sha.update(text.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) '\n');
                }
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Loaded on first use only, so runs served from the cache skip the model's start-up. */
    private static final class Model {
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2EmbeddingModel();
    }
}
