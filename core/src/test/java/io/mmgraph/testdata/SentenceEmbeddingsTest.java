package io.mmgraph.testdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmgraph.TestVectors;
import io.mmgraph.testdata.SentenceEmbeddings.Dataset;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded corpus is what recall tests will trust, so this checks what they rely on: shape and unit length
 * (cosine as a dot product), bit-exact reloads with and without the cache, held-out queries, and that nearness in
 * the embedding follows meaning. About 400 passages are embedded here, a few seconds on 2 vCPUs.
 */
class SentenceEmbeddingsTest {
    /** Fixed, not from TestSeeds: the point of a fixed dataset is that the cache serves it on every later run. */
    private static final long SEED = 42;
    private static final int BASE = 300;
    private static final int QUERIES = 30;

    private static Dataset data;

    @BeforeAll
    static void load() {
        data = SentenceEmbeddings.load(BASE, QUERIES, SEED);
    }

    @Test
    void vectorsAre384DimensionalFiniteAndUnitLength() {
        assertEquals(BASE, data.base().length);
        assertEquals(QUERIES, data.queries().length);
        for (float[][] vectors : List.of(data.base(), data.queries())) {
            for (float[] v : vectors) {
                assertEquals(SentenceEmbeddings.DIMENSION, v.length);
                double norm = 0;
                for (float x : v) {
                    assertTrue(Float.isFinite(x));
                    norm += (double) x * x;
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-3, "the model normalizes, so cosine is a dot product");
            }
        }
    }

    @Test
    void passagesAreDistinctProseAndQueriesAreHeldOut() {
        assertEquals(BASE, data.baseTexts().size());
        assertEquals(QUERIES, data.queryTexts().size());
        Set<String> base = new HashSet<>(data.baseTexts());
        assertEquals(BASE, base.size(), "base passages are distinct");
        for (String query : data.queryTexts()) {
            assertTrue(!base.contains(query), "query also in base: " + query);
        }
        for (String text : Stream.concat(data.baseTexts().stream(), data.queryTexts().stream()).toList()) {
            int words = Passages.wordCount(text);
            assertTrue(words >= Passages.MIN_WORDS && words <= Passages.MAX_WORDS, words + " words: " + text);
            assertTrue(Passages.isProse(text), text);
        }
    }

    @Test
    void secondLoadIsServedBitExactFromTheCache() {
        long embeddedBefore = SentenceEmbeddings.embeddedCount();
        Dataset again = SentenceEmbeddings.load(BASE, QUERIES, SEED);
        assertEquals(embeddedBefore, SentenceEmbeddings.embeddedCount(), "nothing re-embedded");
        assertSame(data, again);
    }

    @Test
    void reEmbeddingWithoutTheCacheGivesTheSameBits(@TempDir Path cache) throws IOException {
        Dataset first = SentenceEmbeddings.load(40, 8, 7, cache);
        deleteAll(cache);
        long embeddedBefore = SentenceEmbeddings.embeddedCount();
        Dataset second = SentenceEmbeddings.load(40, 8, 7, cache);
        assertEquals(embeddedBefore + 48, SentenceEmbeddings.embeddedCount(), "everything re-embedded");
        assertSame(first, second);
    }

