package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.FileKind;
import io.mmgraph.format.FormatConstants;
import io.mmgraph.format.IndexFiles;
import io.mmgraph.format.Manifest;
import io.mmgraph.format.ManifestFile;
import io.mmgraph.format.SlotLayout;
import io.mmgraph.format.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 loses nothing committed (docs/reliability.md): a child JVM adds vectors, committing every 100 and printing
 * each committed count; this JVM kills it with SIGKILL at a random point after a few commits, then opens the index
 * for writing and checks the count, every committed vector bit for bit, verify, recovery, and further writes.
 * Twice, so the second kill lands on an index that was itself recovered. Every add links the vector into the graph,
 * so the kill lands amid neighbour-list rewrites: after recovery no committed list may name an uncommitted node
 * (or itself), which is checked on the raw list records as well as by verify.
 */
class CrashRecoveryTest {
    private static final int DIM = 24;
    private static final int EXTENT_SLOTS = 128;
    private static final int EVERY = 100;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** Runs a writer child until it has printed {@code minCommits} + a random number of commits, then kills it. */
    private static long runAndKill(Path dir, long seed, Random r) throws Exception {
        int extraCommits = r.nextInt(15);
        long lastPrinted = -1;
        int commits = 0;
        try (ChildJvm.Running child = ChildJvm.main(ChildMain.class)
                .args("crash-writer", dir, DIM, EXTENT_SLOTS, seed, EVERY, 200_000).start()) {
            String line;
            while ((line = child.nextLine(PATIENCE)) != null) {
                if (line.startsWith("committed=")) {
                    lastPrinted = Long.parseLong(line.substring("committed=".length()));
                    if (++commits >= 3 + extraCommits) {
                        break;
                    }
                } else if (!line.startsWith("start ")) {
                    fail("unexpected child output: " + line + "\n" + child.describe());
                }
            }
            if (commits < 3) {
                fail("the child stopped before 3 commits\n" + child.describe());
            }
            Thread.sleep(r.nextInt(10)); // land the kill anywhere in the add/commit cycle
            int exit = child.kill();
            // Lines printed before the kill but not read yet are commits too.
            while ((line = child.nextLine(PATIENCE)) != null) {
                if (line.startsWith("committed=")) {
                    lastPrinted = Long.parseLong(line.substring("committed=".length()));
                }
            }
            System.out.println("killed the writer (exit " + exit + ") after it printed committed=" + lastPrinted);
            assertTrue(exit != 0, "the child was killed, not finished: " + exit);
        }
        return lastPrinted;
    }

    /** What the raw records of the committed neighbour lists hold, read with positional I/O. */
    record ListScan(long lists, long edges, long dangling, long selfLoops, long badCount, long badChecksum) {
        boolean clean() {
            return dangling == 0 && selfLoops == 0 && badCount == 0 && badChecksum == 0;
        }
    }

    static ListScan scanLists(Path dir) throws IOException {
        Manifest m = ManifestFile.read(FormatConstants.manifestPath(dir)).newest();
        long committed = m.committedCount();
        int r = m.maxDegree();
        SlotLayout layout = IndexFiles.layout(FileKind.NEIGHBOR_LISTS, m);
        ByteBuffer b = ByteBuffer.allocate(4 * (r + 2)).order(FormatConstants.BYTE_ORDER);
        long edges = 0, dangling = 0, selfLoops = 0, badCount = 0, badChecksum = 0;
        try (FileChannel ch = FileChannel.open(dir.resolve(FileKind.NEIGHBOR_LISTS.fileName()), StandardOpenOption.READ)) {
            for (long ord = 0; ord < committed; ord++) {
                b.clear();
                assertEquals(b.capacity(), ch.read(b, layout.fileOffset(ord)), "list " + ord);
                CRC32C crc = new CRC32C();
                crc.update(b.array(), 0, 4 * (r + 1));
                if ((int) crc.getValue() != b.getInt(4 * (r + 1))) {
                    badChecksum++;
                }
                int count = b.getInt(0);
                if (count < 0 || count > r) {
                    badCount++;
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    int id = b.getInt(4 * (1 + i));
                    edges++;
                    if (id < 0 || id >= committed) {
                        dangling++;
                    } else if (id == ord) {
                        selfLoops++;
                    }
                }
            }
        }
        return new ListScan(committed, edges, dangling, selfLoops, badCount, badChecksum);
    }

    private static void checkRecovered(Path dir, long seed, long lastPrinted) throws Exception {
        // Before recovery the lists may name nodes the kill left uncommitted (back-edges to them reach committed
        // lists before the commit that would cover them), or be half-rewritten.
        ListScan before = scanLists(dir);
        System.out.println("after the kill, before recovery: " + before);
        try (MMapGraph g = MMapGraph.open(dir)) {
            assertTrue(g.recoveredFromUncleanShutdown(), "the killed writer never closed");
            ListScan after = scanLists(dir);
            System.out.println("after recovery: " + after);
            assertTrue(after.clean(), "recovered lists: " + after);
            assertEquals(before.lists(), after.lists());
            long committed = g.committedCount();
            assertTrue(committed >= lastPrinted, "committed " + committed + " < printed " + lastPrinted);
            assertEquals(0, committed % EVERY, "commits happen every " + EVERY + ": " + committed);
            assertEquals(committed, g.size(), "nothing uncommitted survives");
            for (int i = 0; i < committed; i++) {
                if (!TestVectors.bitEqual(TestVectors.vector(seed, i, DIM), g.vector(i))) {
                    fail("committed vector " + i + " of " + committed + " is not bit-exact after kill -9");
                }
            }
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
            GraphStats stats = g.graphStats();
            System.out.println("recovered graph: " + stats);
            assertEquals(committed, stats.nodes());
            assertTrue(stats.maxDegree() <= g.maxDegree(), stats.toString());
            // The recovered graph still finds its own vectors: nearly every committed vector is its own nearest.
            int self = 0;
            int probes = 100;
            Random pr = new Random(seed);
            for (int i = 0; i < probes; i++) {
                int ord = pr.nextInt((int) committed);
                List<Neighbor> top = g.search(TestVectors.vector(seed, ord, DIM), 1);
                self += top.getFirst().ordinal() == ord && top.getFirst().distance() == 0f ? 1 : 0;
            }
            assertTrue(self >= 95, self + " of " + probes + " committed vectors found themselves after recovery");
            // It takes writes again, at the next ordinal.
            for (long i = committed; i < committed + 150; i++) {
                assertEquals(i, g.add(TestVectors.vector(seed, i, DIM)));
            }
            g.sync();
            assertEquals(committed + 150, g.committedCount());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            // Closed cleanly: the reader checks every id against its committed count.
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
            assertTrue(scanLists(dir).clean(), scanLists(dir).toString());
            assertEquals(0, g.graphStats().isolated());
            assertTrue(TestVectors.bitEqual(TestVectors.vector(seed, g.size() - 1, DIM), g.vector(g.size() - 1)));
        }
        try (MMapGraph g = MMapGraph.open(dir)) {
            assertFalse(g.recoveredFromUncleanShutdown(), "closed cleanly this time");
        }
    }

    @Test
    void killDashNineLosesNothingCommitted() throws Exception {
        Random r = TestSeeds.random("CrashRecoveryTest.killDashNineLosesNothingCommitted");
        long seed = r.nextLong();
        Path dir = tmp.resolve("idx");
        for (int round = 0; round < 2; round++) {
            long lastPrinted = runAndKill(dir, seed, r);
            checkRecovered(dir, seed, lastPrinted);
        }
    }
}
