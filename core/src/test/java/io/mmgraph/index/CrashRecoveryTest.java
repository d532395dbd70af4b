package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 loses nothing committed (docs/reliability.md): a child JVM adds vectors, committing every 100 and printing
 * each committed count; this JVM kills it with SIGKILL at a random point after a few commits, then opens the index
 * for writing and checks the count, every committed vector bit for bit, verify, recovery, and further writes.
 * Twice, so the second kill lands on an index that was itself recovered.
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

    private static void checkRecovered(Path dir, long seed, long lastPrinted) throws Exception {
        try (MMapGraph g = MMapGraph.open(dir)) {
            assertTrue(g.recoveredFromUncleanShutdown(), "the killed writer never closed");
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
            // It takes writes again, at the next ordinal.
            for (long i = committed; i < committed + 150; i++) {
                assertEquals(i, g.add(TestVectors.vector(seed, i, DIM)));
            }
            g.sync();
            assertEquals(committed + 150, g.committedCount());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertTrue(g.verify().ok());
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
