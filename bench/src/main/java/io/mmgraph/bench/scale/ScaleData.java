package io.mmgraph.bench.scale;

import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The scale run's data, generated in a stream: the synthetic base vectors are written to {@code base.fvecs} as they
 * are drawn, and the exact nearest neighbours of each query are kept in a bounded list per query as the base goes
 * by, so a 10-million-vector set needs the memory of one chunk, not of the set. Files are written under temporary
 * names and renamed when complete, and {@code params.txt}, naming what was generated, is written last: a rerun
 * reuses a set only when it finds that file with the same parameters.
 */
public final class ScaleData {
    /** Base vectors drawn and scored at a time. */
    private static final int CHUNK = 16_384;

    private ScaleData() {
    }

    public static Path base(Path dir) {
        return dir.resolve("base.fvecs");
    }

    public static Path queries(Path dir) {
        return dir.resolve("query.fvecs");
    }

    public static Path truth(Path dir) {
        return dir.resolve("truth.ivecs");
    }

    private static Path params(Path dir) {
        return dir.resolve("params.txt");
    }

    private static String describe(long n, int dim, int queryCount, int k, long seed) {
        return "synthetic l2 n=" + n + " dim=" + dim + " queries=" + queryCount + " k=" + k + " seed=" + seed
                + " clusters=" + SyntheticData.DEFAULT_CLUSTERS + "\n";
    }

    /** Whether {@code dir} holds a complete set generated with exactly these parameters. */
    public static boolean complete(Path dir, long n, int dim, int queryCount, int k, long seed) throws IOException {
        Path p = params(dir);
        return Files.exists(p) && Files.readString(p).equals(describe(n, dim, queryCount, k, seed))
                && Files.exists(base(dir)) && Files.exists(queries(dir)) && Files.exists(truth(dir));
    }

    /**
     * Writes {@code n} base vectors, {@code queryCount} queries and their exact {@code k} nearest neighbours (l2)
     * to {@code dir}, reporting base vectors written to {@code progress}.
     */
    public static void generate(Path dir, long n, int dim, int queryCount, int k, long seed, LongConsumer progress)
            throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(params(dir));
        SyntheticData data = new SyntheticData(dim, SyntheticData.DEFAULT_CLUSTERS, seed);
        float[][] queries = data.queries(queryCount);
        VectorKernels kernels = Kernels.get();
        int keep = (int) Math.min(k, n);
        int[][] ids = new int[queryCount][keep];
        float[][] dists = new float[queryCount][keep];
        for (float[] row : dists) {
            Arrays.fill(row, Float.POSITIVE_INFINITY);
        }
        Path baseTemp = dir.resolve("base.fvecs.tmp");
        float[][] chunk = new float[CHUNK][];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(baseTemp), 1 << 20)) {
            for (long first = 0; first < n; first += CHUNK) {
                int m = (int) Math.min(CHUNK, n - first);
                for (int i = 0; i < m; i++) {
                    chunk[i] = data.base(first + i);
                    VectorFiles.writeFvec(out, chunk[i]);
                }
                final long from = first;
                java.util.stream.IntStream.range(0, queryCount).parallel().forEach(q -> {
                    for (int i = 0; i < m; i++) {
                        float d = kernels.distance(Metric.L2, queries[q], chunk[i]);
                        if (d < dists[q][keep - 1]) {
                            insert(ids[q], dists[q], (int) (from + i), d);
                        }
                    }
                });
                progress.accept(m);
            }
        }
        VectorFiles.writeFvecs(queries(dir), Arrays.asList(queries));
        Path truthTemp = dir.resolve("truth.ivecs.tmp");
        VectorFiles.writeIvecs(truthTemp, ids);
        Files.move(baseTemp, base(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(truthTemp, truth(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(params(dir), describe(n, dim, queryCount, k, seed));
    }

    /** Inserts (id, d) into the sorted bounded list, dropping its last entry; ties keep the lower id first. */
    static void insert(int[] ids, float[] dists, int id, float d) {
        int j = dists.length - 1;
        while (j > 0 && (dists[j - 1] > d || (dists[j - 1] == d && ids[j - 1] > id))) {
            ids[j] = ids[j - 1];
            dists[j] = dists[j - 1];
            j--;
        }
        ids[j] = id;
        dists[j] = d;
    }
}
