package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.ManifestFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction: after deleting 30%, the live vectors are renumbered into a new generation of files with their ids,
 * payloads and codes, recall@10 over them stays ≥ 0.95, readers that had the index open keep searching until they
 * reopen, and a compaction's leftovers never outlive the next writer open.
 */
class CompactionTest {
    private static final int DIM = 24;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void compactingAfterDeletingAThirdKeepsIdsPayloadsVectorsAndRecall(boolean codes) throws IOException {
        Random r = TestSeeds.random("CompactionTest." + codes);
        long seed = r.nextLong();
        int n = 4000;
        Path dir = tmp.resolve("idx");
        IndexOptions options = IndexOptions.dimension(DIM).withExtentSlots(512);
        options = codes ? options.withCodeBytes(8).withCodeTrainSize(500) : options;
        Set<Integer> deleted = new HashSet<>();
        List<float[]> vectors = new ArrayList<>();
        try (MMapGraph w = MMapGraph.create(dir, options)) {
            List<String> ids = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("v" + i);
                vectors.add(TestVectors.vector(seed, i, DIM));
                payloads.add("{\"i\":" + i + "}");
            }
            w.upsertAll(ids, vectors, payloads, 2);
            while (deleted.size() < n * 3 / 10) {
                int i = r.nextInt(n);
                if (deleted.add(i)) {
                    assertTrue(w.delete("v" + i));
                }
            }
            w.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                MMapGraph.CompactionResult c = w.compact();
                assertEquals(n, c.before());
                assertEquals(n - deleted.size(), c.after());
                assertEquals(1, c.generation());
                assertThrows(IndexClosedException.class, () -> w.add(vectors.get(0)), "compact() closes the writer");
                // The reader still searches the generation it mapped, whose files are gone from the directory.
                assertEquals(n, reader.size());
                assertEquals(10, reader.search(vectors.get(1), 10).size());
                assertThrows(IndexCompactedException.class, reader::refresh);
            }
        }
        assertFalse(Files.exists(dir.resolve(FileKind.VECTORS.fileName())), "generation 0's files are deleted");
        assertTrue(Files.exists(dir.resolve(FileKind.VECTORS.fileName(1))));
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(n - deleted.size(), g.size());
            assertEquals(0, g.deletedCount());
            assertTrue(g.verify().ok(), g.verify().problems().toString());
            int expectedOrdinal = 0;
            for (int i = 0; i < n; i++) {
                if (deleted.contains(i)) {
                    assertTrue(g.get("v" + i).isEmpty(), "deleted v" + i);
                    continue;
                }
                Document d = g.get("v" + i).orElseThrow(() -> new AssertionError("lost an id"));
                assertEquals(expectedOrdinal++, d.ordinal(), "live vectors keep their order");
                assertEquals("{\"i\":" + i + "}", d.payload());
                assertArrayEquals(vectors.get(i), g.vector(d.ordinal()));
            }
            double hits = 0;
            int queries = 100;
            for (int q = 0; q < queries; q++) {
                float[] query = TestVectors.vector(seed + 1, q, DIM);
                Set<Integer> exact = new HashSet<>();
                g.search(query, SearchOptions.k(10).exactSearch()).neighbors().forEach(x -> exact.add(x.ordinal()));
                for (Neighbor x : g.search(query, SearchOptions.k(10).withEf(100)).neighbors()) {
                    hits += exact.contains(x.ordinal()) ? 1 : 0;
                }
            }
            double recall = hits / (queries * 10.0);
            assertTrue(recall >= 0.95, "recall@10 after deleting 30% and compacting: " + recall);
        }
        // The compacted index takes writes, and compacts again.
        try (MMapGraph w = MMapGraph.open(dir)) {
            w.upsert("v" + n, TestVectors.vector(seed, n, DIM), null);
            assertTrue(w.delete("v" + (n - 1)) || deleted.contains(n - 1));
            assertEquals(2, w.compact().generation());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.get("v" + n).isPresent());
            assertTrue(g.verify().ok(), g.verify().problems().toString());
            assertFalse(Files.exists(dir.resolve(FileKind.VECTORS.fileName(1))));
        }
    }

    @Test
    void aCompactionThatDiedLeavesFilesTheNextWriterDeletes() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, IndexOptions.dimension(DIM).withExtentSlots(64))) {
            for (int i = 0; i < 100; i++) {
                w.upsert("k" + i, TestVectors.vector(3, i, DIM), null);
            }
        }
        // What a compaction that died before its commit leaves: next-generation files nobody names.
        for (FileKind kind : List.of(FileKind.VECTORS, FileKind.NEIGHBOR_LISTS, FileKind.KEYS, FileKind.IDS)) {
            Files.write(dir.resolve(kind.fileName(1)), new byte[100]);
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(100, g.size(), "readers ignore them");
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(5, w.get("k5").orElseThrow().ordinal());
        }
        for (FileKind kind : FileKind.values()) {
            assertFalse(Files.exists(dir.resolve(kind.fileName(1))), kind + " leftover deleted");
        }
        assertTrue(Files.exists(dir.resolve(FileKind.VECTORS.fileName())) && Files.exists(dir.resolve("vectors.crc.mmg")));
        assertEquals(0, ManifestFile.read(FormatConstants.manifestPath(dir)).newest().generation());
    }
}
