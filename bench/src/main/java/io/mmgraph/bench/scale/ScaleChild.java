package io.mmgraph.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmgraph.bench.ProcessMemory;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.index.VectorIo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One process of the scale run, started by {@link ScaleRun} inside the memory cgroup:
 * <ul>
 *   <li>{@code build INDEX BASE OUT.json codeBytes trainSize threads syncEvery} appends BASE's vectors to the index
 *       (creating it with codes), resuming after the last commit when a previous build was interrupted, and
 *       committing every {@code syncEvery} vectors;</li>
 *   <li>{@code search INDEX QUERIES TRUTH OUT.json k ef[,ef…] expectedCount [mmap|direct]} evicts the index from
 *       the page cache, opens it (re-ranking through the mapping or with direct I/O), checks its size, and searches
 *       every query once cold, then again warm at each ef.</li>
 * </ul>
 * Each writes its figures (times, peaks, page faults) as JSON to OUT.json; progress goes to stderr.
 */
public final class ScaleChild {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Vectors read from the file and added together. */
    private static final int BATCH = 4096;

    private ScaleChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "build" -> build(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            case "search" -> search(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]),
                    Integer.parseInt(args[5]), Arrays.stream(args[6].split(",")).mapToInt(Integer::parseInt).toArray(),
                    Long.parseLong(args[7]), args.length > 8 && args[8].equals("direct") ? VectorIo.DIRECT : VectorIo.MMAP);
            default -> throw new IllegalArgumentException("mode build or search, not " + args[0]);
        }
    }

    static void build(Path index, Path base, Path out, int codeBytes, int trainSize, int threads, int syncEvery)
            throws IOException {
        long t0 = System.nanoTime();
        Map<String, Object> r = new LinkedHashMap<>();
        try (VectorFiles.Reader reader = new VectorFiles.Reader(base);
             MMapGraph g = Files.exists(index.resolve("manifest.mmg")) ? MMapGraph.open(index)
                     : MMapGraph.create(index, IndexOptions.dimension(reader.dimension()).withCodeBytes(codeBytes)
                     .withCodeTrainSize(trainSize))) {
            long resumeAt = g.committedCount();
            r.put("resumedFrom", resumeAt);
            r.put("recoveredFromUncleanShutdown", g.recoveredFromUncleanShutdown());
            float[] v = new float[reader.dimension()];
            for (long i = 0; i < resumeAt; i++) {
                reader.next(v);
            }
            if (resumeAt > 0 && !Arrays.equals(v, g.vector((int) resumeAt - 1))) {
                throw new IOException("the index's last committed vector is not vector " + (resumeAt - 1) + " of "
                        + base + ": it was built from other data; remove it to start again");
            }
            dropFromPageCache(base);
            long total = reader.count();
            long sinceSync = 0;
            long lastReport = System.nanoTime();
            while (reader.hasNext()) {
                List<float[]> batch = new ArrayList<>(BATCH);
                while (batch.size() < BATCH && reader.hasNext()) {
                    batch.add(reader.next());
                }
                g.addAll(batch, threads);
                sinceSync += batch.size();
                if (sinceSync >= syncEvery) {
                    g.sync();
                    sinceSync = 0;
                    dropFromPageCache(base);
                }
                if (System.nanoTime() - lastReport > 10e9) {
                    lastReport = System.nanoTime();
                    double s = (lastReport - t0) / 1e9;
                    System.err.printf(Locale.ROOT, "build: %,d of %,d vectors, %.0f s, %.0f vectors/s, committed %,d%n",
                            g.size(), total, s, (g.size() - resumeAt) / s, g.committedCount());
                }
            }
            g.sync();
            r.put("count", g.size());
            r.put("added", g.size() - resumeAt);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.put("seconds", seconds);
        r.put("vectorsPerSecond", ((Number) r.get("added")).longValue() / seconds);
        r.put("rssPeakBytes", ProcessMemory.rssPeakBytes());
        r.put("heapPeakBytes", ProcessMemory.heapPeakBytes());
        r.put("majorFaults", ProcessMemory.majorFaults());
        r.put("minorFaults", ProcessMemory.minorFaults());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r);
    }

    /**
     * The input file is read once, front to back, but its pages are charged to the cgroup like the index's and were
     * seen filling three quarters of a 2 GiB limit at 4M vectors, crowding out the lists and codes the build needs:
     * drop them as they are consumed (readahead fetches what comes next again).
     */
    private static void dropFromPageCache(Path file) {
        io.mmgraph.store.NativeIO.evictFromPageCache(file.toString());
    }

    static void search(Path index, Path queryFile, Path truthFile, Path out, int k, int[] efs, long expectedCount,
                       VectorIo io) throws IOException {
        float[][] queries = VectorFiles.readAll(queryFile);
        int[][] truth = VectorFiles.readIvecs(truthFile);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("evicted", MMapGraph.evictFromPageCache(index));
        r.put("io", io.name().toLowerCase(Locale.ROOT));
        long o0 = System.nanoTime();
        try (MMapGraph g = MMapGraph.openReadOnly(index, io)) {
            r.put("openMillis", (System.nanoTime() - o0) / 1e6);
            r.put("count", g.size());
            if (g.size() != expectedCount) {
                throw new IOException("reopened index holds " + g.size() + " vectors, expected " + expectedCount);
            }
            List<Map<String, Object>> passes = new ArrayList<>();
            passes.add(pass(g, queries, truth, k, efs[0], "cold"));
            for (int ef : efs) {
                passes.add(pass(g, queries, truth, k, ef, "warm"));
            }
            r.put("passes", passes);
            r.put("residency", g.residency().toString());
        }
        r.put("rssPeakBytes", ProcessMemory.rssPeakBytes());
        r.put("heapPeakBytes", ProcessMemory.heapPeakBytes());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r);
    }

    /** One pass over every query at {@code ef}: throughput, latency percentiles, recall, page faults per query. */
    private static Map<String, Object> pass(MMapGraph g, float[][] queries, int[][] truth, int k, int ef, String kind)
            throws IOException {
        int[][] found = new int[queries.length][k];
        long[] nanos = new long[queries.length];
        long major = ProcessMemory.majorFaults();
        long minor = ProcessMemory.minorFaults();
        long t0 = System.nanoTime();
        for (int q = 0; q < queries.length; q++) {
            long s = System.nanoTime();
            g.search(queries[q], k, ef, found[q], null);
            nanos[q] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("ef", Math.max(ef, k));
        p.put("recall", GroundTruth.recall(found, truth, k));
        p.put("qps", queries.length / seconds);
        p.put("p50Micros", sorted[sorted.length / 2] / 1e3);
        p.put("p99Micros", sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e3);
        p.put("majorFaultsPerQuery", (ProcessMemory.majorFaults() - major) / (double) queries.length);
        p.put("minorFaultsPerQuery", (ProcessMemory.minorFaults() - minor) / (double) queries.length);
        System.err.printf(Locale.ROOT, "search %s ef=%d: recall@%d %.4f, %.0f QPS, p50 %.0f us, p99 %.0f us, "
                        + "%.1f major faults/query%n", kind, Math.max(ef, k), k, p.get("recall"), p.get("qps"),
                p.get("p50Micros"), p.get("p99Micros"), p.get("majorFaultsPerQuery"));
        return p;
    }
}
