package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graph invariants that a checksum cannot vouch for: a neighbour list with a valid CRC32C that names its own
 * node, a node outside the commit, a negative id, more than R neighbours, or a non-zero unused slot is reported by
 * {@code verify()} — by a reader and by the writer — and a search over it neither fails nor returns such an id.
 * The damage is written with positional file I/O (not through the index) and re-checksummed with
 * {@link CRC32C} here, on a cleanly closed {@link CorruptionFixture} index.
 */
class GraphIntegrityTest {
    private static final int R = CorruptionFixture.MAX_DEGREE;
    private static final int RECORD_INTS = R + 2;

    @TempDir
    Path tmp;

    /** A neighbour list as the file holds it: {@code [count, ids[R], crc]}. */
    private static int[] readList(Path dir, int ord) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * RECORD_INTS).order(FormatConstants.BYTE_ORDER);
        try (FileChannel ch = FileChannel.open(dir.resolve(FileKind.NEIGHBOR_LISTS.fileName()), StandardOpenOption.READ)) {
            assertEquals(b.capacity(), ch.read(b, CorruptionFixture.layout(FileKind.NEIGHBOR_LISTS).fileOffset(ord)));
        }
        int[] record = new int[RECORD_INTS];
        b.flip().asIntBuffer().get(record);
        return record;
    }

    /** Writes {@code record} (count, ids), with its CRC32C recomputed unless {@code keepCrc}. */
    private static void writeList(Path dir, int ord, int[] record, boolean keepCrc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * RECORD_INTS).order(FormatConstants.BYTE_ORDER);
        for (int i = 0; i < R + 1; i++) {
            b.putInt(record[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 4 * (R + 1));
        b.putInt(keepCrc ? record[R + 1] : (int) crc.getValue());
        b.flip();
        try (FileChannel ch = FileChannel.open(dir.resolve(FileKind.NEIGHBOR_LISTS.fileName()), StandardOpenOption.WRITE)) {
            assertEquals(b.capacity(), ch.write(b, CorruptionFixture.layout(FileKind.NEIGHBOR_LISTS).fileOffset(ord)));
        }
    }

    /**
     * Damages list {@code ord} with {@code edit} (a valid checksum is recomputed), checks that a reader's and the
     * writer's verify report {@code expected} for that list and nothing else, that graph searches still answer
     * within bounds, then restores the list.
     */
    private static void expectReported(Path dir, int ord, Consumer<int[]> edit, String expected, long seed)
            throws IOException {
        int[] original = readList(dir, ord);
        int[] damaged = original.clone();
        edit.accept(damaged);
        writeList(dir, ord, damaged, false);
        try {
            try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
                checkReport(g.verify(), ord, expected, "reader");
                searchesStayInBounds(g, seed);
            }
            try (MMapGraph g = MMapGraph.open(dir)) {
                assertFalse(g.recoveredFromUncleanShutdown(), "the index was closed cleanly: no repair ran");
                checkReport(g.verify(), ord, expected, "writer");
                searchesStayInBounds(g, seed);
            }
        } finally {
            // The writer closed cleanly without touching the list (it added nothing): restore it.
            writeList(dir, ord, original, true);
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            VerifyReport report = g.verify();
            assertTrue(report.ok(), "restored: " + report.problems());
        }
    }

    private static void checkReport(VerifyReport report, int ord, String expected, String who) {
        List<String> problems = report.problems();
        assertFalse(report.ok(), who + ": damage to list " + ord + " (" + expected + ") not reported");
        assertEquals(1, report.problemCount(), who + ": " + problems);
        String p = problems.getFirst();
        assertTrue(p.startsWith(FileKind.NEIGHBOR_LISTS.fileName() + ": neighbour list " + ord + " "), who + ": " + p);
        assertTrue(p.contains(expected), who + ": expected \"" + expected + "\" in " + p);
    }

    private static void searchesStayInBounds(MMapGraph g, long seed) throws IOException {
        for (int q = 0; q < 50; q++) {
            List<Neighbor> found = g.search(TestVectors.vector(seed, q, CorruptionFixture.DIM), 10);
            assertEquals(10, found.size());
            for (Neighbor n : found) {
                assertTrue(n.ordinal() >= 0 && n.ordinal() < g.size(), n.toString());
            }
        }
    }

    @Test
    void listsWithValidChecksumsButImpossibleContentsAreReported() throws IOException {
        Random r = TestSeeds.random("GraphIntegrityTest.listsWithValidChecksumsButImpossibleContentsAreReported");
        long seed = r.nextLong();
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, seed);
        int n = CorruptionFixture.COUNT;
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok(), "the pristine index verifies");
            assertEquals(0, g.graphStats().isolated());
        }
        // Pick a list that is neither empty nor full, and one that is full if there is one.
        int partial = -1;
        for (int ord = 1 + r.nextInt(n - 1), tried = 0; tried < n; ord = (ord + 1) % n, tried++) {
            int count = readList(dir, ord)[0];
            if (count > 1 && count < R) {
                partial = ord;
                break;
            }
        }
        assertTrue(partial >= 0, "some list is neither empty nor full");
        int node = partial;
        int count = readList(dir, node)[0];
        int slot = 1 + r.nextInt(count);         // ids sit in record ints 1..count
        System.out.println("damaging list " + node + " (count " + count + "), slot " + (slot - 1));

        expectReported(dir, node, rec -> rec[slot] = node, "self loop", seed);
        expectReported(dir, node, rec -> rec[slot] = n, "neighbour " + n + " outside [0, " + n + ")", seed);
        expectReported(dir, node, rec -> rec[slot] = Integer.MAX_VALUE, "outside [0, " + n + ")", seed);
        expectReported(dir, node, rec -> rec[slot] = -1, "neighbour -1 outside", seed);
        // Count R + 1: the list claims one neighbour more than a record can hold; the API cannot write this.
        expectReported(dir, node, rec -> rec[0] = R + 1, "count " + (R + 1) + " outside [0, " + R + "]", seed);
        expectReported(dir, node, rec -> rec[0] = -3, "count -3 outside", seed);
        // A stale id left in an unused slot.
        expectReported(dir, node, rec -> rec[count + 1] = 5, "unused slot " + count + " holds 5", seed);
        // A checksum that does not match is reported as such (the control: the edits above kept valid ones).
        int[] original = readList(dir, node);
        int[] bad = original.clone();
        bad[R + 1] ^= 1;
        writeList(dir, node, bad, true);
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            checkReport(g.verify(), node, "CRC32C mismatch", "reader");
        }
        writeList(dir, node, original, true);
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok());
        }
    }
}
