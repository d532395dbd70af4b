package io.mmgraph.quant;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What compressed navigation needs from ADC: ranking a whole set by PQ codes alone keeps the exact top 10 inside the
 * top 100 (so re-ranking 100 candidates with exact vectors recovers them), and ADC distances track exact ones
 * (mean relative error and correlation on random pairs; absolute error on true neighbours). On
 * 20,000 × 64 synthetic clustered vectors (a mixture of 1000 anisotropic Gaussians, fixed seed), M = d / 4 = 16
 * subspaces (16 bytes per vector against 256), trained on 4,000 of them, against the brute-force oracle
 * ({@link GroundTruth}).
 */
class ProductQuantizerRecallTest {
    static final int N = 20_000;
    static final int DIM = 64;
    static final int SUBSPACES = DIM / 4;
    static final int TRAINING = 4_000;
    static final int QUERIES = 100;
    static final int K = 10;
    static final int CANDIDATES = 100;
    /** Fixed, like RecallTest's: quality thresholds must not wander with the seed. */
    static final long SEED = 20261125L;
    /*
     * Measured with this seed: recall 0.997 l2, 0.979 cosine; relative error 0.055 l2, 0.033 cosine; correlation
     * 0.953 l2, 0.963 cosine; neighbour error 0.025 l2, 0.061 cosine of the typical distance. The error limits are
     * about 1.5 times those, the correlation limit 0.02 below: room for other kernels' rounding, not for a regression. ADC over-estimates l2 by about the vector's own
     * quantization error (the paper's bias), which dominates the error on near neighbours.
     */
    static final double MIN_RECALL = 0.9;
    static final double LIMIT_RELATIVE_ERROR = 0.08;
    static final double LIMIT_CORRELATION = 0.93;
    static final double LIMIT_NEIGHBOUR_ERROR = 0.1;

    static float[][] base;
    static float[][] queries;

    @BeforeAll
    static void generate() {
        SyntheticData data = new SyntheticData(DIM, SyntheticData.DEFAULT_CLUSTERS, SEED);
        base = data.bases(N);
        queries = data.queries(QUERIES);
    }

    @ParameterizedTest
    @EnumSource(value = Metric.class, names = {"L2", "COSINE"})
    void theTrueTop10IsInsideTheAdcTop100AndAdcTracksExactDistances(Metric metric) {
        long t0 = System.nanoTime();
        // The base set is an i.i.d. draw from the mixture, so its first vectors are a fair training sample.
        ProductQuantizer pq = ProductQuantizer.train(Arrays.copyOf(base, TRAINING), SUBSPACES, metric, SEED, 20);
        long t1 = System.nanoTime();
        int codeBytes = pq.codeBytes();
        byte[] codes = new byte[N * codeBytes];
        for (int i = 0; i < N; i++) {
            pq.encode(base[i], codes, i * codeBytes);
        }
        long t2 = System.nanoTime();

        int[][] truth = GroundTruth.compute(base, queries, K, metric);
        float[][] preparedBase = prepared(base, metric);
        VectorKernels kernels = Kernels.get();
        SplittableRandom random = new SplittableRandom(SEED);
        int[][] candidates = new int[QUERIES][];
        float[] table = new float[pq.distanceTableLength()];
        float[] adc = new float[N];
        // Random pairs: the relative error and the correlation of ADC with exact distances. True neighbours, whose
        // exact distances are small: the absolute error against the scale of typical (random-pair) distances.
        double randomPairError = 0;
        double neighbourAbsoluteError = 0;
        int randomPairs = QUERIES * 100;
        int neighbours = 0;
        double[] adcOfPair = new double[randomPairs];
        double[] exactOfPair = new double[randomPairs];
        for (int qi = 0; qi < QUERIES; qi++) {
            float[] q = prepared(queries[qi], metric);
            pq.distanceTable(queries[qi], table);
            for (int i = 0; i < N; i++) {
                adc[i] = pq.distance(table, codes, i * codeBytes);
            }
            candidates[qi] = nearest(adc, CANDIDATES);
            for (int id : truth[qi]) {
                neighbourAbsoluteError += Math.abs(adc[id] - kernels.distance(metric, q, preparedBase[id]));
                neighbours++;
            }
            for (int j = 0; j < 100; j++) {
                int id = random.nextInt(N);
                int pair = qi * 100 + j;
                adcOfPair[pair] = adc[id];
                exactOfPair[pair] = kernels.distance(metric, q, preparedBase[id]);
                randomPairError += Math.abs(adcOfPair[pair] - exactOfPair[pair]) / Math.abs(exactOfPair[pair]);
            }
        }
        double recall = GroundTruth.recall(candidates, truth, CANDIDATES);
        randomPairError /= randomPairs;
        double correlation = correlation(adcOfPair, exactOfPair);
        double neighbourErrorOfScale = neighbourAbsoluteError / neighbours / mean(exactOfPair);
        System.out.printf("ProductQuantizerRecallTest %s: %s trained on %d in %.2f s, %d encoded in %.2f s; "
                        + "true top-%d in ADC top-%d: %.4f; random pairs: mean relative ADC error %.4f, "
                        + "correlation %.5f; true neighbours: mean ADC error / mean random-pair distance %.4f%n",
                metric, pq, TRAINING, (t1 - t0) / 1e9, N, (t2 - t1) / 1e9, K, CANDIDATES, recall, randomPairError,
                correlation, neighbourErrorOfScale);
        assertTrue(recall >= MIN_RECALL, metric + ": only " + recall + " of the true top " + K + " in the ADC top "
                + CANDIDATES);
        assertTrue(randomPairError < LIMIT_RELATIVE_ERROR, metric + ": mean relative error on random pairs "
                + randomPairError);
        assertTrue(correlation > LIMIT_CORRELATION, metric + ": correlation on random pairs " + correlation);
        assertTrue(neighbourErrorOfScale < LIMIT_NEIGHBOUR_ERROR, metric + ": error on true neighbours "
                + neighbourErrorOfScale);
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    /** Pearson's correlation coefficient. */
    private static double correlation(double[] xs, double[] ys) {
        double mx = mean(xs);
        double my = mean(ys);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < xs.length; i++) {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
            syy += (ys[i] - my) * (ys[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static float[] prepared(float[] v, Metric metric) {
        if (!metric.normalizes()) {
            return v;
        }
        float[] unit = v.clone();
        Kernels.normalize(unit);
        return unit;
    }

    private static float[][] prepared(float[][] vs, Metric metric) {
        float[][] out = new float[vs.length][];
        Arrays.setAll(out, i -> prepared(vs[i], metric));
        return out;
    }

    /** The ids of the {@code k} smallest {@code distances}, nearest first (ties to the smaller id). */
    private static int[] nearest(float[] distances, int k) {
        int[] ids = new int[k];
        float[] ds = new float[k];
        int size = 0;
        for (int i = 0; i < distances.length; i++) {
            float d = distances[i];
            if (size == k && d >= ds[k - 1]) {
                continue;
            }
            int at = size == k ? k - 1 : size++;
            while (at > 0 && ds[at - 1] > d) {
                ids[at] = ids[at - 1];
                ds[at] = ds[at - 1];
                at--;
            }
            ids[at] = i;
            ds[at] = d;
        }
        return ids;
    }
}
