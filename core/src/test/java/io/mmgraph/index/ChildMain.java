package io.mmgraph.index;

import io.mmgraph.TestVectors;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.store.IndexLockedException;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The programs that cross-process tests run in a child JVM ({@link io.mmgraph.ChildJvm}). The first argument names
 * the task; results go to stdout, one fact per line, and the exit code says how it went:
 * 0 done, 1 unexpected exception (stack trace on stderr), 2 a check failed, 3 the index was locked.
 */
public final class ChildMain {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED_CHECK = 2;
    static final int EXIT_LOCKED = 3;

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        watchdog();
        int code;
        try {
            code = switch (args[0]) {
                case "write" -> write(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Long.parseLong(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
                case "verify" -> verify(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
                case "try-write" -> tryWrite(Path.of(args[1]));
                case "search" -> search(Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        List.of(args).subList(4, args.length));
                case "crash-writer" -> crashWriter(Path.of(args[1]), Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]), Long.parseLong(args[4]), Integer.parseInt(args[5]),
                        Integer.parseInt(args[6]));
                case "add-sync-loop" -> addSyncLoop(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]));
                case "delete-then-halt" -> deleteThenHalt(Path.of(args[1]), Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]));
                case "upsert-then-halt" -> upsertThenHalt(Path.of(args[1]), Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]));
                case "delete-grow-then-halt" -> deleteGrowThenHalt(Path.of(args[1]), Integer.parseInt(args[2]));
                case "truncate-under-reader" -> truncateUnderReader(Path.of(args[1]), Long.parseLong(args[2]));
                default -> throw new IllegalArgumentException("unknown task " + args[0]);
            };
        } catch (Throwable t) {
            t.printStackTrace();
            System.out.flush();
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /** A child never outlives its parent (or a minute and a half), whatever the test does. */
    private static void watchdog() {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(98)));
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(90_000);
            } catch (InterruptedException ignored) {
                return;
            }
            System.err.println("child watchdog: giving up after 90 s");
            Runtime.getRuntime().halt(97);
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * Creates an L2 index, adds {@code count} vectors (ordinal i is TestVectors.vector(seed, i)), commits, adds
     * {@code tail} more without committing, and halts without closing: the tail must be lost.
     */
    private static int write(Path dir, int dim, int extentSlots, long seed, int count, int tail) throws Exception {
        MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(dim).withExtentSlots(extentSlots));
        for (int i = 0; i < count; i++) {
            g.add(TestVectors.vector(seed, i, dim));
        }
        g.sync();
        say("committed=" + g.committedCount());
        for (int i = count; i < count + tail; i++) {
            g.add(TestVectors.vector(seed, i, dim));
        }
        say("published=" + g.size());
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_OK);
        return EXIT_OK;
    }

    /**
     * Opens the index for writing, deletes ordinals {@code [0, committed)} and commits, deletes
     * {@code [committed, committed + tail)} without committing, and halts without closing: those must come back.
     */
    private static int deleteThenHalt(Path dir, int committed, int tail) throws Exception {
        MMapGraph g = MMapGraph.open(dir);
        for (int i = 0; i < committed; i++) {
            g.delete(i);
        }
        g.sync();
        for (int i = committed; i < committed + tail; i++) {
            g.delete(i);
        }
        say("deleted=" + g.deletedCount());
        Runtime.getRuntime().halt(EXIT_OK);
        return EXIT_OK;
    }

    /**
     * Upserts ids "k0".."k{committed-1}" (replacing what the parent stored under them), commits, upserts {@code tail} more
     * (among them replacements of "k10".."k19") and halts without a commit.
     */
    private static int upsertThenHalt(Path dir, int committed, int tail) throws Exception {
        MMapGraph g = MMapGraph.open(dir);
        for (int i = 0; i < committed; i++) {
            g.upsert("k" + i, TestVectors.vector(7, 1000 + i, g.dimension()), "{\"v\":" + (1000 + i) + "}");
        }
        g.sync();
        for (int i = 0; i < tail; i++) {
            int key = i < 10 ? 10 + i : committed + i;
            g.upsert("k" + key, TestVectors.vector(7, 2000 + i, g.dimension()), "{\"v\":" + (2000 + i) + "}");
        }
        say("upserted=" + (committed + tail));
        Runtime.getRuntime().halt(EXIT_OK);
        return EXIT_OK;
    }

    /**
     * Deletes "a" and replaces "b" (neither committed), then upserts {@code more} new ids, enough to make the id table
     * grow, and halts without a commit.
     */
    private static int deleteGrowThenHalt(Path dir, int more) throws Exception {
        MMapGraph g = MMapGraph.open(dir);
        g.delete("a");
        g.upsert("b", TestVectors.vector(11, 1, g.dimension()), "{\"b\":2}");
        java.util.List<String> ids = new java.util.ArrayList<>();
        java.util.List<float[]> vectors = new java.util.ArrayList<>();
        for (int i = 0; i < more; i++) {
            ids.add("n" + i);
            vectors.add(TestVectors.vector(11, 100 + i, g.dimension()));
        }
        g.upsertAll(ids, vectors, null, 2);
        say("grown=" + java.nio.file.Files.size(dir.resolve("ids.mmg")));
        Runtime.getRuntime().halt(EXIT_OK);
        return EXIT_OK;
    }

    /** Opens read-only and checks the count, every vector bit for bit, and a full verify. */
    private static int verify(Path dir, long seed, int count) throws Exception {
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            if (g.committedCount() != count || g.size() != count) {
                say("MISMATCH committedCount=" + g.committedCount() + " size=" + g.size() + " expected=" + count);
                return EXIT_FAILED_CHECK;
            }
            for (int i = 0; i < count; i++) {
                float[] expected = TestVectors.vector(seed, i, g.dimension());
                if (!TestVectors.bitEqual(expected, g.vector(i))) {
                    say("MISMATCH vector " + i);
                    return EXIT_FAILED_CHECK;
                }
            }
            VerifyReport r = g.verify();
            if (!r.ok()) {
                say("MISMATCH verify " + r.problems());
                return EXIT_FAILED_CHECK;
            }
            say("ok count=" + count + " kernels=" + Kernels.get().name());
            return EXIT_OK;
        }
    }

    /** Tries to become the writer. */
    private static int tryWrite(Path dir) throws Exception {
        try (MMapGraph g = MMapGraph.open(dir)) {
            say("OPENED size=" + g.size());
            return EXIT_OK;
        } catch (IndexLockedException e) {
            say("LOCKED " + e.getMessage());
            return EXIT_LOCKED;
        }
    }

    /**
     * Exact search of each index read-only: queries are TestVectors.vector(querySeed, i). Prints
     * {@code kernels=<name>} then, per query, {@code result <dir#> <query#> <ord>:<raw float bits hex> ...}.
     */
    private static int search(long querySeed, int queries, int k, List<String> dirs) throws Exception {
        say("kernels=" + Kernels.get().name());
        for (int d = 0; d < dirs.size(); d++) {
            try (MMapGraph g = MMapGraph.openReadOnly(Path.of(dirs.get(d)))) {
                for (int q = 0; q < queries; q++) {
                    StringBuilder line = new StringBuilder("result " + d + " " + q);
                    for (Neighbor n : g.search(TestVectors.vector(querySeed, q, g.dimension()),
                            SearchOptions.k(k).exactSearch()).neighbors()) {
                        line.append(' ').append(n.ordinal()).append(':')
                                .append(Integer.toHexString(Float.floatToRawIntBits(n.distance())));
                    }
                    say(line.toString());
                }
            }
        }
        return EXIT_OK;
    }

    /**
     * Creates (or continues) an index and adds vectors for ever, committing every {@code every} and printing
     * {@code committed=<n>} after each commit. After {@code max} vectors it waits to be killed.
     */
    private static int crashWriter(Path dir, int dim, int extentSlots, long seed, int every, int max) throws Exception {
        MMapGraph g = Files.exists(dir.resolve("manifest.mmg"))
                ? MMapGraph.open(dir)
                : MMapGraph.create(dir, IndexOptions.dimension(dim).withMetric(Metric.L2).withExtentSlots(extentSlots));
        say("start size=" + g.size() + " recovered=" + g.recoveredFromUncleanShutdown());
        while (g.size() < max) {
            int ord = g.add(TestVectors.vector(seed, g.size(), dim));
            if ((ord + 1) % every == 0) {
                g.sync();
                say("committed=" + g.committedCount());
            }
        }
        say("done");
        Thread.sleep(Long.MAX_VALUE);
        return EXIT_OK;
    }

    /**
     * Opens an existing index for writing and adds {@code count} vectors (the one at ordinal i is
     * TestVectors.vector(seed, i)), committing after every {@code every} and printing {@code committed=<n>}; then
     * closes and prints {@code done size=<n>}.
     */
    private static int addSyncLoop(Path dir, long seed, int count, int every) throws Exception {
        try (MMapGraph g = MMapGraph.open(dir)) {
            say("start size=" + g.size());
            int first = g.size();
            for (int i = first; i < first + count; i++) {
                int ord = g.add(TestVectors.vector(seed, i, g.dimension()));
                if (ord != i) {
                    say("MISMATCH ordinal " + ord + " expected " + i);
                    return EXIT_FAILED_CHECK;
                }
                if ((ord + 1) % every == 0) {
                    g.sync();
                    say("committed=" + g.committedCount());
                }
            }
            say("done size=" + g.size());
        }
        return EXIT_OK;
    }

    /**
     * Opens a reader, warms search, verify and vector up (so their hot loops are compiled), then cuts the vector
     * file under its mappings to {@code newLength} and prints how each access ends:
     * {@code <operation>: <exception class> <message>}.
     * A JVM crash instead is the bug this looks for.
     */
    private static int truncateUnderReader(Path dir, long newLength) throws Exception {
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            float[] q = TestVectors.vector(1, 1, g.dimension());
            for (int i = 0; i < 300; i++) {
                g.search(q, 5);
            }
            for (int i = 0; i < 30; i++) {
                if (!g.verify().ok()) {
                    throw new IllegalStateException("damaged before the cut");
                }
            }
            for (int i = 0; i < 20_000; i++) {
                g.vector(i % g.size());
            }
            try (FileChannel ch = FileChannel.open(dir.resolve("vectors.mmg"), StandardOpenOption.WRITE)) {
                ch.truncate(newLength);
            }
            say("search: " + outcome(() -> g.search(q, 5)));
            say("vector: " + outcome(() -> g.vector(g.size() - 1)));
            say("verify: " + outcome(() -> g.verify().ok()));
            say("search again: " + outcome(() -> g.search(q, 5)));
        }
        return EXIT_OK;
    }

    private interface Op {
        Object run() throws Exception;
    }

    private static String outcome(Op op) {
        try {
            return "returned " + op.run();
        } catch (Throwable t) {
            return t.getClass().getName() + " " + t.getMessage();
        }
    }
}
