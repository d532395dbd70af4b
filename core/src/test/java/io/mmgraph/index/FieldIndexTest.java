package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.filter.JsonPayload;
import io.mmgraph.filter.PayloadFilter;
import io.mmgraph.format.FieldColumn;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.graph.NodeFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payload field columns ({@link FieldColumn}, {@link MMapGraph#indexField}): a filter evaluated on them accepts
 * exactly the vectors the payloads do, for random payloads and random filters; they persist, follow new vectors,
 * reach readers, survive a killed writer, compaction and backup, and {@code check} catches an entry that lies.
 */
class FieldIndexTest {
    private static final int DIM = 8;

    @TempDir
    Path tmp;

    private static IndexOptions options() {
        return IndexOptions.dimension(DIM).withExtentSlots(256);
    }

    // ------------------------------------------------------------------------------------------------ random data

    private static final String[] WORDS = {"en", "de", "a", "", "12345678", "123456789", "a much longer string",
            "caf\u00e9", "\ud83d\ude00", "tr\u00e8s longue cha\u00eene", "\\\"q\\\""};

    /** A random JSON value for field tests: scalars of every kind, arrays (equal, mixed, empty), objects, null. */
    private static String value(Random r) {
        return switch (r.nextInt(12)) {
            case 0, 1 -> Integer.toString(r.nextInt(6) - 1);
            case 2 -> r.nextInt(4) + ".5";
            case 3 -> r.nextBoolean() ? "true" : "false";
            case 4, 5, 6 -> "\"" + WORDS[r.nextInt(WORDS.length)] + "\"";
            case 7 -> "null";
            case 8 -> "{\"x\":1}";
            case 9 -> "[]";
            case 10 -> {
                String v = value(r);
                yield "[" + v + "," + v + "]";
            }
            default -> "[" + value(r) + "," + value(r) + ",null]";
        };
    }

    private static String payload(Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> null;
            case 1 -> "not json {";
            case 2 -> "[1,2]";
            default -> {
                StringBuilder b = new StringBuilder("{");
                String sep = "";
                for (String f : new String[] {"n", "s", "b", "m"}) {
                    if (r.nextInt(6) > 0) {
                        b.append(sep).append('"').append(f).append("\":").append(value(r));
                        sep = ",";
                    }
                }
                if (r.nextBoolean()) {
                    b.append(sep).append("\"meta\":{\"year\":").append(1990 + r.nextInt(5)).append('}');
                }
                yield b.append('}').toString();
            }
        };
    }

    private static Object scalar(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> r.nextInt(6) - 1;
            case 2 -> r.nextInt(4) + 0.5;
            case 3 -> r.nextBoolean();
            default -> WORDS[r.nextInt(WORDS.length)].replace("\\\"", "\"");
        };
    }

    private static PayloadFilter filter(Random r, int depth) {
        String field = new String[] {"n", "s", "b", "m", "meta.year", "unindexed"}[r.nextInt(6)];
        int pick = depth > 2 ? r.nextInt(4) : r.nextInt(7);
        return switch (pick) {
            case 0 -> PayloadFilter.equalTo(field, scalar(r));
            case 1 -> PayloadFilter.anyOf(field, List.of(scalar(r), scalar(r)));
            case 2 -> PayloadFilter.noneOf(field, List.of(scalar(r)));
            case 3 -> r.nextBoolean() ? PayloadFilter.range(field, (double) r.nextInt(4) - 1, r.nextBoolean(), null, false)
                    : PayloadFilter.range(field, null, false, 1990.0 + r.nextInt(5), r.nextBoolean());
            case 4 -> PayloadFilter.and(List.of(filter(r, depth + 1), filter(r, depth + 1)));
            case 5 -> PayloadFilter.or(List.of(filter(r, depth + 1), filter(r, depth + 1)));
            default -> PayloadFilter.not(filter(r, depth + 1));
        };
    }

    private static boolean onPayload(PayloadFilter f, String payload) {
        Object parsed = null;
        if (payload != null) {
            try {
                parsed = JsonPayload.parse(payload);
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
        }
        return f.test(parsed);
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void columnsAcceptExactlyWhatThePayloadsAcceptForRandomPayloadsAndFilters() throws IOException {
        Random r = TestSeeds.random("FieldIndexTest.random");
        Path dir = tmp.resolve("idx");
        int n = 1500;
        List<String> payloads = new ArrayList<>();
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            for (int i = 0; i < n / 2; i++) {
                payloads.add(payload(r));
                g.upsert("k" + i, TestVectors.vector(1, i, DIM), payloads.get(i));
            }
            // Half before indexing (built from the payloads), half after (written with each vector).
            for (String field : List.of("n", "s", "b", "m", "meta.year")) {
                assertTrue(g.indexField(field));
            }
            assertFalse(g.indexField("n"), "indexed already");
            for (int i = n / 2; i < n; i++) {
                payloads.add(payload(r));
                g.upsert("k" + i, TestVectors.vector(1, i, DIM), payloads.get(i));
            }
            g.sync();
            assertEquals(List.of("b", "m", "meta.year", "n", "s"), g.indexedFields());
            ColumnFilter.compile(PayloadFilter.equalTo("n", 1), fieldsOf(g)); // compiles on a writer too
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            FieldIndexes columns = fieldsOf(reader);
            int decided = 0;
            int tests = 0;
            for (int t = 0; t < 300; t++) {
                PayloadFilter f = filter(r, 0);
                NodeFilter accept = reader.payloadFilter(f);
                ColumnFilter onColumns = ColumnFilter.compile(f, columns);
                java.util.BitSet bulk = accept.accepted(n);
                assertEquals(onColumns == null, bulk == null, "a bulk pass wherever a field has a column");
                for (int ord = 0; ord < n; ord++) {
                    boolean want = onPayload(f, payloads.get(ord));
                    assertEquals(want, accept.accepts(ord), f + " on " + payloads.get(ord));
                    if (bulk != null) {
                        assertEquals(want, bulk.get(ord), f + " in bulk on " + payloads.get(ord));
                    }
                    if (onColumns != null) {
                        int known = onColumns.test(ord);
                        if (known != ColumnFilter.UNKNOWN) {
                            assertEquals(want ? ColumnFilter.TRUE : ColumnFilter.FALSE, known,
                                    f + " decided on columns for " + payloads.get(ord));
                            decided++;
                        }
                        tests++;
                    }
                }
            }
            assertTrue(decided > tests * 0.6, "columns decide most tests: " + decided + " of " + tests);
        }
    }

    @Test
    void aFilterOnIndexedScalarsNeverReadsAPayload() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 600; i++) {
                g.upsert("k" + i, TestVectors.vector(2, i, DIM), "{\"color\":\"" + (i % 3 == 0 ? "red" : "a very long colour name")
                        + "\",\"year\":" + (2000 + i % 20) + ",\"ok\":" + (i % 2 == 0) + "}");
            }
            g.indexField("color");
            g.indexField("year");
            g.indexField("ok");
            PayloadFilter f = PayloadFilter.and(List.of(PayloadFilter.equalTo("color", "red"),
                    PayloadFilter.range("year", 2005.0, true, 2010.0, false),
                    PayloadFilter.not(PayloadFilter.equalTo("ok", true))));
            ColumnFilter c = ColumnFilter.compile(f, fieldsOf(g));
            assertTrue(c.complete());
            assertFalse(g.payloadFilter(f).costly(), "a complete column filter is cheap");
            assertTrue(g.payloadFilter(PayloadFilter.equalTo("unindexed", 1)).costly());
            int accepted = 0;
            for (int ord = 0; ord < 600; ord++) {
                int known = c.test(ord);
                assertNotEquals(ColumnFilter.UNKNOWN, known, "ordinal " + ord);
                accepted += known == ColumnFilter.TRUE ? 1 : 0;
            }
            // i % 3 == 0, i % 20 in [5, 10), i odd
            int expected = 0;
            for (int i = 0; i < 600; i++) {
                expected += i % 3 == 0 && i % 20 >= 5 && i % 20 < 10 && i % 2 == 1 ? 1 : 0;
            }
            assertEquals(expected, accepted);
            // A long string's hash match leaves the payload to decide.
            ColumnFilter longValue = ColumnFilter.compile(PayloadFilter.equalTo("color", "a very long colour name"),
                    fieldsOf(g));
            assertEquals(ColumnFilter.UNKNOWN, longValue.test(1));
            assertEquals(ColumnFilter.FALSE, longValue.test(0));
            assertTrue(g.payloadFilter(PayloadFilter.equalTo("color", "a very long colour name")).accepts(1));
            assertTrue(g.dropFieldIndex("ok"));
            assertFalse(Files.exists(dir.resolve(FieldColumn.fileName("ok", 0))), "a column built in this session");
        }
    }

    @Test
    void columnsPersistFollowNewVectorsAndReachReadersAtRefresh() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 300; i++) {
                w.upsert("k" + i, TestVectors.vector(3, i, DIM), "{\"g\":" + (i % 10) + "}");
            }
            w.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertEquals(List.of(), reader.indexedFields());
                w.indexField("g");
                for (int i = 300; i < 400; i++) {
                    w.upsert("k" + i, TestVectors.vector(3, i, DIM), "{\"g\":" + (i % 10) + "}");
                }
                w.sync();
                reader.refresh();
                assertEquals(List.of("g"), reader.indexedFields());
                FieldColumn c = fieldsOf(reader).column("g");
                assertEquals(400, c.covered(), "the reader sees what the writer covered");
                ColumnFilter f = ColumnFilter.compile(PayloadFilter.equalTo("g", 4), fieldsOf(reader));
                for (int ord = 0; ord < 400; ord++) {
                    assertEquals(ord % 10 == 4 ? ColumnFilter.TRUE : ColumnFilter.FALSE, f.test(ord), "ordinal " + ord);
                }
            }
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(List.of("g"), w.indexedFields());
            assertTrue(w.verify().ok(), w.verify().problems().toString());
            assertTrue(w.dropFieldIndex("g"));
            assertFalse(w.dropFieldIndex("g"));
            assertEquals(List.of(), w.indexedFields());
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(List.of(), w.indexedFields(), "dropped for good");
            assertThrows(IllegalArgumentException.class, () -> w.indexField("a..b"));
            assertThrows(IllegalArgumentException.class, () -> w.indexField(""));
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertThrows(ReadOnlyIndexException.class, () -> reader.indexField("g"));
        }
    }

    @Test
    void aLostCoveredCountIsExtendedAgainAndADamagedHeaderRebuiltByTheNextWriter() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 500; i++) {
                w.upsert("k" + i, TestVectors.vector(4, i, DIM), "{\"g\":\"" + (char) ('a' + i % 5) + "\"}");
            }
            w.indexField("g");
        }
        Path column = dir.resolve(FieldColumn.fileName("g", 0));
        // The covered count as a power cut after the manifest but before the count could leave it: zeros.
        try (FileChannel ch = FileChannel.open(column, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(12), 2L * FormatConstants.BLOCK_SIZE);
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertEquals(0, fieldsOf(reader).column("g").covered(), "a damaged count covers nothing");
            assertTrue(reader.payloadFilter(PayloadFilter.equalTo("g", "c")).accepts(2), "the payload decides");
            assertFalse(reader.payloadFilter(PayloadFilter.equalTo("g", "c")).accepts(3));
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(500, fieldsOf(w).column("g").covered(), "extended from the payloads at open");
        }
        // A damaged header: readers leave the column out, the next writer builds it again.
        try (FileChannel ch = FileChannel.open(column, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 20);
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertEquals(List.of(), reader.indexedFields());
            assertFalse(reader.verify().ok(), "check reports the damaged column");
            assertTrue(reader.payloadFilter(PayloadFilter.equalTo("g", "c")).accepts(7));
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(List.of("g"), w.indexedFields());
            assertEquals(500, fieldsOf(w).column("g").covered());
            assertTrue(w.verify().ok(), w.verify().problems().toString());
        }
        // A count ahead of the commit (it reached the disk and its commit did not): check reports it, and the next
        // writer covers no more than the commit.
        ByteBuffer ahead = ByteBuffer.allocate(12).order(FormatConstants.BYTE_ORDER).putLong(0, 100_000);
        ahead.putInt(8, io.mmgraph.format.Crc.of(ahead.array(), 0, 8));
        try (FileChannel ch = FileChannel.open(column, StandardOpenOption.WRITE)) {
            ch.write(ahead, 2L * FormatConstants.BLOCK_SIZE);
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertFalse(reader.verify().ok(), "the column claims entries the commit does not hold");
            assertTrue(fieldsOf(reader).column("g").covered() < 100_000, "no more than the file holds");
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(500, fieldsOf(w).column("g").covered());
            w.upsert("more", TestVectors.vector(4, 999, DIM), "{\"g\":\"z\"}");
            w.sync();
            assertTrue(w.verify().ok(), w.verify().problems().toString());
        }
    }

    @Test
    void checkReportsAnEntryThatLiesAndFiltersFallBackOnAnEntryThatFailsItsCheck() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 100; i++) {
                w.upsert("k" + i, TestVectors.vector(5, i, DIM), "{\"g\":" + i + "}");
            }
            w.indexField("g");
            FieldColumn c = fieldsOf(w).column("g");
            c.write(7, FieldColumn.NUMBER, Double.doubleToLongBits(8.0), 0); // a valid entry with a wrong value
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            var report = reader.verify();
            assertFalse(report.ok());
            assertTrue(report.problems().toString().contains("entry 7 does not hold its payload's value"),
                    report.problems().toString());
        }
        try (MMapGraph w = MMapGraph.open(dir)) {
            fieldsOf(w).column("g").write(7, FieldColumn.NUMBER, Double.doubleToLongBits(7.0), 0);
        }
        // Flip a byte of entry 9's value: its check fails, and the payload decides.
        long at = FormatConstants.PROLOGUE_BYTES + 9L * FormatConstants.FIELD_ENTRY_BYTES;
        try (FileChannel ch = FileChannel.open(dir.resolve(FieldColumn.fileName("g", 0)), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at + 6);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, at + 6);
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            ColumnFilter f = ColumnFilter.compile(PayloadFilter.equalTo("g", 9), fieldsOf(reader));
            assertEquals(ColumnFilter.UNKNOWN, f.test(9));
            assertTrue(reader.payloadFilter(PayloadFilter.equalTo("g", 9)).accepts(9));
            assertEquals(java.util.BitSet.valueOf(new long[] {1L << 9}),
                    reader.payloadFilter(PayloadFilter.equalTo("g", 9)).accepted(100), "the bulk pass resolves it too");
            assertTrue(reader.verify().problems().toString().contains("entry 9 does not match its check"));
        }
    }

    @Test
    void aKilledWritersUncommittedEntriesAreNeverReadAndTheirOrdinalsGetTheirNewValues() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 20; i++) {
                w.upsert("k" + i, TestVectors.vector(7, i, DIM), "{\"v\":" + i + "}");
            }
            w.indexField("v");
        }
        // The child commits 30 upserts (v = 1000..1029), then writes 30 more (v = 2000..2029) and dies uncommitted.
        ChildJvm.Result child = ChildJvm.main(ChildMain.class).args("upsert-then-halt", dir, 30, 30).run();
        assertEquals(0, child.exitCode(), child.describe());
        try (MMapGraph w = MMapGraph.open(dir)) {
            assertEquals(50, w.size());
            for (int i = 0; i < 30; i++) {
                w.upsert("new" + i, TestVectors.vector(8, i, DIM), "{\"v\":" + (3000 + i) + "}");
            }
            w.sync();
            assertTrue(w.verify().ok(), w.verify().problems().toString());
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            FieldIndexes columns = fieldsOf(reader);
            assertEquals(80, columns.column("v").covered());
            for (int ord = 0; ord < 80; ord++) {
                String payload = reader.payload(ord);
                for (int v : new int[] {1000 + ord % 30, 2000 + ord % 30, 3000 + ord % 30}) {
                    PayloadFilter f = PayloadFilter.equalTo("v", v);
                    int known = ColumnFilter.compile(f, columns).test(ord);
                    assertEquals(onPayload(f, payload) ? ColumnFilter.TRUE : ColumnFilter.FALSE, known,
                            "ordinal " + ord + " holds " + payload);
                }
            }
        }
    }

    @Test
    void compactionAndBackupKeepTheColumns() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            for (int i = 0; i < 400; i++) {
                w.upsert("k" + i, TestVectors.vector(9, i, DIM), "{\"g\":" + (i % 4) + ",\"name\":\"n" + i + "\"}");
            }
            w.indexField("g");
            w.indexField("name");
            for (int i = 0; i < 400; i += 3) {
                w.delete("k" + i);
            }
            w.compact();
        }
        assertFalse(Files.exists(dir.resolve(FieldColumn.fileName("g", 0))), "the old generation's column is gone");
        assertTrue(Files.exists(dir.resolve(FieldColumn.fileName("g", 1))));
        Path copy = tmp.resolve("copy");
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertEquals(List.of("g", "name"), reader.indexedFields());
            assertTrue(reader.verify().ok(), reader.verify().problems().toString());
            checkColumnsMatchPayloads(reader);
            IndexBackup.copy(dir, copy);
        }
        try (MMapGraph backup = MMapGraph.openReadOnly(copy)) {
            assertEquals(List.of("g", "name"), backup.indexedFields());
            assertEquals(backup.size(), fieldsOf(backup).column("g").covered());
            assertTrue(backup.verify().ok(), backup.verify().problems().toString());
            checkColumnsMatchPayloads(backup);
        }
    }

    private static void checkColumnsMatchPayloads(MMapGraph g) throws IOException {
        FieldIndexes columns = fieldsOf(g);
        for (int v = 0; v < 4; v++) {
            PayloadFilter f = PayloadFilter.equalTo("g", v);
            ColumnFilter c = ColumnFilter.compile(f, columns);
            for (int ord = 0; ord < g.size(); ord++) {
                assertEquals(onPayload(f, g.payload(ord)) ? ColumnFilter.TRUE : ColumnFilter.FALSE, c.test(ord));
            }
        }
    }

    @Test
    void aPayloadNestedTooDeepHasNoFieldsOnEitherPathAndFailsNothing() throws IOException {
        Path dir = tmp.resolve("idx");
        String deep = "{\"a\":1,\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        try (MMapGraph g = MMapGraph.create(dir, options())) {
            g.upsert("k", TestVectors.vector(10, 0, DIM), "{\"a\":1}");
            g.indexField("a");
            // One batch: k replaced, then a payload the parser refuses (it recursed once per level: a stack overflow)
            g.upsertAll(List.of("k", "deep"), List.of(TestVectors.vector(10, 1, DIM), TestVectors.vector(10, 2, DIM)),
                    java.util.Arrays.asList("{\"a\":2}", deep), 1);
            g.sync();
            assertEquals("{\"a\":2}", g.get("k").orElseThrow().payload());
            int deepOrd = g.get("deep").orElseThrow().ordinal();
            assertFalse(g.payloadFilter(PayloadFilter.equalTo("a", 1)).accepts(deepOrd), "not JSON: no fields");
            assertEquals(ColumnFilter.FALSE,
                    ColumnFilter.compile(PayloadFilter.equalTo("a", 1), fieldsOf(g)).test(deepOrd));
            assertTrue(g.verify().ok(), g.verify().problems().toString());
        }
        assertThrows(IllegalArgumentException.class, () -> JsonPayload.parse("[".repeat(300) + "]".repeat(300)));
        assertEquals(List.of(List.of()), JsonPayload.parse("[[]]"));
    }

    @Test
    void readersSeeAColumnBuiltWithoutACommitAndFieldNamesTooLongForAFileAreRefused() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph w = MMapGraph.create(dir, options())) {
            w.upsert("k", TestVectors.vector(11, 0, DIM), "{\"g\":1}");
            w.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                w.indexField("g");
                reader.refresh();
                assertEquals(List.of("g"), reader.indexedFields(), "no commit since: the column alone is new");
                w.dropFieldIndex("g");
                w.indexField("g");
                reader.refresh();
                assertTrue(fieldsOf(reader).column("g").isStillAtItsPath(), "the rebuilt file, not the dropped one");
            }
            assertThrows(IllegalArgumentException.class, () -> w.indexField("\u6f22".repeat(30)));
            assertTrue(w.indexField("\u6f22".repeat(20)), "60 bytes, 180 characters escaped");
        }
    }

    @Test
    void fileNamesEscapeThePathAndCarryTheGeneration() {
        assertEquals("field-color.mmg", FieldColumn.fileName("color", 0));
        assertEquals("field-meta%2Eyear.3.mmg", FieldColumn.fileName("meta.year", 3));
        assertEquals("field-caf%C3%A9%2F%25.mmg", FieldColumn.fileName("caf\u00e9/%", 0));
        for (String field : List.of("color", "meta.year", "caf\u00e9/%", "a-b_c", "x.1")) {
            for (long gen : new long[] {0, 1, 12}) {
                String name = FieldColumn.fileName(field, gen);
                assertEquals(field, FieldColumn.fieldOf(name, gen));
                assertTrue(FieldColumn.isColumnFile(name));
                assertEquals(null, FieldColumn.fieldOf(name, gen + 1));
            }
        }
        assertEquals(null, FieldColumn.fieldOf("field-.mmg", 0));
        assertEquals(null, FieldColumn.fieldOf("field-a%2.mmg", 0));
        assertFalse(FieldColumn.isColumnFile("vectors.mmg"));
        assertFalse(FieldColumn.isColumnFile("field-a.x.mmg"));
    }

    private static FieldIndexes fieldsOf(MMapGraph g) {
        return g.fieldIndexes();
    }
}
