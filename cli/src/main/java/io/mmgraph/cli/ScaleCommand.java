package io.mmgraph.cli;

import io.mmgraph.bench.scale.ScaleRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"The beyond-RAM test: build, reopen and search an index larger than the memory it may use.",
                "Generates --n synthetic vectors with exact truth into OUT/data (or reads --data), builds an index",
                "with product-quantization codes in a child JVM held by a memory cgroup whose limit counts the page",
                "cache (cgroup v1 or v2; needs root or a delegated subtree), reopens it in a new child under the same",
                "limit and checks its size, then searches every query cold (evicted) and warm. Reports build rate,",
                "peaks read back from the kernel, OOM kills, page faults, index bytes, open time, recall, QPS and",
                "latency in OUT/scale.json. The run counts when the peak stayed within the limit, nothing was",
                "OOM-killed and the index is at least twice the limit. Rerun with the same OUT to resume an",
                "interrupted build from its last commit."})
final class ScaleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n", defaultValue = "10000000", paramLabel = "N", description = "Base vectors (default: ${DEFAULT-VALUE}).")
    long n;

    @Option(names = "--dim", defaultValue = "128", paramLabel = "D", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--data", paramLabel = "DIR", description = "Use base.fvecs, query.fvecs and truth.ivecs from DIR instead of generating.")
    Path data;

    @Option(names = "--memory-limit", paramLabel = "SIZE",
            description = "Memory cgroup limit, page cache included, e.g. 2g or 400m; 'none' runs without (not counted).")
    String memoryLimit;

    @Option(names = "--heap", paramLabel = "SIZE", description = "-Xmx of the children (default: limit/8, 256m to 1g).")
    String heap;

    @Option(names = "--code-bytes", paramLabel = "M", description = "PQ code bytes per vector (default: the dimension / 4).")
    Integer codeBytes;

    @Option(names = "--code-train-size", defaultValue = "50000", paramLabel = "N",
            description = "Train the quantizer at N vectors (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--threads", paramLabel = "T", description = "Build threads (default: all cores).")
    Integer threads;

    @Option(names = "--queries", defaultValue = "100", paramLabel = "Q", description = "Queries with exact truth (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = {"-k", "--k"}, defaultValue = "10", paramLabel = "K", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--ef", defaultValue = "100,200", split = ",", paramLabel = "L",
            description = "Beam widths searched warm; the first is also searched cold (default: ${DEFAULT-VALUE}).")
    List<Integer> efs;

    @Option(names = "--sync-every", defaultValue = "100000", paramLabel = "N",
            description = "Commit every N vectors: what an interrupted build resumes from (default: ${DEFAULT-VALUE}).")
    int syncEvery;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--advice", defaultValue = "RANDOM", paramLabel = "POLICY",
            description = "The children's mmgraph.advice: RANDOM (no read-around), NORMAL or SEQUENTIAL (default: ${DEFAULT-VALUE}).")
    String advice;

    @Option(names = "--io", defaultValue = "mmap", paramLabel = "mmap|direct",
            description = "How the search re-ranks: vectors through the mapping, or by direct I/O (default: ${DEFAULT-VALUE}).")
    String io;

    @Option(names = "--java-opt", paramLabel = "OPT",
            description = "An option for the children's JVMs, e.g. -Dmmgraph.rerankPrefetch=threads (repeatable).")
    List<String> javaOptions = new java.util.ArrayList<>();

    @Option(names = "--search-only", description = "Skip the build: search the index an earlier run built in OUT "
            + "(to compare read paths on one index).")
    boolean searchOnly;

    @Option(names = "--label", paramLabel = "NAME",
            description = "Name this run's reports scale-NAME.json, build-NAME.json and search-NAME.json in OUT.")
    String label;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!io.equalsIgnoreCase("mmap") && !io.equalsIgnoreCase("direct")) {
            throw new ParameterException(spec.commandLine(), "--io must be mmap or direct");
        }
        if (searchOnly && label == null) {
            throw new ParameterException(spec.commandLine(), "--search-only needs --label NAME (its reports must not "
                    + "replace the build run's)");
        }
        if (label != null && !label.matches("[A-Za-z0-9._-]+")) {
            throw new ParameterException(spec.commandLine(), "--label may hold letters, digits, '.', '_' and '-' only");
        }
        if (memoryLimit == null) {
            throw new ParameterException(spec.commandLine(), "give --memory-limit SIZE (or 'none')");
        }
        long limit = memoryLimit.equalsIgnoreCase("none") ? 0 : parseSize(memoryLimit);
        long heapBytes = heap != null ? parseSize(heap)
                : Math.min(1L << 30, Math.max(256L << 20, limit / 8));
        if (n < 1 || dim < 1 || queries < 1 || k < 1 || efs.isEmpty() || syncEvery < 1 || trainSize < 1) {
            throw new ParameterException(spec.commandLine(), "--n, --dim, --queries, --k, --ef, --sync-every and "
                    + "--code-train-size must be positive");
        }
        int m = codeBytes != null ? codeBytes : 0; // 0: a quarter of the data's dimension
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ScaleRun.Options o = new ScaleRun.Options(n, dim, limit, heapBytes, m, trainSize, t, queries, k,
                efs.stream().mapToInt(Integer::intValue).toArray(), syncEvery, out, data, seed, advice,
                io.toLowerCase(Locale.ROOT), javaOptions, searchOnly, label);
        Progress progress = data == null ? new Progress("generate", n, "vectors") : null;
        Map<String, Object> report;
        try {
            report = ScaleRun.run(o, progress == null ? x -> { } : progress::stepBy);
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        System.out.println(Json.object(report));
        if (searchOnly) {
            System.out.println(Boolean.TRUE.equals(report.get("searchWithinLimit")) ? "the search kept within the "
                    + "limit (peak, no OOM kill, index at least twice the limit)" : "the search did not keep within "
                    + "the limit (see searchWithinLimit, indexToLimit, peaks)");
            return 0;
        }
        System.out.println(Boolean.TRUE.equals(report.get("counts")) ? "the run counts: peak within the limit, no OOM "
                + "kill, index at least twice the limit" : "the run does not count (see counts, indexToLimit, peaks)");
        return 0;
    }

    /** "2g", "400m", "512k" or a byte count. */
    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g' || last == 't') {
            unit = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1L << 40;
            };
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (use e.g. 2g, 400m or a byte count)");
        }
    }
}
