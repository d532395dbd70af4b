package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.FileKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * External ids and payloads (format 4): upsert, get and delete by id, persistence across reopen and kill -9, the id
 * table's growth seen by readers, and its rebuild when it is missing.
 */
class IdsTest {
    private static final int DIM = 16;

    @TempDir
    Path tmp;

    private static IndexOptions options() {
        return IndexOptions.dimension(DIM).withExtentSlots(256);
    }

    private static float[] vec(long seed, int i) {
        return TestVectors.vector(seed, i, DIM);
    }

    @Test
    void upsertStoresIdAndPayloadThatGetReturnsAfterReopen() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            int a = w.upsert("doc-1", vec(1, 0), "{\"title\":\"first\",\"n\":1}");
            int plain = w.add(vec(1, 1));
            int b = w.upsert("ü-2", vec(1, 2), null);
            assertEquals(List.of(0, 1, 2), List.of(a, plain, b));
            assertEquals("doc-1", w.id(a));
            assertEquals("{\"title\":\"first\",\"n\":1}", w.payload(a));
            assertNull(w.id(plain));
            assertNull(w.payload(plain));
            assertEquals(Optional.of(new Document("ü-2", b, null)), w.get("ü-2"));
            assertEquals(Optional.empty(), w.get("doc-2"));
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            Document d = r.get("doc-1").orElseThrow();
            assertEquals(0, d.ordinal());
            assertEquals("{\"title\":\"first\",\"n\":1}", d.payload());
            assertArrayEquals(vec(1, 0), r.vector(d.ordinal()));
            assertEquals("ü-2", r.id(2));
            assertTrue(r.verify().ok(), r.verify().problems().toString());
        }
    }

    @Test
    void upsertReplacesTheOldVectorWhichNoSearchReturns() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 200; i++) {
                w.upsert("k" + i, vec(2, i), "{\"version\":1}");
            }
            float[] moved = vec(3, 0);
            int replaced = w.get("k7").orElseThrow().ordinal();
            int now = w.upsert("k7", moved, "{\"version\":2}");
            assertNotEquals(replaced, now);
            assertTrue(w.isDeleted(replaced), "the replaced vector is deleted as soon as the upsert returns");
            assertEquals(new Document("k7", now, "{\"version\":2}"), w.get("k7").orElseThrow());
            assertEquals(201, w.size());
            assertEquals(1, w.deletedCount());
            // Searching at the old vector never returns it.
            for (Neighbor n : w.search(vec(2, 7), SearchOptions.k(10)).neighbors()) {
                assertNotEquals(replaced, n.ordinal());
            }
            assertEquals(now, w.search(moved, 1).get(0).ordinal());
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertEquals("{\"version\":2}", r.get("k7").orElseThrow().payload());
            assertEquals(1, r.deletedCount());
        }
    }

    @Test
    void anIdRepeatedInOneBatchKeepsTheLastAndDeletesTheRest() throws IOException {
        try (MMapGraph w = MMapGraph.create(tmp.resolve("idx"), options())) {
            w.upsert("x", vec(4, 0), "0");
            List<String> ids = List.of("x", "y", "x", "x");
            List<float[]> vectors = List.of(vec(4, 1), vec(4, 2), vec(4, 3), vec(4, 4));
            int first = w.upsertAll(ids, vectors, List.of("1", "2", "3", "4"), 2);
            assertEquals(1, first);
            assertEquals(new Document("x", 4, "4"), w.get("x").orElseThrow());
            assertEquals(3, w.deletedCount());
            for (int ord : new int[] {0, 1, 3}) {
                assertTrue(w.isDeleted(ord), "ordinal " + ord);
            }
            assertFalse(w.isDeleted(2));
        }
    }

    @Test
    void deleteByIdHidesItFromGetAndSearch() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 50; i++) {
                w.upsert("k" + i, vec(5, i), null);
            }
            assertTrue(w.delete("k3"));
            assertFalse(w.delete("k3"), "a second deletion finds nothing");
            assertFalse(w.delete("never-stored"));
            assertEquals(Optional.empty(), w.get("k3"));
            assertTrue(w.isDeleted(3));
            // Stored again after its deletion: a new vector, found by the id.
            int again = w.upsert("k3", vec(5, 3), "{}");
            assertEquals(50, again);
            assertEquals(again, w.get("k3").orElseThrow().ordinal());
            assertEquals(1, w.deletedCount());
        }
    }

    @Test
    void badIdsAndPayloadsAreNamedErrorsThatStoreNothing() throws IOException {
        try (MMapGraph w = MMapGraph.create(tmp.resolve("idx"), options())) {
            assertThrows(IllegalArgumentException.class, () -> w.upsert("", vec(6, 0), null));
            assertThrows(IllegalArgumentException.class, () -> w.upsert(null, vec(6, 0), null));
            assertThrows(IllegalArgumentException.class, () -> w.upsert("x".repeat(1025), vec(6, 0), null));
            assertThrows(IllegalArgumentException.class, () -> w.upsert("x", vec(6, 0), "p".repeat((1 << 20) + 1)));
            float[] nan = vec(6, 0);
            nan[3] = Float.NaN;
            assertThrows(InvalidVectorException.class, () -> w.upsert("x", nan, null));
            assertThrows(IllegalArgumentException.class,
                    () -> w.upsertAll(List.of("a", "b"), List.of(vec(6, 0)), null, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> w.upsertAll(List.of("a", ""), List.of(vec(6, 0), vec(6, 1)), null, 1));
            assertEquals(0, w.size(), "nothing was stored");
            assertEquals(Optional.empty(), w.get("a"));
            assertEquals(Optional.empty(), w.get("x"));
        }
    }

    @Test
    void theIdTableGrowsAndAReaderFindsEveryIdAfterRefresh() throws IOException {
        Path dir = tmp.resolve("idx");
        Random r = TestSeeds.random("IdsTest.grow");
        long seed = r.nextLong();
        int n = 12_000; // the table starts with 8,192 slots and is kept at most half full: it grows twice
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            List<String> ids = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ids.add("id/" + i);
                vectors.add(vec(seed, i));
                payloads.add("{\"i\":" + i + "}");
            }
            w.upsertAll(ids, vectors, payloads, 2);
            w.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertEquals(7, reader.get("id/7").orElseThrow().ordinal()); // maps the first table
                long firstTable = Files.size(dir.resolve(FileKind.IDS.fileName()));
                for (int start = 1000; start < n; start += 1000) {
                    ids.clear();
                    vectors.clear();
                    payloads.clear();
                    for (int i = start; i < start + 1000; i++) {
                        ids.add("id/" + i);
                        vectors.add(vec(seed, i));
                        payloads.add("{\"i\":" + i + "}");
                    }
                    w.upsertAll(ids, vectors, payloads, 2);
                }
                w.sync();
                assertTrue(Files.size(dir.resolve(FileKind.IDS.fileName())) > 2 * firstTable, "the table grew");
                assertTrue(reader.refresh());
                for (int i = 0; i < n; i += 7) {
                    Document d = reader.get("id/" + i).orElseThrow(() -> new AssertionError("reader lost an id"));
                    assertEquals(i, d.ordinal());
                    assertEquals("{\"i\":" + i + "}", d.payload());
                }
                assertEquals(Optional.empty(), reader.get("id/" + n));
            }
            for (int i = 0; i < n; i += 11) {
                assertEquals(i, w.get("id/" + i).orElseThrow().ordinal());
            }
        }
        assertFalse(Files.exists(dir.resolve(".ids-build")), "no build leftovers");
    }

    @Test
    void aMissingIdTableIsANamedErrorForReadersAndRebuiltByTheNextWriter() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 300; i++) {
                w.upsert("k" + i, vec(8, i), null);
            }
            w.delete("k5");
        }
        Files.delete(dir.resolve(FileKind.IDS.fileName()));
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> r.get("k1"));
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(1, w.get("k1").orElseThrow().ordinal());
            assertEquals(Optional.empty(), w.get("k5"));
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertEquals(299, r.get("k299").orElseThrow().ordinal());
        }
    }

    @Test
    void aKilledWriterKeepsTheCommittedUpsertsWholeAndLosesTheRestWhole() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 10; i++) {
                w.upsert("k" + i, vec(7, i), "{\"v\":" + i + "}");
            }
            for (int i = 10; i < 20; i++) {
                w.upsert("k" + i, vec(7, i), "{\"v\":" + i + "}");
            }
        }
        // The child stores k0..k29 (replacing k0..k19) and commits, then replaces k10..k19 again and adds 20 new ids
        // without a commit.
        ChildJvm.Result child = ChildJvm.main(ChildMain.class).args("upsert-then-halt", dir, 30, 30).run();
        assertEquals(0, child.exitCode(), child.describe());
        assertTrue(child.stdout().contains("upserted=60"), child.describe());
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertTrue(w.recoveredFromUncleanShutdown());
            assertEquals(50, w.size(), "20 of the parent, 30 committed by the child");
            for (int i = 0; i < 30; i++) {
                assertEquals("{\"v\":" + (1000 + i) + "}", w.get("k" + i).orElseThrow().payload(), "k" + i);
            }
            for (int i = 30; i < 60; i++) {
                assertEquals(Optional.empty(), w.get("k" + i), "k" + i + " was never committed");
            }
            assertEquals(20, w.deletedCount(), "k0..k19's first vectors, replaced in the commit");
            // Every live vector's id names it, and each id names one live vector.
            Set<String> seen = new HashSet<>();
            for (int ord = 0; ord < w.size(); ord++) {
                if (!w.isDeleted(ord)) {
                    String id = w.id(ord);
                    assertTrue(seen.add(id), "id " + id + " on two live vectors");
                    assertEquals(ord, w.get(id).orElseThrow().ordinal());
                }
            }
            // New upserts overwrite the lost tail's bytes and table slots and stay consistent.
            w.upsert("k45", vec(9, 0), "{\"v\":\"new\"}");
            w.upsert("k10", vec(9, 1), "{\"v\":\"newer\"}");
            w.sync();
            assertTrue(w.verify().ok(), w.verify().problems().toString());
        }
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertEquals("{\"v\":\"new\"}", r.get("k45").orElseThrow().payload());
            assertEquals("{\"v\":\"newer\"}", r.get("k10").orElseThrow().payload());
            assertEquals(21, r.deletedCount());
        }
    }

    @Test
    void aTableGrownOverUncommittedDeletionsStillFindsTheirIdsAfterACrash() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            w.upsert("a", vec(11, 0), "{\"a\":1}");
            w.upsert("b", vec(11, 1), "{\"b\":1}");
        }
        long before = Files.size(dir.resolve(FileKind.IDS.fileName()));
        ChildJvm.Result child = ChildJvm.main(ChildMain.class).args("delete-grow-then-halt", dir, 5000).run();
        assertEquals(0, child.exitCode(), child.describe());
        assertTrue(child.stdout().contains("grown="), child.describe());
        assertTrue(Files.size(dir.resolve(FileKind.IDS.fileName())) > before, "the table grew before the crash");
        try (MMapGraph r = MMapGraph.openReadOnly(dir)) {
            assertEquals("{\"a\":1}", r.get("a").orElseThrow(() -> new AssertionError("lost a")).payload());
            assertEquals("{\"b\":1}", r.get("b").orElseThrow(() -> new AssertionError("lost b")).payload());
            assertTrue(r.verify().ok(), r.verify().problems().toString());
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            w.upsert("a", vec(11, 2), "{\"a\":2}");
            assertEquals(1, w.deletedCount(), "the upsert found and replaced the committed a");
            assertEquals(2, w.size() - w.deletedCount());
        }
    }

    @Test
    void randomizedUpsertsAndDeletesMatchAModelAcrossReopens() throws IOException {
        Random r = TestSeeds.random("IdsTest.model");
        Path dir = tmp.resolve("idx");
        Map<String, String> model = new HashMap<>();
        MMapGraph w = MMapGraph.create(dir, options());
        try {
            for (int step = 0; step < 3000; step++) {
                String id = "id" + r.nextInt(400);
                int op = r.nextInt(10);
                if (op < 6) {
                    String payload = r.nextBoolean() ? null : "{\"s\":" + step + "}";
                    w.upsert(id, vec(10, step), payload);
                    model.put(id, payload);
                } else if (op < 8) {
                    boolean stored = model.containsKey(id);
                    model.remove(id);
                    assertEquals(stored, w.delete(id), "delete " + id);
                } else if (op == 8) {
                    w.close();
                    w = MMapGraph.open(dir);
                } else {
                    Optional<Document> d = w.get(id);
                    assertEquals(model.containsKey(id), d.isPresent(), "get " + id);
                    d.ifPresent(doc -> assertEquals(model.get(id), doc.payload()));
                }
            }
            long live = w.size() - w.deletedCount();
            assertEquals(model.size(), live, "one live vector per id");
        } finally {
            w.close();
        }
    }
}
