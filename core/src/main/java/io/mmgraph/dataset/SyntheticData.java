package io.mmgraph.dataset;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded synthetic vectors that look more like embeddings than uniform noise does: a mixture of anisotropic
 * Gaussian clusters.
 *
 * <ul>
 *   <li>A global spectrum: dimension {@code j} has scale {@code g_j = 1 / sqrt(1 + j / 16)}, so variance decays
 *       across dimensions as in real descriptors (the intrinsic dimension is well below {@code d}).</li>
 *   <li>{@code C} clusters (default 1000) with centres drawn from {@code N(0, g_j^2)} per dimension and
 *       log-normal weights ({@code exp(N(0, 1))}, normalized): some clusters are crowded, some sparse.</li>
 *   <li>Each cluster is anisotropic: its per-dimension standard deviation is
 *       {@code 0.35 * g_j * exp(N(0, 0.5^2))}, drawn once per cluster and dimension.</li>
 *   <li>Point {@code i} of a stream is drawn from a generator seeded by {@code (seed, stream, i)} alone, so any
 *       slice can be generated in parallel and reproduced exactly.</li>
 * </ul>
 * Base vectors and queries come from the same mixture through different streams.
 */
public final class SyntheticData {
    public static final int DEFAULT_CLUSTERS = 1000;
    static final long BASE_STREAM = 1;
    static final long QUERY_STREAM = 2;

    private final int dimension;
    private final long seed;
    private final float[][] centres;
    private final float[][] stddevs;
    private final double[] cumulativeWeights;

    public SyntheticData(int dimension, int clusters, long seed) {
        if (dimension < 1 || clusters < 1) {
            throw new IllegalArgumentException("dimension=" + dimension + " clusters=" + clusters);
        }
        this.dimension = dimension;
        this.seed = seed;
        SplittableRandom r = new SplittableRandom(seed);
        centres = new float[clusters][dimension];
        stddevs = new float[clusters][dimension];
        cumulativeWeights = new double[clusters];
        double total = 0;
        for (int c = 0; c < clusters; c++) {
            for (int j = 0; j < dimension; j++) {
                double g = globalScale(j);
                centres[c][j] = (float) (gaussian(r) * g);
                stddevs[c][j] = (float) (0.35 * g * Math.exp(0.5 * gaussian(r)));
            }
            total += Math.exp(gaussian(r));
            cumulativeWeights[c] = total;
        }
        for (int c = 0; c < clusters; c++) {
            cumulativeWeights[c] /= total;
        }
    }

    static double globalScale(int j) {
        return 1.0 / Math.sqrt(1.0 + j / 16.0);
    }

    public int dimension() {
        return dimension;
    }

    /** Base vector {@code i}. */
    public float[] base(long i) {
        return point(BASE_STREAM, i);
    }

    /** Query vector {@code i}. */
    public float[] query(long i) {
        return point(QUERY_STREAM, i);
    }

    /** {@code n} base vectors, generated in parallel. */
    public float[][] bases(int n) {
        float[][] out = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> out[i] = base(i));
        return out;
    }

    public float[][] queries(int n) {
        float[][] out = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> out[i] = query(i));
        return out;
    }

    private float[] point(long stream, long i) {
        SplittableRandom r = new SplittableRandom(mix(seed, stream, i));
        double u = r.nextDouble();
        int c = cluster(u);
        float[] v = new float[dimension];
        float[] mu = centres[c];
        float[] sd = stddevs[c];
        for (int j = 0; j < dimension; j++) {
            v[j] = (float) (mu[j] + sd[j] * gaussian(r));
        }
        return v;
    }

    private int cluster(double u) {
        int lo = 0;
        int hi = cumulativeWeights.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeWeights[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long mix(long seed, long stream, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + i * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian of its own that is stable across JDKs.
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
