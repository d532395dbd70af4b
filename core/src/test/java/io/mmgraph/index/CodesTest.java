package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.format.CodeRecords;
import io.mmgraph.format.CodebookFile;
import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.Manifest;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.quant.ProductQuantizer;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An index created with product-quantization codes: the quantizer is trained when the index reaches its train size
 * and every vector, earlier or later, gets the code the codebook gives it; commits record the codes and bind the
 * codebook by its checksum; searches walk by codes and re-rank by the full vectors; opening reads neither codes
 * nor codebook; {@code verify} finds a damaged code or codebook.
 */
class CodesTest {
    static final int DIM = 32;
    static final int CODE_BYTES = 8;
    static final int TRAIN_AT = 2_000;

    @TempDir
    Path tmp;

    private static IndexOptions options() {
        return IndexOptions.dimension(DIM).withCodeBytes(CODE_BYTES).withCodeTrainSize(TRAIN_AT).withExtentSlots(1024);
    }

    private static float[][] data(int n, long seed) {
        return new SyntheticData(DIM, 50, seed).bases(n);
    }

    private static Manifest manifest(Path dir) throws IOException {
        return ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
    }

    /** Every committed code equals the codebook's encoding of its stored vector. */
    private static void assertCodesMatchVectors(MMapGraph g, long count) throws IOException {
        Manifest m = manifest(g.directory());
        ProductQuantizer pq = CodebookFile.read(g.directory(), m.codebookCrc());
        CodeRecords codes = g.files().codes();
        byte[] stored = new byte[CODE_BYTES];
        byte[] expected = new byte[CODE_BYTES];
        for (int ord = 0; ord < count; ord++) {
            codes.read(ord, stored);
            pq.encode(g.vector(ord), expected, 0);
            assertArrayEquals(expected, stored, "code of " + ord);
        }
    }

