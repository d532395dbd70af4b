package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.store.IndexLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer per index (DESIGN.md §6). A refused second writer in the same JVM must not cost the first one its OS
 * lock — an fcntl lock is dropped when any channel of the lock file closes — so each test ends by asking another
 * process to take the lock, which must fail while the first writer lives.
 */
class WriterLockTest {
    @TempDir
    Path tmp;

    private static ChildJvm.Result childTriesToWrite(Path dir) throws Exception {
        return ChildJvm.main(ChildMain.class).args("try-write", dir).run();
    }

    private static void assertLockedFor(Path dir, String why) throws Exception {
        ChildJvm.Result r = childTriesToWrite(dir);
        assertEquals(ChildMain.EXIT_LOCKED, r.exitCode(), why + "\n" + r.describe());
        assertTrue(r.stdout().contains("locked by another writer"), r.describe());
    }

    private static void assertSecondWriterRefused(Path dir) {
        IndexLockedException e = assertThrows(IndexLockedException.class, () -> MMapGraph.open(dir));
        assertTrue(e.getMessage().contains("locked by another writer"), e.getMessage());
        assertTrue(e.getMessage().contains("this JVM") || e.getMessage().contains("pid"), e.getMessage());
    }

    @Test
    void secondWriterInTheSameJvmIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph first = MMapGraph.create(dir, IndexOptions.dimension(4))) {
            first.add(new float[] {1, 2, 3, 4});
            assertSecondWriterRefused(dir);
            assertSecondWriterRefused(dir); // still refused: the failed attempt left the registry as it was
            Files.createDirectories(tmp.resolve("x"));
            assertSecondWriterRefused(tmp.resolve("x").resolve("..").resolve("idx")); // another spelling
            assertSecondWriterRefused(Path.of("").toAbsolutePath().relativize(dir)); // a relative path
            // Readers take no lock and are welcome.
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                assertEquals(0, reader.size());
            }
            assertLockedFor(dir, "after refused in-JVM writers and a reader, the first writer must still hold the OS lock");
            first.add(new float[] {4, 3, 2, 1});
            first.sync();
        }
        // Released on close: another process can write now.
        ChildJvm.Result r = childTriesToWrite(dir);
        assertEquals(ChildMain.EXIT_OK, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("OPENED size=2"), r.describe());
        // And so can this JVM.
        try (MMapGraph again = MMapGraph.open(dir)) {
            assertEquals(2, again.size());
        }
    }

    /**
     * The same directory reached through a symbolic link is the same index: the second writer must be refused
     * without touching (and so releasing) the first writer's lock.
     */
    @Test
    void secondWriterThroughASymlinkIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        Path real = tmp.resolve("real");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real.getFileName());
        try (MMapGraph first = MMapGraph.create(real, IndexOptions.dimension(4))) {
            first.add(new float[] {1, 2, 3, 4});
            IndexLockedException e = assertThrows(IndexLockedException.class, () -> MMapGraph.open(link));
            assertTrue(e.getMessage().contains("locked by another writer"), e.getMessage());
            assertLockedFor(real, "a writer refused through a symlink must not release the first writer's lock");
        }
        // The other way round: created through the link, refused through the real path.
        Path real2 = tmp.resolve("real2");
        Files.createDirectories(real2);
        Path link2 = Files.createSymbolicLink(tmp.resolve("link2"), real2.getFileName());
        try (MMapGraph first = MMapGraph.create(link2, IndexOptions.dimension(4))) {
            assertThrows(IndexLockedException.class, () -> MMapGraph.open(real2));
            first.add(new float[] {1, 2, 3, 4});
            assertLockedFor(real2, "refused through the real path");
        }
    }

    @Test
    void anotherProcessIsRefusedWhileThisOneWrites() throws Exception {
        Path dir = tmp.resolve("idx");
        try (MMapGraph first = MMapGraph.create(dir, IndexOptions.dimension(4))) {
            assertLockedFor(dir, "the parent holds the writer lock");
            first.add(new float[] {1, 1, 1, 1});
        }
        assertEquals(ChildMain.EXIT_OK, childTriesToWrite(dir).exitCode());
    }
}