    @Test
    void truncatedOrNaNCacheFilesAreRebuilt(@TempDir Path cache) throws IOException {
        Dataset good = SentenceEmbeddings.load(40, 8, 7, cache);
        Path baseFile = only(cache, "-base.fvecs");
        Path queryFile = only(cache, "-query.fvecs");
        long baseSize = Files.size(baseFile);
        try (RandomAccessFile f = new RandomAccessFile(baseFile.toFile(), "rw")) {
            f.setLength(baseSize - 100); // a run killed mid-write
        }
        try (RandomAccessFile f = new RandomAccessFile(queryFile.toFile(), "rw")) {
            f.seek(4 + 4 * 17); // component 17 of the first record: right shape, bad value
            f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array());
        }
        long embeddedBefore = SentenceEmbeddings.embeddedCount();
        Dataset rebuilt = SentenceEmbeddings.load(40, 8, 7, cache);
        assertEquals(embeddedBefore + 48, SentenceEmbeddings.embeddedCount(), "both files rebuilt");
        assertSame(good, rebuilt);
        assertEquals(baseSize, Files.size(baseFile));
        assertSame(good, SentenceEmbeddings.load(40, 8, 7, cache)); // and the rebuilt files are read back
    }

    /**
     * Nearness must follow meaning: a query's nearest base passage by cosine should share topic words with it
     * (same program, same concepts) far more than a random base passage does. Random vectors would score a ratio
     * near 1; a broken tokenizer or a shuffled text/vector pairing also near 1.
     */
    @Test
    void nearestNeighbourSharesMoreWordsThanARandomPassage() {
        Random random = new Random(SEED);
        int nearerWins = 0;
        double nearestOverlap = 0;
        double randomOverlap = 0;
        for (int q = 0; q < QUERIES; q++) {
            int nearest = nearest(data.queries()[q], data.base());
            Set<String> words = contentWords(data.queryTexts().get(q));
            double near = jaccard(words, contentWords(data.baseTexts().get(nearest)));
            double far = jaccard(words, contentWords(data.baseTexts().get(random.nextInt(BASE))));
            nearerWins += near > far ? 1 : 0;
            nearestOverlap += near;
            randomOverlap += far;
        }
        System.out.printf(Locale.ROOT, "nearest-neighbour word overlap %.3f vs random %.3f, nearer in %d of %d%n",
                nearestOverlap / QUERIES, randomOverlap / QUERIES, nearerWins, QUERIES);
        assertTrue(nearerWins >= 0.7 * QUERIES, nearerWins + " of " + QUERIES);
        assertTrue(nearestOverlap >= 3 * randomOverlap, nearestOverlap + " vs " + randomOverlap);
    }

    /** Hand-written paraphrases in man-page style, with few shared words, against an unrelated sentence. */
    @Test
    void paraphrasesAreNearerThanUnrelatedSentences() {
        List<String[]> triples = List.of(
                new String[] {"Copy files and directories to another place.",
                    "The cp command duplicates each source file at the destination path.",
                    "The kernel delivers a signal to a process when its timer expires."},
                new String[] {"Compress data so that files take less disk space.",
                    "gzip reduces the size of the named files using Lempel-Ziv coding.",
                    "Display the users who are currently logged in."},
                new String[] {"Log in to a remote computer over an encrypted connection.",
                    "ssh is a program for logging into a remote machine and executing commands on it.",
                    "Sort the lines of a text file into alphabetical order."},
                new String[] {"Delete a file from the file system.",
                    "unlink removes a name from the filesystem and frees the inode when no links remain.",
                    "Set the hardware clock to the current local time."});
        for (String[] t : triples) {
            float[][] v = SentenceEmbeddings.embed(List.of(t));
            double near = dot(v[0], v[1]);
            double far = dot(v[0], v[2]);
            assertTrue(near > far + 0.1, String.format(Locale.ROOT, "%.3f vs %.3f for %s", near, far, t[0]));
        }
    }

    private static void assertSame(Dataset expected, Dataset actual) {
        assertEquals(expected.baseTexts(), actual.baseTexts());
        assertEquals(expected.queryTexts(), actual.queryTexts());
        assertBitEqual(expected.base(), actual.base());
        assertBitEqual(expected.queries(), actual.queries());
    }

    private static void assertBitEqual(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            int row = i;
            assertTrue(TestVectors.bitEqual(expected[i], actual[i]), () -> "vector " + row + " differs");
        }
    }

    private static int nearest(float[] query, float[][] base) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < base.length; i++) {
            double score = dot(query, base[i]);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Lower-case words of five letters or more: drops function words without needing a stop list. */
    private static Set<String> contentWords(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (w.length() >= 5) {
                words.add(w);
            }
        }
        return words;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        if (union.isEmpty()) {
            return 0;
        }
        long shared = a.stream().filter(b::contains).count();
        return (double) shared / union.size();
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, matches.size(), matches.toString());
            return matches.getFirst();
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