    @Test
    void codesAppearAtTheTrainSizeForEveryVectorAndCommitWithTheirCodebook() throws IOException {
        Path dir = tmp.resolve("idx");
        float[][] base = data(3_000, TestSeeds.seed("codes-train"));
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            g.addAll(Arrays.asList(base).subList(0, 1_500), 2);
            g.sync();
            assertEquals(0, manifest(dir).codedCount(), "no codes before the train size");
            assertFalse(Files.exists(FormatConstants.codebookPath(dir)));
            for (int i = 1_500; i < base.length; i++) {
                g.add(base[i]);
            }
            assertTrue(Files.exists(FormatConstants.codebookPath(dir)), "trained on reaching " + TRAIN_AT);
            g.sync();
            Manifest m = manifest(dir);
            assertEquals(3_000, m.codedCount());
            assertEquals(CODE_BYTES, m.codeBytes());
            byte[] codebook = Files.readAllBytes(FormatConstants.codebookPath(dir));
            assertEquals(m.codebookCrc(), io.mmgraph.format.Crc.of(codebook, 0, codebook.length - 4),
                    "the manifest names the codebook by the CRC32C of its bytes before its own checksum");
            assertEquals(codesLength(m, 3_000), m.committedLength(FileKind.CODES));
            assertCodesMatchVectors(g, 3_000);
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
        // A reopened writer reads the codebook and encodes what it adds.
        try (MMapGraph g = MMapGraph.open(dir)) {
            for (float[] v : data(500, TestSeeds.seed("codes-more"))) {
                g.add(v);
            }
            g.sync();
            assertEquals(3_500, manifest(dir).codedCount());
            assertCodesMatchVectors(g, 3_500);
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            VerifyReport report = r.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
    }

    private static long codesLength(Manifest m, long count) {
        return io.mmgraph.format.IndexFiles.layout(FileKind.CODES, m).lengthFor(count);
    }

    @Test
    void aWriterReopenedBeforeTrainingCommitsAndClosesAndLaterTrains() throws IOException {
        // Its codes file holds no committed code yet, but a commit still makes the new vectors' codes durable: the
        // file is mapped for every committed vector (a writer once failed to close here, and kept its lock).
        Path dir = tmp.resolve("idx");
        float[][] base = data(TRAIN_AT + 500, TestSeeds.seed("codes-reopen"));
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 100; i++) {
                g.add(base[i]);
            }
        }
        for (int round = 0; round < 2; round++) {
            try (MMapGraph g = MMapGraph.open(dir)) {
                assertEquals(0, manifest(dir).codedCount());
            }
        }
        try (MMapGraph g = MMapGraph.open(dir)) {
            for (int i = 100; i < base.length; i++) {
                g.add(base[i]);
            }
        }
        Manifest m = manifest(dir);
        assertEquals(base.length, m.codedCount(), "trained once the index held the train size");
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok(), g.verify().problems().toString());
        }
    }

    @Test
    void threadsAddingAcrossTheTrainSizeEachSeeEveryCodeTheyLinkBy() throws Exception {
        Path dir = tmp.resolve("idx");
        long seed = TestSeeds.seed("codes-concurrent");
        SyntheticData synthetic = new SyntheticData(DIM, 50, seed);
        float[][] base = synthetic.bases(6_000);
        float[][] queries = synthetic.queries(50);
        int[][] truth = GroundTruth.compute(base, queries, 10, Metric.L2);
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            int[] ordinalOf = new int[base.length]; // threads allocate ordinals in their own order
            Thread[] threads = new Thread[4];
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int t = 0; t < threads.length; t++) {
                threads[t] = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < base.length; i = next.getAndIncrement()) {
                            ordinalOf[i] = g.add(base[i]);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
            g.sync();
            assertEquals(6_000, manifest(dir).codedCount());
            assertCodesMatchVectors(g, 6_000);
            int hits = 0;
            for (int q = 0; q < queries.length; q++) {
                int[] expected = java.util.Arrays.stream(truth[q]).map(i -> ordinalOf[i]).toArray();
                hits += overlap(expected, g.search(queries[q], SearchOptions.k(10)).neighbors());
            }
            double recall = hits / (double) (queries.length * 10);
            assertTrue(recall >= 0.9, "recall@10 " + recall);
        }
    }

    @Test
    void searchByCodesReRanksByTheFullVectors() throws IOException {
        Path dir = tmp.resolve("idx");
        long seed = TestSeeds.seed("codes-recall");
        SyntheticData synthetic = new SyntheticData(DIM, 50, seed);
        float[][] base = synthetic.bases(8_000);
        float[][] queries = synthetic.queries(100);
        int k = 10;
        int[][] truth = GroundTruth.compute(base, queries, k, Metric.L2);
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            g.addAll(Arrays.asList(base), 2);
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            int hits = 0;
            int hitsByVectors = 0;
            for (int q = 0; q < queries.length; q++) {
                SearchResult byCodes = r.search(queries[q], SearchOptions.k(k));
                List<Neighbor> ns = byCodes.neighbors();
                assertEquals(k, ns.size());
                for (int j = 0; j < ns.size(); j++) {
                    Neighbor n = ns.get(j);
                    // Re-ranked: the distances are the exact ones, in order.
                    assertEquals(squaredL2(queries[q], base[n.ordinal()]), n.distance(), 1e-3f * (1 + n.distance()));
                    if (j > 0) {
                        assertTrue(ns.get(j - 1).distance() <= n.distance());
                    }
                }
                hits += overlap(truth[q], ns);
                hitsByVectors += overlap(truth[q], r.search(queries[q], SearchOptions.k(k).withoutCodes()).neighbors());
                // The array form takes the same path.
                int[] ords = new int[k];
                float[] dists = new float[k];
                assertEquals(k, r.search(queries[q], k, SearchOptions.DEFAULT_EF, ords, dists));
                assertArrayEquals(ns.stream().mapToInt(Neighbor::ordinal).toArray(), ords);
            }
            double recall = hits / (double) (queries.length * k);
            double recallByVectors = hitsByVectors / (double) (queries.length * k);
            System.out.printf("CodesTest: recall@10 by codes %.3f, by vectors %.3f%n", recall, recallByVectors);
            assertTrue(recall >= 0.9, "recall@10 by codes " + recall);
            assertTrue(recall >= recallByVectors - 0.05, "codes " + recall + " vs vectors " + recallByVectors);
        }
    }

    private static float squaredL2(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private static int overlap(int[] truth, List<Neighbor> found) {
        int hits = 0;
        for (Neighbor n : found) {
            for (int t : truth) {
                if (t == n.ordinal()) {
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }

    private Path trainedIndex() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            g.addAll(Arrays.asList(data(2_500, TestSeeds.seed("codes-small"))), 2);
        }
        return dir;
    }

    @Test
    void openingReadsNoCodebookAndADamagedOneIsNamedOnFirstUse() throws IOException {
        Path dir = trainedIndex();
        Path codebook = FormatConstants.codebookPath(dir);
        byte[] bytes = Files.readAllBytes(codebook);
        bytes[100] ^= 0x10;
        Files.write(codebook, bytes);
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertEquals(2_500, r.size(), "open reads headers only, not the codebook");
            float[] q = r.vector(7);
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> r.search(q, 5));
            assertEquals(codebook, e.file());
            assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
            // Searching by the vectors does not need it.
            assertEquals(7, r.search(q, SearchOptions.k(1).withoutCodes()).neighbors().get(0).ordinal());
            VerifyReport report = r.verify();
            assertFalse(report.ok());
            assertTrue(report.problems().get(0).startsWith(FormatConstants.CODEBOOK_FILE), report.problems().toString());
        }
        Files.delete(codebook);
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            float[] q = r.vector(7);
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> r.search(q, 5));
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Test
    void verifyFindsACodeThatIsNotItsVectorsEncoding() throws IOException {
        Path dir = trainedIndex();
        Manifest m = manifest(dir);
        long at = io.mmgraph.format.IndexFiles.layout(FileKind.CODES, m).fileOffset(1234) + 3;
        Path codes = dir.resolve(FileKind.CODES.fileName());
        try (FileChannel ch = FileChannel.open(codes, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) + 1)).rewind();
            ch.write(one, at);
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            VerifyReport report = r.verify();
            assertEquals(1, report.problemCount(), report.problems().toString());
            assertTrue(report.problems().get(0).contains("code 1234 "), report.problems().toString());
        }
    }

    /**
     * A writer that trained its quantizer and died before the commit naming it leaves a codebook no manifest names
     * (the codebook is durable before any commit, DESIGN.md §4). The next writer trains again and replaces it; the
     * commit names the new one, and every code matches it.
     */
    @Test
    void aCodebookNoCommitNamesIsReplacedByTheNextTraining() throws IOException {
        Path dir = tmp.resolve("idx");
        float[][] base = data(2_600, TestSeeds.seed("codes-orphan"));
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            g.addAll(Arrays.asList(base).subList(0, 1_000), 2);
        }
        // What the dead writer left: a valid codebook of another training, not named by the manifest.
        int orphan = CodebookFile.write(dir, ProductQuantizer.train(data(600, 5), CODE_BYTES, Metric.L2, 3, 2));
        assertEquals(0, manifest(dir).codedCount());
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertEquals(3, r.search(base[3], SearchOptions.k(1)).neighbors().get(0).ordinal(),
                    "an untrained index searches by vectors and never reads the orphan");
        }
        try (MMapGraph g = MMapGraph.open(dir)) {
            g.addAll(Arrays.asList(base).subList(1_000, base.length), 2);
            g.sync();
            Manifest m = manifest(dir);
            assertEquals(2_600, m.codedCount());
            assertTrue(m.codebookCrc() != orphan, "the commit names the new training, not the orphan");
            assertCodesMatchVectors(g, 2_600);
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            VerifyReport report = r.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
    }

    @Test
    void aCodebookFromAnotherTrainingIsRefused() throws IOException {
        Path dir = trainedIndex();
        float[][] other = data(600, 99);
        int crc = CodebookFile.write(dir, ProductQuantizer.train(other, CODE_BYTES, Metric.L2, 1, 3));
        assertTrue(crc != manifest(dir).codebookCrc());
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> r.search(r.vector(0), 3));
            assertTrue(e.getMessage().contains("does not match the manifest"), e.getMessage());
        }
    }

    @Test
    void anIndexWithoutCodesHasNoCodeFiles() throws IOException {
        Path dir = tmp.resolve("plain");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withCodeTrainSize(300))) {
            g.addAll(Arrays.asList(data(100, 5)), 1);
        }
        assertFalse(Files.exists(dir.resolve(FileKind.CODES.fileName())));
        assertFalse(Files.exists(FormatConstants.codebookPath(dir)));
        Manifest m = manifest(dir);
        assertEquals(0, m.codeBytes());
        assertFalse(m.committedLengths().containsKey(FileKind.CODES));
    }

    @Test
    void codeBytesOutsideTheDimensionAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(DIM).withCodeBytes(DIM + 1));
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(DIM).withCodeBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> IndexOptions.dimension(DIM).withCodeTrainSize(255));
    }
}
