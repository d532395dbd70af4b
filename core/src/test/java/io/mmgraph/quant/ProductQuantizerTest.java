package io.mmgraph.quant;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoding, decoding and asymmetric distances of {@link ProductQuantizer} on small sets, and its argument checks. */
class ProductQuantizerTest {

    static float[][] gaussians(Random r, int n, int dimension) {
        float[][] vs = new float[n][dimension];
        for (float[] v : vs) {
            for (int j = 0; j < dimension; j++) {
                v[j] = (float) r.nextGaussian();
            }
        }
        return vs;
    }

    static byte[] encode(ProductQuantizer pq, float[] v) {
        byte[] code = new byte[pq.codeBytes()];
        pq.encode(v, code, 0);
        return code;
    }

    static byte[] serialize(ProductQuantizer pq) {
        ByteBuffer b = ByteBuffer.allocate(pq.serializedBytes());
        pq.writeTo(b);
        assertEquals(0, b.remaining());
        return b.array();
    }

    @Test
    void theFirstSubspacesTakeTheRemainderDimensions() {
        assertArrayEquals(new int[] {0, 3, 6, 8, 10}, ProductQuantizer.subspaceStarts(10, 4));
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, ProductQuantizer.subspaceStarts(8, 4));
        assertArrayEquals(new int[] {0, 7}, ProductQuantizer.subspaceStarts(7, 1));
        assertArrayEquals(new int[] {0, 1, 2, 3}, ProductQuantizer.subspaceStarts(3, 3));
        ProductQuantizer pq = ProductQuantizer.train(gaussians(new Random(1), 20, 10), 4, Metric.L2, 1, 5);
        assertEquals(3, pq.subspaceStart(1));
        assertEquals(10, pq.subspaceStart(4));
        assertEquals(10, pq.dimension());
        assertEquals(4, pq.subspaces());
        assertEquals(4, pq.codeBytes());
        assertEquals(Metric.L2, pq.metric());
    }

    @Test
    void aSmallSampleGetsOneCentroidPerVectorAndReconstructsItExactly() {
        Random r = TestSeeds.random("ProductQuantizerTest.aSmallSampleGetsOneCentroidPerVectorAndReconstructsItExactly");
        float[][] sample = gaussians(r, 50, 12);
        ProductQuantizer pq = ProductQuantizer.train(sample, 5, Metric.L2, r.nextLong(), 10);
        assertEquals(50, pq.centroidsPerSubspace());
        assertEquals(5, pq.codeBytes());
        assertEquals(5 * 50, pq.distanceTableLength());
        for (float[] v : sample) {
            byte[] code = encode(pq, v);
            for (byte b : code) {
                assertTrue((b & 0xFF) < 50, "code byte " + (b & 0xFF));
            }
            assertTrue(TestVectors.bitEqual(v, pq.decode(code, 0)), Arrays.toString(v));
            assertEquals(0f, pq.distance(pq.distanceTable(v), code, 0));
        }
        byte[] bad = new byte[5];
        bad[3] = (byte) 50;
        assertThrows(IllegalArgumentException.class, () -> pq.decode(bad, 0));
    }

    @Test
    void encodeWritesExactlyItsBytesAtTheOffset() {
        Random r = TestSeeds.random("ProductQuantizerTest.encodeWritesExactlyItsBytesAtTheOffset");
        float[][] sample = gaussians(r, 300, 16);
        ProductQuantizer pq = ProductQuantizer.train(sample, 4, Metric.L2, r.nextLong(), 5);
        byte[] codes = new byte[3 * pq.codeBytes()];
        Arrays.fill(codes, (byte) 0x5A);
        pq.encode(sample[7], codes, pq.codeBytes());
        byte[] alone = encode(pq, sample[7]);
        assertArrayEquals(alone, Arrays.copyOfRange(codes, 4, 8));
        for (int i : new int[] {0, 1, 2, 3, 8, 9, 10, 11}) {
            assertEquals((byte) 0x5A, codes[i], "byte " + i + " outside the code was written");
        }
        assertArrayEquals(pq.decode(alone, 0), pq.decode(codes, 4));
        float[] table = pq.distanceTable(sample[3]);
        assertEquals(pq.distance(table, alone, 0), pq.distance(table, codes, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> pq.encode(sample[0], codes, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> pq.encode(sample[0], codes, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> pq.decode(codes, 10));
    }

    /**
     * ADC is the metric's distance between the query and the decoded vector, up to float rounding: for every metric,
     * with uneven subspaces and a query table reused across queries.
     */
    @ParameterizedTest
    @EnumSource(Metric.class)
    void asymmetricDistanceIsTheMetricDistanceToTheReconstruction(Metric metric) {
        Random r = TestSeeds.random("ProductQuantizerTest.asymmetricDistanceIsTheMetricDistanceToTheReconstruction."
                + metric);
        int dimension = 24;
        ProductQuantizer pq = ProductQuantizer.train(gaussians(r, 600, dimension), 5, metric, r.nextLong(), 8);
        assertEquals(256, pq.centroidsPerSubspace());
        VectorKernels kernels = Kernels.scalar();
        float[][] stored = gaussians(r, 200, dimension);
        byte[] codes = new byte[stored.length * pq.codeBytes()];
        for (int i = 0; i < stored.length; i++) {
            pq.encode(stored[i], codes, i * pq.codeBytes());
        }
        float[] reused = new float[pq.distanceTableLength()];
        for (float[] query : gaussians(r, 30, dimension)) {
            float[] q = query.clone();
            if (metric.normalizes()) {
                Kernels.normalize(q);
            }
            float[] table = pq.distanceTable(query);
            pq.distanceTable(query, reused);
            assertArrayEquals(table, reused);
            for (int i = 0; i < stored.length; i++) {
                float expected = kernels.distance(metric, q, pq.decode(codes, i * pq.codeBytes()));
                float adc = pq.distance(table, codes, i * pq.codeBytes());
                assertEquals(expected, adc, 1e-4f * (1 + Math.abs(expected)), "vector " + i);
            }
        }
    }

    @Test
    void cosineEncodesTheDirectionWhateverTheLength() {
        Random r = TestSeeds.random("ProductQuantizerTest.cosineEncodesTheDirectionWhateverTheLength");
        float[][] sample = gaussians(r, 400, 16);
        ProductQuantizer pq = ProductQuantizer.train(sample, 8, Metric.COSINE, r.nextLong(), 8);
        for (float[] v : gaussians(r, 50, 16)) {
            float[] scaled = v.clone();
            float[] unit = v.clone();
            Kernels.normalize(unit);
            for (int j = 0; j < scaled.length; j++) {
                scaled[j] *= 3.5f;
            }
            byte[] code = encode(pq, v);
            assertArrayEquals(code, encode(pq, unit));
            assertArrayEquals(code, encode(pq, scaled));
            float self = pq.distance(pq.distanceTable(scaled), code, 0);
            assertTrue(Math.abs(self) < 0.35f, "cosine distance of a vector to its own code: " + self);
        }
        assertEquals(pq.distance(pq.distanceTable(sample[1]), encode(pq, sample[2]), 0),
                pq.distance(pq.distanceTable(unitCopy(sample[1])), encode(pq, sample[2]), 0), 1e-6f);
    }

    private static float[] unitCopy(float[] v) {
        float[] u = v.clone();
        Kernels.normalize(u);
        return u;
    }

    /** More bytes per code, lower reconstruction error: M = 4, 8, 16 on the same 64-d clustered set. */
    @Test
    void moreSubspacesReconstructMoreAccurately() {
        SyntheticData data = new SyntheticData(64, 200, 7);
        float[][] sample = data.bases(2000);
        float[][] held = data.queries(1000);
        double previous = Double.POSITIVE_INFINITY;
        for (int m : new int[] {4, 8, 16}) {
            ProductQuantizer pq = ProductQuantizer.train(sample, m, Metric.L2, 11, 10);
            double error = 0;
            for (float[] v : held) {
                float[] decoded = pq.decode(encode(pq, v), 0);
                for (int j = 0; j < v.length; j++) {
                    double d = v[j] - decoded[j];
                    error += d * d;
                }
            }
            error /= held.length * 64.0;
            System.out.printf("ProductQuantizerTest: M=%d mean squared reconstruction error per component %.5f%n",
                    m, error);
            assertTrue(error < previous, "M=" + m + ": " + error + " is not below " + previous);
            previous = error;
        }
    }

    @Test
    void theSameSeedGivesTheSameCodebookAndCodes() {
        long seed = TestSeeds.seed("ProductQuantizerTest.theSameSeedGivesTheSameCodebookAndCodes");
        Random r = new Random(seed);
        float[][] sample = gaussians(r, 1000, 20);
        ProductQuantizer a = ProductQuantizer.train(sample, 6, Metric.L2, seed, 10);
        ProductQuantizer b = ProductQuantizer.train(sample, 6, Metric.L2, seed, 10);
        ProductQuantizer other = ProductQuantizer.train(sample, 6, Metric.L2, seed + 1, 10);
        assertArrayEquals(serialize(a), serialize(b));
        assertFalse(Arrays.equals(serialize(a), serialize(other)), "another seed gives another codebook");
        for (float[] v : gaussians(r, 100, 20)) {
            assertArrayEquals(encode(a, v), encode(b, v));
        }
    }

    @Test
    void badTrainingArgumentsAreRefused() {
        float[][] sample = gaussians(new Random(3), 40, 8);
        assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.train(new float[0][], 2, Metric.L2, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.train(null, 2, Metric.L2, 1, 5));
        assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(new float[][] {{}}, 1, Metric.L2, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.train(sample, 0, Metric.L2, 1, 5));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(sample, 9, Metric.L2, 1, 5));
        assertTrue(tooMany.getMessage().contains("subspaces=9"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.train(sample, 2, Metric.L2, 1, -1));
        assertThrows(NullPointerException.class, () -> ProductQuantizer.train(sample, 2, null, 1, 5));

        float[][] ragged = sample.clone();
        ragged[17] = new float[7];
        IllegalArgumentException wrongDimension = assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(ragged, 2, Metric.L2, 1, 5));
        assertTrue(wrongDimension.getMessage().contains("sample vector 17"), wrongDimension.getMessage());
        float[][] withNull = sample.clone();
        withNull[5] = null;
        assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.train(withNull, 2, Metric.L2, 1, 5));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[][] nonFinite = sample.clone();
            nonFinite[9] = sample[9].clone();
            nonFinite[9][3] = bad;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ProductQuantizer.train(nonFinite, 2, Metric.DOT, 1, 5));
            assertTrue(e.getMessage().contains("sample vector 9"), e.getMessage());
        }
        float[][] zero = sample.clone();
        zero[2] = new float[8];
        assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.train(zero, 2, Metric.COSINE, 1, 5));
        ProductQuantizer.train(zero, 2, Metric.L2, 1, 5); // a zero vector is fine where there is no direction to take
        assertEquals(8, sample[0].length, "the sample is not modified");
    }

    @Test
    void badVectorsAreRefusedAtEncodeAndQueryTime() {
        ProductQuantizer pq = ProductQuantizer.train(gaussians(new Random(4), 100, 8), 4, Metric.COSINE, 1, 5);
        byte[] code = new byte[4];
        assertThrows(IllegalArgumentException.class, () -> pq.encode(new float[7], code, 0));
        assertThrows(IllegalArgumentException.class, () -> pq.encode(new float[8], code, 0));
        float[] nan = new float[8];
        nan[0] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> pq.encode(nan, code, 0));
        assertThrows(IllegalArgumentException.class, () -> pq.distanceTable(nan));
        assertThrows(IllegalArgumentException.class, () -> pq.distanceTable(new float[9]));
        assertThrows(IllegalArgumentException.class,
                () -> pq.distanceTable(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, new float[pq.distanceTableLength() - 1]));
    }

    @Test
    void decodingIntoAnArrayMatchesTheAllocatingForm() {
        Random r = TestSeeds.random("ProductQuantizerTest.decodingIntoAnArray");
        ProductQuantizer pq = ProductQuantizer.train(gaussians(r, 600, 12), 4, Metric.L2, r.nextLong(), 5);
        float[] out = new float[12];
        float[] table = new float[pq.distanceTableLength()];
        for (float[] v : gaussians(r, 20, 12)) {
            byte[] code = encode(pq, v);
            pq.decode(code, 0, out);
            assertArrayEquals(pq.decode(code, 0), out);
            pq.distanceTable(out, table);
            assertEquals(0f, pq.distance(table, code, 0), 1e-5f, "a code is at distance 0 from its own decoding");
        }
        assertThrows(IndexOutOfBoundsException.class, () -> pq.decode(new byte[4], 0, new float[11]));
    }
}
