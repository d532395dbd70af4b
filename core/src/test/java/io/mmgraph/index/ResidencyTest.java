package io.mmgraph.index;

import io.mmgraph.format.FileKind;
import io.mmgraph.store.AccessHint;
import io.mmgraph.store.NativeIO;
import io.mmgraph.store.Residency;
import io.mmgraph.store.Smaps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each access hint does what it claims, as the kernel's own residency map ({@code mincore}) shows: starting from an
 * index evicted from the page cache, one read under RANDOM loads only its page, under NORMAL the pages around it,
 * under SEQUENTIAL the pages after it; WILLNEED loads the range without a read; {@code warm} loads lists and vectors
 * but not checksums; eviction empties the cache again. Linux on a disk-backed file system only (tmpfs pages cannot
 * be evicted; other systems lack the hints): elsewhere the tests are skipped.
 */
class ResidencyTest {
    private static final int N = 20_000;
    private static final int DIM = 128;
    /** Record 10,000 of 512 bytes starts exactly on page 1,250: the records before it fill whole pages. */
    private static final int TARGET = 10_000;

    @TempDir
    static Path dir;
    @TempDir
    static Path codedDir;

    @BeforeAll
    static void build() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) r.nextGaussian();
            }
            vectors.add(v);
        }
        try (MMapGraph index = MMapGraph.create(dir, IndexOptions.dimension(DIM).withMaxDegree(8).withBuildBeamWidth(16))) {
            index.addAll(vectors, 2);
        }
    }

    /** Opens read-only after evicting every file; skipped where eviction cannot work here. */
    private static MMapGraph openCold() throws IOException {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        assumeTrue(linux && NativeIO.madviseAvailable(), "Linux madvise/mincore");
        assumeTrue(!Files.getFileStore(dir).type().equals("tmpfs"), "tmpfs pages cannot be evicted");
        assertTrue(MMapGraph.evictFromPageCache(dir), "posix_fadvise(DONTNEED) on every file");
        MMapGraph index = MMapGraph.openReadOnly(dir);
        Residency vectors = index.residency().get(FileKind.VECTORS);
        // DONTNEED skips pages it cannot drop at that instant (under writeback, in another CPU's LRU batch; seen
        // once in a full test run): ask again a few times before judging.
        for (int attempt = 0; attempt < 10 && vectors.residentBytes() >= 64 * 1024; attempt++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            MMapGraph.evictFromPageCache(dir);
            vectors = index.residency().get(FileKind.VECTORS);
        }
        assertTrue(vectors.known(), "mincore answers on Linux");
        assertTrue(vectors.residentBytes() < 64 * 1024, "an evicted, freshly opened index has no vector pages: " + vectors);
        return index;
    }

    private static long residentPages(Residency r) {
        return r.residentBytes() / NativeIO.PAGE_SIZE;
    }

    private static Residency vectorsBeforeTarget(MMapGraph index) {
        return index.files().file(FileKind.VECTORS).residency(TARGET);
    }

    @Test
    void randomReadsOnlyThePageItTouchesNormalReadsAroundItSequentialReadsAhead() throws IOException {
        long random;
        try (MMapGraph index = openCold()) {
            assertTrue(index.advise(AccessHint.RANDOM));
            index.vector(TARGET);
            random = residentPages(index.residency().get(FileKind.VECTORS));
            assertEquals(0, vectorsBeforeTarget(index).residentBytes(), "RANDOM: nothing before the record");
        }
        assertTrue(random >= 1 && random <= 2, "RANDOM: the record's page alone was read, not " + random + " pages");

        long normal;
        long normalBefore;
        try (MMapGraph index = openCold()) {
            assertTrue(index.advise(AccessHint.NORMAL));
            index.vector(TARGET);
            normal = residentPages(index.residency().get(FileKind.VECTORS));
            normalBefore = residentPages(vectorsBeforeTarget(index));
        }
        assertTrue(normal >= 4 * random, "NORMAL reads around the fault (readahead): " + normal + " pages vs RANDOM's " + random);
        assertTrue(normalBefore > 0, "NORMAL's read-around includes pages before the record");

        try (MMapGraph index = openCold()) {
            assertTrue(index.advise(AccessHint.SEQUENTIAL));
            index.vector(TARGET);
            long sequential = residentPages(index.residency().get(FileKind.VECTORS));
            assertTrue(sequential >= 4 * random, "SEQUENTIAL reads ahead: " + sequential + " pages");
            assertEquals(0, vectorsBeforeTarget(index).residentBytes(), "SEQUENTIAL reads nothing behind the record");
        }
    }

    @Test
    void willNeedLoadsTheRangeWithoutARead() throws IOException, InterruptedException {
        try (MMapGraph index = openCold()) {
            index.advise(AccessHint.WILLNEED);
            double fraction = 0;
            long until = System.nanoTime() + 10_000_000_000L; // the reads are asynchronous
            while (System.nanoTime() < until && (fraction = index.residency().get(FileKind.VECTORS).fraction()) < 0.99) {
                Thread.sleep(20);
            }
            assertTrue(fraction >= 0.99, "WILLNEED brought the vectors in: " + fraction);
        }
    }

    /** The re-rank's prefetch threads ({@code -Dmmgraph.rerankPrefetch=threads}) fault in the beam's pages, only those. */
    @Test
    void prefetchThreadsLoadTheBeamsVectorsAndNothingElse() throws IOException, InterruptedException {
        int[] beam = {17, 4_000, TARGET, 15_000, N - 1, 9_000};
        try (MMapGraph index = openCold(); RerankPrefetch.Pool pool = new RerankPrefetch.Pool(index.graph())) {
            assertTrue(index.advise(AccessHint.RANDOM));
            pool.touch(beam, 5); // the first five only: the sixth must stay cold (the batch is never marked done)
            long pages = 0;
            long until = System.nanoTime() + 10_000_000_000L; // touch() returns before the reads end
            while (System.nanoTime() < until && (pages = residentPages(index.residency().get(FileKind.VECTORS))) < 5) {
                Thread.sleep(20);
            }
            assertTrue(pages >= 5 && pages <= 10, "five records' pages (one or two each), not " + pages);
            Thread.sleep(100);
            assertEquals(pages, residentPages(index.residency().get(FileKind.VECTORS)), "and nothing more");
        }
    }

    @Test
    void warmLoadsListsAndVectorsButNotChecksumsAndEvictionDropsThem() throws IOException {
        try (MMapGraph index = openCold()) {
            AtomicLong reported = new AtomicLong();
            index.warm(reported::addAndGet);
            assertEquals(index.warmBytes(), reported.get(), "progress adds up to warmBytes");
            Map<FileKind, Residency> after = index.residency();
            assertTrue(after.get(FileKind.VECTORS).fraction() >= 0.999, after.toString());
            assertTrue(after.get(FileKind.NEIGHBOR_LISTS).fraction() >= 0.999, after.toString());
            assertTrue(after.get(FileKind.VECTOR_CHECKSUMS).fraction() < 0.5, "checksums are for verify: " + after);
            assertEquals((long) N * DIM * Float.BYTES, after.get(FileKind.VECTORS).bytes(), "the published records");
        }
        MMapGraph.evictFromPageCache(dir);
        try (MMapGraph index = MMapGraph.openReadOnly(dir)) {
            Residency vectors = index.residency().get(FileKind.VECTORS);
            assertTrue(vectors.fraction() < 0.01, "eviction dropped the warmed pages: " + vectors);
        }
    }

    @Test
    void residencyAndWarmFailNamedAfterClose() throws IOException {
        MMapGraph index = MMapGraph.openReadOnly(dir);
        index.close();
        org.junit.jupiter.api.Assertions.assertThrows(IndexClosedException.class, index::residency);
        org.junit.jupiter.api.Assertions.assertThrows(IndexClosedException.class, () -> index.warm(b -> { }));
    }

    @Test
    void anIndexWithCodesMapsItsVectorsForRandomAccessAndAdviseReplacesIt() throws IOException {
        assumeTrue(Smaps.available() && NativeIO.madviseAvailable(), "Linux smaps");
        assumeTrue(System.getProperty("mmgraph.advice") == null, "default policy");
        Path coded = codedDir.resolve("coded");
        try (MMapGraph index = MMapGraph.create(coded, IndexOptions.dimension(DIM).withCodeBytes(4)
                .withCodeTrainSize(300).withMaxDegree(8).withBuildBeamWidth(16))) {
            SplittableRandom r = new SplittableRandom(9);
            for (int i = 0; i < 400; i++) {
                float[] v = new float[DIM];
                for (int j = 0; j < DIM; j++) {
                    v[j] = (float) r.nextGaussian();
                }
                index.add(v);
            }
        }
        for (Path index : List.of(dir, coded)) {
            try (MMapGraph reader = MMapGraph.openReadOnly(index)) {
                boolean codes = index.equals(coded);
                List<String> vectorFlags = Smaps.vmFlags(index.resolve(FileKind.VECTORS.fileName()));
                List<String> listFlags = Smaps.vmFlags(index.resolve(FileKind.NEIGHBOR_LISTS.fileName()));
                assertFalse(vectorFlags.isEmpty() || listFlags.isEmpty(), "the files are mapped");
                for (String f : vectorFlags) {
                    assertEquals(codes, (" " + f + " ").contains(" rr "), "MADV_RANDOM (rr) on vectors: " + f);
                }
                for (String f : listFlags) {
                    assertFalse((" " + f + " ").contains(" rr "), "lists keep the default policy: " + f);
                }
                assertTrue(reader.advise(AccessHint.NORMAL));
                for (String f : Smaps.vmFlags(index.resolve(FileKind.VECTORS.fileName()))) {
                    assertFalse((" " + f + " ").contains(" rr "), "advise(NORMAL) clears it: " + f);
                }
                // Huge pages combine with the access policy: advising them keeps RANDOM (and vice versa).
                assertTrue(reader.advise(AccessHint.RANDOM));
                if (reader.advise(AccessHint.HUGEPAGE)) {
                    for (String f : Smaps.vmFlags(index.resolve(FileKind.VECTORS.fileName()))) {
                        assertTrue((" " + f + " ").contains(" rr ") && (" " + f + " ").contains(" hg "),
                                "MADV_RANDOM and MADV_HUGEPAGE: " + f);
                    }
                }
            }
        }
    }
}
