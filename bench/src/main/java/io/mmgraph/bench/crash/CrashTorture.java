package io.mmgraph.bench.crash;

import io.mmgraph.format.VerifyReport;
import io.mmgraph.index.MMapGraph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code mmgraph bench crash}: kills a writer ({@link CrashChild}, a JVM of its own) with SIGKILL again and again —
 * at random moments, or right as it starts an explicit commit — and after every kill checks, in this process, what
 * a crash may leave: the index opens (repairing what the writer left), {@code verify()} finds nothing (every
 * checksum, no list naming a node at or past the committed count), the count is at least the last commit the
 * writer acknowledged, and every committed vector is bit for bit the one written. The next writer then resumes.
 */
public final class CrashTorture {
    /**
     * @param dir        the index (created by the first writer; a run resumes an index a former run left)
     * @param kills      how many writers to kill
     * @param mode       the writer's commits: {@code sync:N}, {@code inserts:N} or {@code millis:T} ({@link CrashChild})
     * @param maxDelayMs a random kill comes up to this long after the writer has opened the index
     * @param atSyncFraction the share of kills made right as the writer starts an explicit commit ({@code sync:N} only)
     */
    public record Options(Path dir, int kills, long seed, int dim, String mode, long maxDelayMs, double atSyncFraction) {
    }

    /** One kill and what the checks found. */
    public record Round(int round, String moment, long opened, long acknowledged, long recoveredCount,
                        boolean repaired, int exitCode, List<String> problems) {
        /** Whether the writer acknowledged a commit of its own before the kill. */
        public boolean committed() {
            return acknowledged > opened;
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private CrashTorture() {}

    public static Map<String, Object> run(Options o, Consumer<Round> onRound) throws IOException, InterruptedException {
        if (!o.mode().matches("(sync|inserts|millis):[1-9][0-9]*")) {
            throw new IllegalArgumentException("mode must be sync:N, inserts:N or millis:T, not " + o.mode());
        }
        Files.createDirectories(o.dir().toAbsolutePath().getParent());
        SplittableRandom random = new SplittableRandom(o.seed());
        List<Round> rounds = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 1; k <= o.kills(); k++) {
            boolean atSync = o.mode().startsWith("sync:") && random.nextDouble() < o.atSyncFraction();
            Round r = killOnce(o, k, atSync, atSync ? 1 + random.nextInt(3) : 0,
                    20 + random.nextLong(Math.max(1, o.maxDelayMs() - 20)));
            rounds.add(r);
            onRound.accept(r);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("resumesAfterLastKill", resumes(o));
        report.put("kills", rounds.size());
        report.put("recovered", rounds.stream().filter(Round::ok).count());
        report.put("killedDuringCommit", rounds.stream().filter(r -> r.moment().startsWith("at sync")).count());
        report.put("killsAfterACommitOfTheirOwn", rounds.stream().filter(Round::committed).count());
        report.put("lostAcknowledgedCommits", rounds.stream()
                .filter(r -> r.recoveredCount() >= 0 && r.recoveredCount() < r.acknowledged()).count());
        report.put("repairedAtOpen", rounds.stream().filter(Round::repaired).count());
        report.put("finalCount", rounds.isEmpty() ? 0 : rounds.getLast().recoveredCount());
        report.put("seconds", (System.nanoTime() - t0) / 1e9);
        report.put("mode", o.mode());
        report.put("failures", rounds.stream().filter(r -> !r.ok()).map(Round::toString).toList());
        return report;
    }

    /** Whether a writer can add and commit after the last kill (the rounds' writers showed it for the others). */
    private static boolean resumes(Options o) throws IOException {
        try (MMapGraph g = MMapGraph.open(o.dir())) {
            int before = g.size();
            g.add(CrashChild.vector(o.seed(), before, o.dim()));
            g.sync();
            return g.committedCount() == before + 1;
        }
    }

    private static Round killOnce(Options o, int round, boolean atSync, int syncsBeforeKill, long delayMs)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                o.dir().toString(), Long.toString(o.seed()), Integer.toString(o.dim()), o.mode());
        Path log = o.dir().toAbsolutePath().getParent().resolve(o.dir().getFileName() + "-writers.log");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong acknowledged = new AtomicLong(-1);
        AtomicInteger syncs = new AtomicInteger();
        AtomicLong opened = new AtomicLong(-1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("start ")) {
                        // What the writer opened is committed: the floor of what must survive this kill.
                        long size = Long.parseLong(line.replaceAll(".*size=(\\d+).*", "$1"));
                        opened.set(size);
                        acknowledged.set(size);
                        started.countDown();
                    } else if (line.startsWith("committed=")) {
                        acknowledged.set(Long.parseLong(line.substring("committed=".length())));
                    } else if (line.equals("syncing") && atSync && syncs.incrementAndGet() == syncsBeforeKill) {
                        p.destroyForcibly(); // SIGKILL while the commit runs (or just before it)
                    }
                }
            } catch (IOException e) {
                // the pipe closes with the process
            }
        });
        String moment;
        List<String> problems = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!started.await(100, TimeUnit.MILLISECONDS) && p.isAlive() && System.nanoTime() < deadline) {
            // waiting for the writer to open the index (recovery included)
        }
        if (started.getCount() > 0) {
            p.destroyForcibly();
            moment = "before start";
            problems.add("the writer did not open the index within 120 s (a hang in recovery?) or died first");
        } else if (atSync) {
            moment = "at sync #" + syncsBeforeKill;
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                moment = "after 60 s";
                problems.add("the writer made no commit within 60 s (a hang in add or sync?)");
            }
        } else {
            Thread.sleep(delayMs);
            p.destroyForcibly();
            moment = "after " + delayMs + " ms";
        }
        int exit = p.waitFor();
        reader.join();
        long ack = acknowledged.get();
        if (exit != 137 && exit != 9) {
            problems.add("the writer exited with " + exit + " before it was killed (see " + log + ")");
        }
        long count = -1;
        boolean repaired = false;
        try (MMapGraph g = MMapGraph.open(o.dir())) {
            count = g.size();
            repaired = g.recoveredFromUncleanShutdown();
            if (count < ack) {
                problems.add("count " + count + " is below the acknowledged commit " + ack);
            }
            VerifyReport report = g.verify();
            if (!report.ok()) {
                problems.add("verify: " + report.problems());
            }
            for (int i = 0; i < count; i++) {
                float[] stored = g.vector(i);
                float[] written = CrashChild.vector(o.seed(), i, o.dim());
                for (int j = 0; j < written.length; j++) {
                    if (Float.floatToRawIntBits(stored[j]) != Float.floatToRawIntBits(written[j])) {
                        problems.add("vector " + i + " differs from what was written at component " + j);
                        i = (int) count;
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add("open/check failed: " + e);
        }
        return new Round(round, moment, opened.get(), ack, count, repaired, exit, problems);
    }
}
