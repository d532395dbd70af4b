package io.mmgraph.index;

import io.mmgraph.dataset.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup taken while a writer adds and commits is one commit, whole: it verifies, holds at least the commit made
 * before it started, every vector bit for bit, finds its vectors, and can be written to in turn.
 */
class IndexBackupTest {
    static final int DIM = 24;

    @TempDir
    Path tmp;

    @Test
    void backupsTakenWhileAWriterWritesAreConsistentCommits() throws Exception {
        Path dir = tmp.resolve("idx");
        float[][] data = new SyntheticData(DIM, 20, 8).bases(12_000);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        try (MMapGraph writer = MMapGraph.create(dir, IndexOptions.dimension(DIM).withCodeBytes(6)
                .withCodeTrainSize(1_000).withExtentSlots(512))) {
            for (int i = 0; i < 2_000; i++) {
                writer.add(data[i]);
            }
            writer.sync();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 2_000; i < data.length && !stop.get(); i++) {
                        writer.add(data[i]);
                        if (i % 97 == 0) {
                            writer.sync();
                        }
                    }
                } catch (Throwable e) {
                    writerFailure.set(e);
                }
            });
            List<IndexBackup.Report> reports = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                long before = writer.committedCount();
                Path out = tmp.resolve("backup-" + b);
                IndexBackup.Report r = IndexBackup.copy(dir, out);
                reports.add(r);
                assertTrue(r.verify().ok(), r.verify().problems().toString());
                assertTrue(r.committedCount() >= before, "at least the commit made before: " + r + " vs " + before);
                try (MMapGraph copy = MMapGraph.openReadOnly(out)) {
                    assertEquals(r.committedCount(), copy.size());
                    for (int i = 0; i < copy.size(); i++) {
                        assertArrayEquals(data[i], copy.vector(i), "vector " + i);
                    }
                    for (int i = 0; i < copy.size(); i += 500) {
                        assertEquals(i, copy.search(data[i], SearchOptions.k(1)).neighbors().getFirst().ordinal(),
                                "vector " + i + " finds itself in the copy");
                    }
                }
                Thread.sleep(30);
            }
            stop.set(true);
            t.join();
            assertNull(writerFailure.get(), "the writer went on undisturbed");
            assertTrue(reports.getLast().committedCount() > reports.getFirst().committedCount(),
                    "the backups saw the writer's progress: " + reports);
        }
        Path last = tmp.resolve("backup-3");
        try (MMapGraph again = MMapGraph.open(last)) {
            int n = again.size();
            again.add(data[n]);
            again.sync();
            assertEquals(n + 1, again.committedCount(), "a backup is an index to write to");
        }
    }

    @Test
    void anIndexWithCodesNotYetTrainedAndWithDeletionsBacksUp() throws Exception {
        Path dir = tmp.resolve("idx");
        float[][] data = new SyntheticData(DIM, 20, 9).bases(300);
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withCodeBytes(6)
                .withCodeTrainSize(1_000).withExtentSlots(64))) {
            for (float[] v : data) {
                g.add(v);
            }
            for (int i = 0; i < 300; i += 4) {
                g.delete(i);
            }
        }
        Path out = tmp.resolve("copy");
        IndexBackup.Report report = IndexBackup.copy(dir, out);
        assertTrue(report.verify().ok(), report.verify().problems().toString());
        try (MMapGraph copy = MMapGraph.openReadOnly(out)) {
            assertEquals(300, copy.size());
            assertEquals(75, copy.deletedCount());
            assertTrue(copy.isDeleted(4) && !copy.isDeleted(5));
            for (int i = 1; i < 300; i += 37) {
                assertArrayEquals(data[i], copy.vector(i));
            }
        }
    }

    @Test
    void aBackupGoesToANewOrEmptyDirectoryFromAnIndex() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            g.add(new float[DIM]);
        }
        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("keep.txt"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> IndexBackup.copy(dir, full));
        assertEquals("mine", Files.readString(full.resolve("keep.txt")), "nothing touched");
        assertThrows(IndexNotFoundException.class, () -> IndexBackup.copy(tmp.resolve("nothing"), tmp.resolve("o")));
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        assertEquals(1, IndexBackup.copy(dir, empty).committedCount());

        // A backup that fails half way leaves OUT as it found it, so that it can simply be run again.
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                dir.resolve(io.mmgraph.format.FileKind.NEIGHBOR_LISTS.fileName()),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(4096);
        }
        Path failed = tmp.resolve("failed");
        assertThrows(io.mmgraph.format.TruncatedIndexException.class, () -> IndexBackup.copy(dir, failed));
        try (var left = Files.list(failed)) {
            assertEquals(List.of(), left.toList(), "nothing left behind");
        }
    }
}
