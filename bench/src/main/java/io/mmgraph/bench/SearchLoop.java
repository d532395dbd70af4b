package io.mmgraph.bench;

import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.index.MMapGraph;
import io.mmgraph.store.AccessHint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A tuning tool: searches an existing mmgraph index single-threaded through the allocation-free path for a fixed
 * time and prints the median QPS of one-second blocks. Run alternately with different {@code -D} flags (A, B, A, B)
 * to compare variants on a shared, noisy machine; the blocks' spread shows the noise.
 *
 * <p>Usage: {@code SearchLoop INDEX_DIR QUERIES.fvecs EF SECONDS [K]}; {@code -Dsearchloop.advise=RANDOM} (any
 * {@link AccessHint}) applies that madvise policy to the index first; {@code -Dsearchloop.buildFirst=N} builds a
 * throw-away index of N random vectors in this JVM first, as an application that inserts and searches does (the
 * build leaves its own type profile in the shared search code).
 */
public final class SearchLoop {
    private SearchLoop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: SearchLoop INDEX_DIR QUERIES.fvecs EF SECONDS [K]");
            System.exit(2);
        }
        float[][] queries = VectorFiles.readAll(Path.of(args[1]));
        int ef = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int k = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int buildFirst = Integer.getInteger("searchloop.buildFirst", 0);
        if (buildFirst > 0) {
            buildThrowAway(buildFirst, queries[0].length);
        }
        try (MMapGraph index = MMapGraph.openReadOnly(Path.of(args[0]))) {
            String advise = System.getProperty("searchloop.advise");
            if (advise != null) { // e.g. RANDOM: compare madvise policies on the same index
                System.err.println("advise " + advise + ": " + index.advise(AccessHint.valueOf(advise)));
            }
            int[] out = new int[k];
            for (int warm = 0; warm < 3; warm++) {
                for (float[] q : queries) {
                    index.search(q, k, ef, out, null);
                }
            }
            double[] blocks = new double[seconds];
            long distances = 0;
            long searches = 0;
            int next = 0;
            for (int b = 0; b < seconds; b++) {
                long start = System.nanoTime();
                long end = start + 1_000_000_000L;
                int count = 0;
                long now;
                do {
                    for (int i = 0; i < 64; i++) {
                        index.search(queries[next], k, ef, out, null);
                        distances += index.lastDistanceComputations();
                        next = next + 1 == queries.length ? 0 : next + 1;
                    }
                    count += 64;
                } while ((now = System.nanoTime()) < end);
                blocks[b] = count / ((now - start) / 1e9);
                searches += count;
            }
            double[] sorted = blocks.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "ef=%d median %.0f QPS (min %.0f, max %.0f over %d blocks), %.0f distances/query%n",
                    ef, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], seconds,
                    (double) distances / searches);
        }
    }

    private static void buildThrowAway(int n, int dimension) throws java.io.IOException {
        Path dir = java.nio.file.Files.createTempDirectory("searchloop-build");
        try {
            try (MMapGraph scratch = MMapGraph.create(dir, io.mmgraph.index.IndexOptions.dimension(dimension))) {
                scratch.addAll(java.util.Arrays.asList(new io.mmgraph.dataset.SyntheticData(dimension, 100, 7).bases(n)));
                float[] q = scratch.vector(0);
                for (int i = 0; i < 2000; i++) {
                    scratch.search(q, 10);
                }
            }
        } finally {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }
}
