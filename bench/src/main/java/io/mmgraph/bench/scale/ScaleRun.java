package io.mmgraph.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmgraph.dataset.VectorFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * {@code mmgraph bench scale}: the seed's test at full size. Generates (or reads) the data, builds an index with codes
 * in a child JVM held under a memory cgroup (page cache included), reopens it in a new child under the same limit
 * and checks its size, then searches it cold and warm. The limit and the peak are read back from the kernel; the run
 * counts only if the peak stayed within the limit, nothing was OOM-killed and the index is at least twice the limit.
 * A build that is interrupted resumes from its last commit when the command is run again with the same OUT.
 */
public final class ScaleRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param memoryLimit bytes, page cache included; 0 runs without a cgroup (the run then does not count)
     * @param codeBytes   PQ code bytes per vector; 0 for a quarter of the data's dimension
     * @param heap        the children's -Xmx
     * @param data        a folder with base.fvecs, query.fvecs and truth.ivecs, or null to generate into OUT/data
     * @param advice      the children's {@code -Dmmgraph.advice} (RANDOM: no read-around under a limit), or null
     * @param io          how the search child re-ranks: {@code mmap} or {@code direct}
     * @param javaOptions extra options for the children's JVMs (e.g. {@code -Dmmgraph.rerankPrefetch=threads})
     * @param searchOnly  skip the build: search the index an earlier run built in OUT (to compare read paths)
     * @param label       names this run's reports ({@code scale-LABEL.json}, {@code search-LABEL.json}), or null
     */
    public record Options(long n, int dim, long memoryLimit, long heap, int codeBytes, int trainSize, int threads,
                          int queries, int k, int[] efs, int syncEvery, Path out, Path data, long seed, String advice,
                          String io, List<String> javaOptions, boolean searchOnly, String label) {
        public Options {
            javaOptions = List.copyOf(javaOptions);
        }

        private Path report(String name) {
            return out.resolve(label == null ? name + ".json" : name + "-" + label + ".json");
        }
    }

    private ScaleRun() {
    }

    public static Map<String, Object> run(Options o, LongConsumer generated) throws IOException, InterruptedException {
        Files.createDirectories(o.out());
        Path data = o.data() != null ? o.data() : o.out().resolve("data");
        long g0 = System.nanoTime();
        if (o.searchOnly() && o.label() == null) {
            throw new IllegalArgumentException("a search-only run needs a label: it must not replace the build run's "
                    + "reports");
        }
        boolean complete = o.data() != null || ScaleData.complete(data, o.n(), o.dim(), o.queries(), o.k(), o.seed());
        if (o.searchOnly() && !complete) {
            throw new IOException("--search-only: " + data + " does not hold the data of these --n, --dim, --queries, "
                    + "-k and --seed (the index was built from other data, or never): give the build's parameters");
        }
        if (!complete) {
            log("generating %,d × %d vectors and the exact %d-NN of %d queries into %s", o.n(), o.dim(), o.k(),
                    o.queries(), data);
            ScaleData.generate(data, o.n(), o.dim(), o.queries(), o.k(), o.seed(), generated);
        }
        long n;
        int dimension;
        try (VectorFiles.Reader r = new VectorFiles.Reader(ScaleData.base(data))) {
            n = r.count();
            dimension = r.dimension();
        }
        int codeBytes = o.codeBytes() > 0 ? o.codeBytes() : Math.max(1, dimension / 4);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("n", n);
        report.put("dimension", dimension);
        report.put("codeBytes", codeBytes);
        report.put("dataSeconds", (System.nanoTime() - g0) / 1e9);
        Path index = o.out().resolve("index");
        Phase build = null;
        if (o.searchOnly()) {
            if (!Files.isDirectory(index)) {
                throw new IOException("--search-only: no index in " + index + " (run without it first to build one)");
            }
            report.put("searchOnly", true);
        } else {
            Path buildJson = o.report("build");
            Files.deleteIfExists(buildJson);
            build = phase(o, "build", List.of("build", index.toString(), ScaleData.base(data).toString(),
                    buildJson.toString(), Integer.toString(codeBytes), Integer.toString(o.trainSize()),
                    Integer.toString(o.threads()), Integer.toString(o.syncEvery())));
            build.report(report, "build");
            if (build.exitCode() != 0) {
                throw new IOException("the build process exited with code " + build.exitCode()
                        + (build.exitCode() == 137
                        ? " (killed: the OOM killer or SIGKILL; rerun to resume from the last commit)" : ""));
            }
            report.put("build", JSON.readValue(buildJson.toFile(), Map.class));
        }
        report.put("javaOptions", o.javaOptions());
        report.put("indexBytes", directoryBytes(index));
        Path searchJson = o.report("search");
        Files.deleteIfExists(searchJson);
        StringBuilder efs = new StringBuilder();
        for (int ef : o.efs()) {
            efs.append(efs.isEmpty() ? "" : ",").append(ef);
        }
        Phase search = phase(o, "search", List.of("search", index.toString(), ScaleData.queries(data).toString(),
                ScaleData.truth(data).toString(), searchJson.toString(), Integer.toString(o.k()), efs.toString(),
                Long.toString(n), o.io()));
        search.report(report, "search");
        if (search.exitCode() != 0) {
            throw new IOException("the search process exited with code " + search.exitCode());
        }
        report.put("search", JSON.readValue(searchJson.toFile(), Map.class));
        if (o.memoryLimit() > 0) {
            long limit = search.limitBytes();
            long peak = build == null ? search.peakBytes() : Math.max(build.peakBytes(), search.peakBytes());
            long indexBytes = (Long) report.get("indexBytes");
            report.put("memoryLimitBytes", limit);
            report.put("peakBytes", peak);
            report.put("indexToLimit", indexBytes / (double) limit);
            long oomKills = search.oomKills() + (build == null ? 0 : build.oomKills());
            boolean within = peak <= limit && oomKills == 0 && indexBytes >= 2 * limit;
            // A search-only run saw no build: it can say that its search kept within the limit, not that the run counts.
            report.put(o.searchOnly() ? "searchWithinLimit" : "counts", within);
        } else {
            report.put("counts", false);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(o.report("scale").toFile(), report);
        return report;
    }

    /** What the kernel reported for one child's cgroup (-1 figures without a cgroup). */
    private record Phase(int exitCode, String cgroup, long limitBytes, long peakBytes, long oomKills, long majorFaults) {
        void report(Map<String, Object> report, String name) {
            if (cgroup != null) {
                report.put(name + "Cgroup", cgroup);
                report.put(name + "CgroupPeakBytes", peakBytes);
                report.put(name + "OomKills", oomKills);
                report.put(name + "CgroupMajorFaults", majorFaults);
            }
        }
    }

    /** Runs one child in a cgroup of its own (fresh peak and OOM counts) when there is a limit. */
    private static Phase phase(Options o, String name, List<String> args) throws IOException, InterruptedException {
        if (o.memoryLimit() <= 0) {
            return new Phase(child(o, null, args), null, -1, -1, -1, -1);
        }
        // Named by phase and output folder: a rerun with the same OUT replaces what an interrupted one left, and
        // runs with different OUTs (a test beside a long run) do not meet.
        String tag = Integer.toHexString(o.out().toAbsolutePath().normalize().toString().hashCode());
        MemoryCgroup cgroup = MemoryCgroup.create("mmgraph-scale-" + name + "-" + tag, o.memoryLimit());
        Phase result = null;
        try {
            int rc = child(o, cgroup, args);
            result = new Phase(rc, cgroup.describe(), cgroup.limitBytes(), cgroup.peakBytes(), cgroup.oomKills(),
                    cgroup.majorFaults());
            return result;
        } finally {
            try {
                cgroup.close();
            } catch (IOException e) {
                if (result != null) {
                    throw e;
                }
                // else: the child's failure is the error to report; the cgroup is removed by the next run
            }
        }
    }

    /** Runs a {@link ScaleChild} in a new JVM (in the cgroup when there is one); returns its exit code. */
    private static int child(Options o, MemoryCgroup cgroup, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + o.heap());
        cmd.add("-Xms" + Math.min(o.heap(), 64L << 20));
        cmd.add("-XX:+UseSerialGC"); // the smallest collector footprint: the limit is for the index
        if (o.advice() != null) {
            cmd.add("-Dmmgraph.advice=" + o.advice());
        }
        cmd.addAll(o.javaOptions());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScaleChild.class.getName());
        cmd.addAll(args);
        List<String> full = cgroup == null ? cmd : cgroup.wrap(cmd);
        log("%s%s", args.get(0), cgroup == null ? " (no memory limit)" : " in " + cgroup.describe());
        Process p = new ProcessBuilder(full).inheritIO().start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            p.waitFor();
            throw e;
        }
    }

    static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private static void log(String format, Object... args) {
        System.err.println("[scale] " + String.format(Locale.ROOT, format, args));
    }
}
