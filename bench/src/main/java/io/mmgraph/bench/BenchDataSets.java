package io.mmgraph.bench;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.mmgraph.bench.engine.BenchData;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.MalformedVectorFileException;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.vector.Metric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns what the user names ({@code --data DIR}, {@code --data FILE.hdf5}, or {@code --n/--dim}) into one prepared
 * folder that every engine's JVM reads: {@code base.fvecs}, {@code query.fvecs} and {@code truth.ivecs} (at least
 * k ids per query). Preparing once means every engine sees identical vectors and is scored on identical truth.
 */
public final class BenchDataSets {
    public static final String BASE = "base.fvecs";
    public static final String QUERY = "query.fvecs";
    public static final String TRUTH = "truth.ivecs";

    private BenchDataSets() {
    }

    /** A prepared folder and the metric its truth is for. */
    public record Prepared(Path dir, Metric metric, int n, int dimension, int queries, String source) {
    }

    /** Generates synthetic data ({@link SyntheticData}, as {@code mmgraph gen} does) into {@code out}. */
    public static Prepared synthetic(Path out, int n, int dim, int queries, int k, Metric metric, long seed)
            throws IOException {
        SyntheticData gen = new SyntheticData(dim, SyntheticData.DEFAULT_CLUSTERS, seed);
        float[][] base = gen.bases(n);
        float[][] qs = gen.queries(queries);
        return write(out, base, qs, null, k, metric, "synthetic n=" + n + " dim=" + dim + " seed=" + seed);
    }

    /**
     * Prepares user data: a folder as {@code mmgraph gen} writes it ({@code base.fvecs} or {@code base.bvecs},
     * {@code query.fvecs} or {@code .bvecs}, optional {@code truth.ivecs}), or an ann-benchmarks HDF5 file
     * ({@code train}, {@code test}, {@code neighbors}, attribute {@code distance}). Truth is computed when missing
     * or shorter than k. {@code metric} may be null to take the file's own (HDF5) or L2.
     */
    public static Prepared prepare(Path data, Path out, int k, Metric metric, int maxQueries) throws IOException {
        if (Files.isDirectory(data)) {
            Path base = firstExisting(data, "base.fvecs", "base.bvecs");
            Path query = firstExisting(data, "query.fvecs", "query.bvecs");
            float[][] b = VectorFiles.readAll(base);
            float[][] q = limit(VectorFiles.readAll(query), maxQueries);
            Path truthFile = data.resolve(TRUTH);
            int[][] truth = Files.exists(truthFile) ? VectorFiles.readIvecs(truthFile) : null;
            return write(out, b, q, truth, k, metric == null ? Metric.L2 : metric, data.toString());
        }
        if (Files.isRegularFile(data) && data.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(hdf5|h5)")) {
            return prepareHdf5(data, out, k, metric, maxQueries);
        }
        throw new IOException("--data must be a folder with base.fvecs/query.fvecs (as 'mmgraph gen' writes) "
                + "or an ann-benchmarks .hdf5 file: " + data);
    }

    private static Prepared prepareHdf5(Path file, Path out, int k, Metric metric, int maxQueries) throws IOException {
        float[][] base;
        float[][] queries;
        int[][] truth;
        Metric fileMetric = Metric.L2;
        try (HdfFile hdf = new HdfFile(file)) {
            base = floats(hdf, file, "train");
            queries = limit(floats(hdf, file, "test"), maxQueries);
            truth = ints(hdf, file, "neighbors");
            Attribute distance = hdf.getAttribute("distance");
            if (distance != null) {
                fileMetric = Metric.parse(String.valueOf(distance.getData()).trim());
            }
        } catch (RuntimeException e) {
            throw new MalformedVectorFileException(file, "not a readable ann-benchmarks HDF5 file: " + e.getMessage());
        }
        return write(out, base, queries, truth, k, metric == null ? fileMetric : metric, file.toString());
    }

