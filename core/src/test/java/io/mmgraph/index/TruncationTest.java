package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.CorruptIndexException;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.TruncatedIndexException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A file cut short is a named error — {@link TruncatedIndexException} or another {@link CorruptIndexException} naming
 * the file — at open, at refresh, or when a mapped page vanishes under a reader; never a JVM crash, an
 * InternalError or an index error leaking out.
 */
class TruncationTest {
    @TempDir
    Path tmp;

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
        assertEquals(length, Files.size(file));
    }

    /** Opens (reader or writer) and verifies; returns the exception, or null if both succeeded. */
    private static Throwable openAndVerify(Path dir, boolean writer) {
        try (MMapGraph g = writer ? MMapGraph.open(dir) : MMapGraph.openReadOnly(dir)) {
            return g.verify().ok() ? null : new AssertionError("opened, verify failed: " + g.verify().problems());
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void everyFileCutBelowItsCommittedLengthIsANamedError() throws IOException {
        Random r = TestSeeds.random("TruncationTest.everyFileCutBelowItsCommittedLengthIsANamedError");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        List<String> files = new ArrayList<>(List.of(FormatConstants.MANIFEST_FILE));
        for (FileKind kind : io.mmgraph.format.IndexFiles.kinds(0)) {
            files.add(kind.fileName());
        }
        int cases = 0;
        for (String name : files) {
            Path file = dir.resolve(name);
            byte[] original = Files.readAllBytes(file);
            long committed = CorruptionFixture.committedLength(dir, name);
            long record = name.equals(FormatConstants.MANIFEST_FILE) ? 4096
                    : CorruptionFixture.layout(kindOf(name)).recordBytes();
            TreeSet<Long> lengths = new TreeSet<>(List.of(0L, 1L, 8L, 47L, 48L, 4095L, 4096L, 4097L, 8191L,
                    65535L, 65536L, 65537L, committed / 2, committed - record, committed - 1));
            for (int i = 0; i < 3; i++) {
                lengths.add((long) (r.nextDouble() * committed));
            }
            for (long len : lengths.headSet(committed)) {
                for (boolean writer : new boolean[] {false, true}) {
                    truncate(file, len);
                    Throwable t = openAndVerify(dir, writer);
                    String what = name + " cut to " + len + " of " + committed + (writer ? " (writer)" : " (reader)");
                    if (!(t instanceof CorruptIndexException)) {
                        AssertionError e = new AssertionError(what + ": expected a CorruptIndexException, got " + t);
                        if (t != null) {
                            e.initCause(t);
                        }
                        throw e;
                    }
                    assertTrue(t.getMessage().contains(name), what + ": " + t.getMessage());
                    if (len < committed && len >= FormatConstants.BLOCK_SIZE) {
                        assertTrue(t instanceof TruncatedIndexException, what + ": " + t);
                    }
                    Files.write(file, original);
                    cases++;
                }
            }
        }
        System.out.println(cases + " truncation cases");
        assertTrue(cases >= 4 * 2 * 8, "cases: " + cases);
        assertEquals(null, openAndVerify(dir, false), "restored");
    }

    private static FileKind kindOf(String fileName) {
        for (FileKind k : io.mmgraph.format.IndexFiles.kinds(0)) {
            if (k.fileName().equals(fileName)) {
                return k;
            }
        }
        throw new IllegalArgumentException(fileName);
    }

    /**
     * Cut between the committed length and the end of the last extent: the committed records are all there, but a
     * reader cannot map the extent (it refuses rather than risk a fault); the writer reserves it again.
     */
    @Test
    void aTailCutPastTheCommitStopsReadersAndIsRegrownByTheWriter() throws IOException {
        Random r = TestSeeds.random("TruncationTest.aTailCutPastTheCommitStopsReadersAndIsRegrownByTheWriter");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        Path vectors = dir.resolve(FileKind.VECTORS.fileName());
        long committed = CorruptionFixture.committedLength(dir, FileKind.VECTORS.fileName());
        truncate(vectors, committed + 1 + r.nextInt(1000));
        TruncatedIndexException e = assertThrows(TruncatedIndexException.class, () -> MMapGraph.openReadOnly(dir));
        assertEquals(vectors, e.file());
        try (MMapGraph g = MMapGraph.open(dir)) {
            assertTrue(g.verify().ok());
            assertEquals(CorruptionFixture.COUNT, g.size());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok());
        }
    }

    /**
     * A file cut under a live writer is never silently re-extended with zeros where its records were: the next
     * write into the cut region or growth of the file is a named error, and the cut stays visible.
     */
    @Test
    void aWriterMeetsAFileCutUnderItWithANamedErrorAndDoesNotRegrowIt() throws IOException {
        Path dir = tmp.resolve("idx");
        float[] v = new float[8];
        long cutTo;
        // With codes the writer links by codes and reads no stored vector, so nothing touches the cut region
        // before the files grow: growth itself must notice.
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(8).withExtentSlots(2048).withCodeBytes(2)
                .withCodeTrainSize(256))) {
            for (int i = 0; i < 2 * 2048; i++) { // two full 64 KiB extents of vectors: the next add grows the file
                v[1] = i % 7;
                v[0] = i;
                g.add(v);
            }
            g.sync();
            Path vectors = dir.resolve(FileKind.VECTORS.fileName());
            cutTo = Files.size(vectors) - 65_536; // the second extent, which holds committed vectors, is gone
            truncate(vectors, cutTo);
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 10_000; i++) {
                    g.add(v);
                }
            });
            assertTrue(e.getMessage().contains(vectors.toString()), "names the file: " + e);
            assertEquals(cutTo, Files.size(vectors), "not regrown over the cut");
            try {
                g.sync();
            } catch (IOException expected) {
                // a commit over a cut file may fail too, named; it must not crash or regrow
            }
        } catch (IOException closing) {
            // close commits; over a cut file it may fail the same named way
        }
        assertThrows(TruncatedIndexException.class, () -> MMapGraph.openReadOnly(dir), "the cut stays visible");
    }

    @Test
    void refreshMeetsATruncatedFile() throws IOException {
        Random r = TestSeeds.random("TruncationTest.refreshMeetsATruncatedFile");
        long seed = r.nextLong();
        Path dir = tmp.resolve("idx");
        int dim = 16;
        try (MMapGraph w = MMapGraph.create(dir, IndexOptions.dimension(dim).withExtentSlots(64))) {
            for (int i = 0; i < 100; i++) {
                w.add(TestVectors.vector(seed, i, dim));
            }
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            try (MMapGraph w = MMapGraph.open(dir)) {
                for (int i = 100; i < 3000; i++) {
                    w.add(TestVectors.vector(seed, i, dim));
                }
            }
            Path lists = dir.resolve(FileKind.NEIGHBOR_LISTS.fileName());
            truncate(lists, CorruptionFixture.committedLength(dir, FileKind.NEIGHBOR_LISTS.fileName()) - 1);
            TruncatedIndexException e = assertThrows(TruncatedIndexException.class, reader::refresh);
            assertEquals(lists, e.file());
            assertEquals(100, reader.size(), "a failed refresh keeps the reader on its commit");
            // Exact: a reader left at an old commit sees the writer's rewritten lists filtered to its own ids, so its
            // graph is sparser than when it was committed (docs/design.md); it still answers from its commit.
            assertEquals(7, reader.search(TestVectors.vector(seed, 7, dim), SearchOptions.k(1).exactSearch())
                    .neighbors().getFirst().ordinal());
        }
    }

    /**
     * The vector file is cut while a reader has it mapped and its kernels are compiled: touching a vanished page
     * must become a TruncatedIndexException naming the file. Run in a child JVM, because the failure this looks
     * for is a crash.
     */
    @Test
    void aFileCutUnderALiveMappingIsANamedErrorNotACrash() throws Exception {
        Random r = TestSeeds.random("TruncationTest.aFileCutUnderALiveMappingIsANamedErrorNotACrash");
        Path dir = tmp.resolve("idx");
        CorruptionFixture.build(dir, r.nextLong());
        long cut = FormatConstants.PROLOGUE_BYTES + FormatConstants.BLOCK_SIZE;
        ChildJvm.Result result = ChildJvm.main(ChildMain.class).args("truncate-under-reader", dir, cut).run();
        assertEquals(0, result.exitCode(), result.describe());
        List<String> lines = result.stdoutLines();
        assertEquals(4, lines.size(), result.describe());
        for (String line : lines) {
            if (!line.contains(TruncatedIndexException.class.getName()) || !line.contains("vectors.mmg")) {
                fail("expected a TruncatedIndexException naming vectors.mmg: " + line + "\n" + result.describe());
            }
        }
        assertFalse(result.stderr().contains("InternalError"), result.describe());
    }
}
