package io.mmgraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmgraph.bench.engine.BenchData;
import io.mmgraph.bench.engine.BuildParams;
import io.mmgraph.bench.engine.Engine;
import io.mmgraph.bench.engine.Engines;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main class of an engine's JVMs, writing {@link ResultRow}s as JSON. Every engine is timed and scored by this
 * same code. The {@code build} phase loads the data, builds and sweeps the in-memory variants; the {@code search}
 * phase, in a fresh JVM, opens the persisted variants and sweeps them (see {@link RunSpec#phase()}).
 *
 * <p>Usage: {@code EngineRun SPEC.json OUT.json}. Progress goes to stderr.
 */
public final class EngineRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EngineRun SPEC.json OUT.json");
            System.exit(2);
        }
        RunSpec spec = JSON.readValue(Path.of(args[0]).toFile(), RunSpec.class);
        List<ResultRow> rows = run(spec);
        JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[1]).toFile(), rows);
    }

    static List<ResultRow> run(RunSpec spec) throws IOException, InterruptedException {
        return switch (spec.phase()) {
            case RunSpec.BUILD -> buildPhase(spec);
            case RunSpec.SEARCH -> searchPhase(spec);
            default -> throw new IllegalArgumentException("unknown phase " + spec.phase());
        };
    }

    /** Builds, writes the {@link BuildInfo} and measures the variants that only this JVM can search. */
    private static List<ResultRow> buildPhase(RunSpec spec) throws IOException, InterruptedException {
        Metric metric = Metric.parse(spec.metric());
        BenchData data = BenchDataSets.loadPrepared(Path.of(spec.dataDir()), metric);
        Engine engine = Engines.create(spec.engine());
        String tag = "[" + spec.engine() + "] ";
        log(tag + "SIMD: " + engine.simdProvider());
        Path indexDir = Path.of(spec.indexDir());
        Files.createDirectories(indexDir);
        log(tag + "building over " + data.base().length + " x " + data.dimension() + " with " + spec.threads()
                + " threads ...");
        long t0 = System.nanoTime();
        engine.build(data, params(spec, metric), indexDir, spec.threads());
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long indexBytes = engine.indexBytes(indexDir);
        log(tag + String.format(Locale.ROOT, "built in %.1f s, index %,d bytes; %s", buildSeconds, indexBytes,
                engine.describeConfig()));
        BuildInfo built = new BuildInfo(buildSeconds, indexBytes, ProcessMemory.heapPeakBytes(),
                ProcessMemory.rssPeakBytes(), engine.describeConfig(), data.base().length);
        JSON.writeValue(Path.of(spec.buildInfo()).toFile(), built);
        System.gc();
        try {
            return measureVariants(engine, spec, data, built, false);
        } finally {
            engine.close();
        }
    }

    /** Opens the persisted variants of the build in this fresh JVM and measures them. */
    private static List<ResultRow> searchPhase(RunSpec spec) throws IOException, InterruptedException {
        Metric metric = Metric.parse(spec.metric());
        BenchData data = BenchDataSets.loadQueries(Path.of(spec.dataDir()), metric);
        BuildInfo built = JSON.readValue(Path.of(spec.buildInfo()).toFile(), BuildInfo.class);
        Engine engine = Engines.create(spec.engine());
        try {
            return measureVariants(engine, spec, data, built, true);
        } finally {
            engine.close();
        }
    }

    private static BuildParams params(RunSpec spec, Metric metric) {
        return new BuildParams(metric, spec.degree(), spec.buildBeamWidth(), spec.alpha());
    }

    /** Opens and sweeps each variant whose {@link Engine#persisted} equals {@code persisted}. */
    private static List<ResultRow> measureVariants(Engine engine, RunSpec spec, BenchData data, BuildInfo built,
                                                   boolean persisted) throws IOException, InterruptedException {
        String tag = "[" + spec.engine() + "] ";
        Path indexDir = Path.of(spec.indexDir());
        BuildParams params = params(spec, data.metric());
        List<ResultRow> rows = new ArrayList<>();
        for (String variant : engine.variants()) {
            if (engine.persisted(variant) != persisted) {
                continue;
            }
            if (persisted) {
                long p0 = System.nanoTime();
                long bytes = readThroughPageCache(indexDir);
                log(tag + String.format(Locale.ROOT, "read the index's %,d bytes through the page cache in %.2f s",
                        bytes, (System.nanoTime() - p0) / 1e9));
            }
            long o0 = System.nanoTime();
            try (Engine.SearchIndex index = engine.open(variant, indexDir, params)) {
                double openMillis = (System.nanoTime() - o0) / 1e6;
                log(tag + String.format(Locale.ROOT, "%s opened in %.1f ms%s", variant, openMillis,
                        persisted ? " in a fresh JVM" : " in the build's JVM"));
                List<Integer> efforts = spec.engine().equals("exact") ? List.of(spec.k()) : spec.efforts();
                warmUp(index, data, spec, efforts);
                for (int effort : efforts.stream().map(e -> Math.max(e, spec.k())).distinct().toList()) {
                    Point p = measure(index, data, spec, effort);
                    log(tag + String.format(Locale.ROOT, "%s %s=%d recall@%d=%.4f qps=%.0f qps(%d threads)=%.0f p50=%.0fus p99=%.0fus visited=%.0f",
                            variant, index.effortName(), effort, spec.k(), p.recall, p.qps, spec.threads(),
                            p.qpsThreads, p.p50Micros, p.p99Micros, p.visitedPerQuery));
                    rows.add(new ResultRow(variant, index.effortName(), effort, spec.k(), p.recall, p.qps,
                            p.qpsThreads, spec.threads(), p.p50Micros, p.p99Micros, p.visitedPerQuery,
                            built.buildSeconds(), persisted ? built.indexBytes() : 0, persisted ? openMillis : 0,
                            ProcessMemory.heapPeakBytes(), ProcessMemory.rssPeakBytes(), built.heapPeakBytes(),
                            built.rssPeakBytes(), engine.simdProvider(), built.n(), data.dimension(),
                            data.queries().length));
                }
            }
        }
        return rows;
    }

    /**
     * Reads every file under {@code dir} once, sequentially, so that every engine's search starts from a warm page
     * cache whatever happened to its pages since the build: on the benchmark machine a DAMON reclaim scheme pages
     * out page cache idle for a minute, which hit whichever engine waited longest (docs/benchmarks.md). Cold
     * searches are measured separately. Returns the bytes read.
     */
    static long readThroughPageCache(Path dir) throws IOException {
        long total = 0;
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
        List<Path> files;
        try (var walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
                int n;
                while ((n = ch.read(buffer.clear())) >= 0) {
                    total += n;
                }
            }
        }
        return total;
    }

    /**
     * Runs the queries for {@link RunSpec#minPassSeconds()} × passes at a middle effort, so that the JIT has compiled
     * the engine's search path before the first measured point (otherwise the first points pay for compilation).
     */
    private static void warmUp(Engine.SearchIndex index, BenchData data, RunSpec spec, List<Integer> efforts)
            throws IOException {
        Engine.Session session = index.newSession();
        int effort = Math.max(spec.k(), efforts.get(efforts.size() / 2));
        int[] out = new int[spec.k()];
        long until = System.nanoTime() + (long) (spec.minPassSeconds() * spec.passes() * 1e9);
        int i = 0;
        do {
            session.search(data.queries()[i++ % data.queries().length], spec.k(), effort, out);
        } while (System.nanoTime() < until || i < data.queries().length);
    }

    private record Point(double recall, double qps, double qpsThreads, double p50Micros, double p99Micros,
                         double visitedPerQuery) {
    }

    /** Warm-up pass (which also gives recall), then timed single-thread and all-thread passes. */
    static Point measure(Engine.SearchIndex index, BenchData data, RunSpec spec, int effort)
            throws IOException, InterruptedException {
        float[][] queries = data.queries();
        int k = spec.k();
        Engine.Session session = index.newSession();
        int[][] found = new int[queries.length][k];
        long visited = 0;
        long w0 = System.nanoTime();
        for (int i = 0; i < queries.length; i++) {
            int n = session.search(queries[i], k, effort, found[i]);
            Arrays.fill(found[i], n, k, -1);
            visited += session.lastVisited();
        }
        double visitedPerQuery = visited < 0 ? -1 : (double) visited / queries.length;
        double warmSeconds = (System.nanoTime() - w0) / 1e9;
        double recall = GroundTruth.recall(found, data.truth(), k);
        int reps = (int) Math.max(1, Math.ceil(spec.minPassSeconds() / Math.max(warmSeconds, 1e-9)));
        int passes = warmSeconds > 5 ? 1 : spec.passes();
        int total = queries.length * reps;

        int[] out = new int[k];
        long[] latencies = new long[total];
        double[] qps = new double[passes];
        long[] medianLatencies = null;
        for (int p = 0; p < passes; p++) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long q0 = System.nanoTime();
                session.search(queries[i % queries.length], k, effort, out);
                latencies[i] = System.nanoTime() - q0;
            }
            qps[p] = total / ((System.nanoTime() - start) / 1e9);
            if (p == passes / 2) {
                medianLatencies = latencies.clone();
            }
        }
        Arrays.sort(medianLatencies);
        double p50 = medianLatencies[(int) (0.50 * (total - 1))] / 1e3;
        double p99 = medianLatencies[(int) (0.99 * (total - 1))] / 1e3;

        double[] qpsThreads = new double[passes];
        for (int p = 0; p < passes; p++) {
            qpsThreads[p] = threadedPass(index, queries, k, effort, total, spec.threads());
        }
        return new Point(recall, median(qps), median(qpsThreads), p50, p99, visitedPerQuery);
    }

    private static double threadedPass(Engine.SearchIndex index, float[][] queries, int k, int effort, int total,
                                       int threads) throws InterruptedException, IOException {
        AtomicInteger next = new AtomicInteger();
        Thread[] workers = new Thread[threads];
        IOException[] failure = new IOException[1];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Engine.Session s = index.newSession();
            workers[t] = Thread.ofPlatform().start(() -> {
                int[] out = new int[k];
                try {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        s.search(queries[i % queries.length], k, effort, out);
                    }
                } catch (IOException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }
}
