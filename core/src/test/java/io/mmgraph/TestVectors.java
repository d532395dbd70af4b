package io.mmgraph;

import java.util.SplittableRandom;

/**
 * Vectors that any JVM can regenerate bit for bit from (seed, ordinal): uniform floats in [-1, 1) built from integer
 * arithmetic only, so a parent can check what a child process wrote without being told the vectors.
 */
public final class TestVectors {
    private TestVectors() {}

    public static float[] vector(long seed, long ordinal, int dimension) {
        SplittableRandom r = new SplittableRandom(seed ^ (ordinal * 0x9E3779B97F4A7C15L));
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = r.nextFloat() * 2f - 1f;
        }
        return v;
    }

    /** Whether two vectors have the same bits in every component (not just equal values: -0.0 differs from 0.0). */
    public static boolean bitEqual(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** The raw bits of each component, for bit-exact array assertions. */
    public static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
