package io.mmgraph.cli;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.index.IndexOptions;
import io.mmgraph.index.IndexStats;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.index.Neighbor;
import io.mmgraph.index.SearchOptions;
import io.mmgraph.index.SearchResult;
import io.mmgraph.vector.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job end to end on generated data.",
                "Generates a data set, builds an index in a local folder, searches it, reopens it to show that",
                "it persisted, verifies it, and prints what happened."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "mmgraph-demo", paramLabel = "DIR",
            description = "Working folder, replaced on each run (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--n", defaultValue = "20000", paramLabel = "N", description = "Vectors (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dim", defaultValue = "128", paramLabel = "D", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--queries", defaultValue = "200", paramLabel = "Q", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Override
    public Integer call() throws Exception {
        int k = 10;
        deleteTree(dir);
        Path data = dir.resolve("data");
        Path indexDir = dir.resolve("index");
        Files.createDirectories(data);

        long t = System.nanoTime();
        float[][] base = GenCommand.generate(data, n, dim, queries, 42, 1000, k, Metric.L2);
        say("1. generated %d vectors (%d-d, 1000 anisotropic Gaussian clusters), %d queries and their exact %d-NN in %s [%.2f s]",
                n, dim, queries, k, data, secs(t));

        t = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        try (MMapGraph index = MMapGraph.create(indexDir, IndexOptions.dimension(dim))) {
            index.addAll(java.util.Arrays.asList(base), threads);
            index.sync();
            double s = secs(t);
            say("2. built graph index %s: %d vectors inserted and linked on %d threads, committed [%.2f s, %.0f vectors/s]",
                    indexDir, index.size(), threads, s, n / s);
        }

        float[][] qs = VectorFiles.readAll(data.resolve("query.fvecs"));
        int[][] truth = VectorFiles.readIvecs(data.resolve("truth.ivecs"));
        t = System.nanoTime();
        try (MMapGraph index = MMapGraph.openReadOnly(indexDir)) {
            double openMs = secs(t) * 1000;
            say("3. reopened it read-only (a reader, as another process would) in %.2f ms: %d committed vectors", openMs,
                    index.committedCount());
            for (boolean exact : new boolean[] {false, true}) {
                SearchOptions options = exact ? SearchOptions.k(k).exactSearch() : SearchOptions.k(k);
                int[][] found = new int[qs.length][];
                long distances = 0;
                t = System.nanoTime();
                for (int i = 0; i < qs.length; i++) {
                    SearchResult r = index.search(qs[i], options);
                    found[i] = r.neighbors().stream().mapToInt(Neighbor::ordinal).toArray();
                    distances += r.distanceComputations();
                }
                double s = secs(t);
                say("%s searched %d queries (%s, %s kernels): recall@%d %.4f, %.0f queries/s, %.0f distances/query",
                        exact ? "   " : "4.", qs.length, exact ? "exact, for comparison" : "graph, ef " + options.beamWidth(),
                        index.stats().kernels(), k, GroundTruth.recall(found, truth, k), qs.length / s,
                        (double) distances / qs.length);
            }
            List<Neighbor> first = index.search(qs[0], 3);
            say("   query 0 -> %s", first);

            boolean same = true;
            for (int i = 0; i < base.length; i += Math.max(1, base.length / 1000)) {
                float[] stored = index.vector(i);
                for (int j = 0; j < dim; j++) {
                    same &= Float.floatToRawIntBits(stored[j]) == Float.floatToRawIntBits(base[i][j]);
                }
            }
            say("5. persisted vectors read back bit-exact: %s", same ? "yes" : "NO");

            t = System.nanoTime();
            VerifyReport report = index.verify();
            say("6. check: %s, %,d bytes verified [%.2f s]", report.ok() ? "ok" : "DAMAGED " + report.problems(),
                    report.bytesChecked(), secs(t));
            IndexStats stats = index.stats();
            say("7. files:");
            stats.fileBytes().forEach((f, b) -> say("     %-18s %,13d bytes", f, b));
            say("   try: ./mmgraph stats %s   ./mmgraph search %s --queries %s --truth %s", indexDir, indexDir,
                    data.resolve("query.fvecs"), data.resolve("truth.ivecs"));
            return report.ok() && same ? 0 : 1;
        }
    }

    private static void say(String fmt, Object... args) {
        System.out.println(String.format(fmt, args));
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