    private static float[][] floats(HdfFile hdf, Path file, String name) throws IOException {
        Object data = dataset(hdf, file, name).getData();
        if (data instanceof float[][] f) {
            return f;
        }
        if (data instanceof double[][] d) {
            float[][] f = new float[d.length][];
            for (int i = 0; i < d.length; i++) {
                f[i] = new float[d[i].length];
                for (int j = 0; j < d[i].length; j++) {
                    f[i][j] = (float) d[i][j];
                }
            }
            return f;
        }
        throw new MalformedVectorFileException(file, "dataset '" + name + "' is not a 2-d float array");
    }

    private static int[][] ints(HdfFile hdf, Path file, String name) throws IOException {
        if (hdf.getChildren().get(name) == null) {
            return null;
        }
        Object data = dataset(hdf, file, name).getData();
        if (data instanceof int[][] i) {
            return i;
        }
        if (data instanceof long[][] l) {
            int[][] out = new int[l.length][];
            for (int r = 0; r < l.length; r++) {
                out[r] = Arrays.stream(l[r]).mapToInt(Math::toIntExact).toArray();
            }
            return out;
        }
        throw new MalformedVectorFileException(file, "dataset '" + name + "' is not a 2-d integer array");
    }

    private static Dataset dataset(HdfFile hdf, Path file, String name) throws IOException {
        if (!(hdf.getChildren().get(name) instanceof Dataset d)) {
            throw new MalformedVectorFileException(file, "no dataset '" + name + "' (ann-benchmarks layout: train, test, neighbors)");
        }
        return d;
    }

    private static Prepared write(Path out, float[][] base, float[][] queries, int[][] truth, int k, Metric metric,
                                  String source) throws IOException {
        if (base.length == 0 || queries.length == 0) {
            throw new IOException("no vectors in " + source);
        }
        int dim = base[0].length;
        for (float[] q : queries) {
            if (q.length != dim) {
                throw new IOException("queries have dimension " + q.length + ", base vectors " + dim + " (" + source + ")");
            }
        }
        if (truth == null || truth.length < queries.length || shortestRow(truth, queries.length) < Math.min(k, base.length)) {
            System.err.println("computing exact truth for " + queries.length + " queries ...");
            truth = GroundTruth.compute(base, queries, Math.max(k, 100), metric);
        } else if (truth.length > queries.length) {
            truth = Arrays.copyOf(truth, queries.length);
        }
        Files.createDirectories(out);
        VectorFiles.writeFvecs(out.resolve(BASE), Arrays.asList(base));
        VectorFiles.writeFvecs(out.resolve(QUERY), Arrays.asList(queries));
        VectorFiles.writeIvecs(out.resolve(TRUTH), truth);
        return new Prepared(out, metric, base.length, dim, queries.length, source);
    }

    private static int shortestRow(int[][] rows, int count) {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, rows[i].length);
        }
        return min;
    }

    private static float[][] limit(float[][] rows, int max) {
        return max > 0 && rows.length > max ? Arrays.copyOf(rows, max) : rows;
    }

    private static Path firstExisting(Path dir, String... names) throws IOException {
        for (String n : names) {
            if (Files.exists(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        throw new IOException("none of " + String.join(", ", names) + " in " + dir);
    }

    /** Reads a prepared folder (in an engine's JVM). */
    /** The queries and truth of a prepared folder, without the base vectors (for a JVM that only searches). */
    public static BenchData loadQueries(Path dir, Metric metric) throws IOException {
        return new BenchData(null, VectorFiles.readAll(dir.resolve(QUERY)), VectorFiles.readIvecs(dir.resolve(TRUTH)),
                metric);
    }

    public static BenchData loadPrepared(Path dir, Metric metric) throws IOException {
        return new BenchData(VectorFiles.readAll(dir.resolve(BASE)), VectorFiles.readAll(dir.resolve(QUERY)),
                VectorFiles.readIvecs(dir.resolve(TRUTH)), metric);
    }
}
