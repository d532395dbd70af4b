package io.mmgraph.vector;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chosen kernels (SIMD when the vector module is present) against the scalar fallback and a double-precision
 * reference, on odd dimensions that exercise every tail path, for both the array/array and array/segment forms.
 */
class KernelsTest {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Offsets into a segment at which a stored vector is placed: records are 4-byte aligned, 1 is the odd case. */
    private static final long[] OFFSETS = {0, 4, 12, 400, 1};

    private final VectorKernels fast = Kernels.get();
    private final VectorKernels scalar = Kernels.scalar();

    @Test
    void chosenKernelsMatchTheModuleGraph() {
        assertEquals("scalar", scalar.name());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"scalar".equals(System.getProperty("mmgraph.kernels"))) {
            assertTrue(fast.name().startsWith("panama-"), fast.name());
        } else {
            assertEquals("scalar", fast.name());
        }
    }

    private static float[] random(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    /**
     * Recursive float summation of n terms errs by at most about n * 2^-24 times the sum of the terms' magnitudes;
     * two implementations may differ by twice that. A lost or doubled term is far above it.
     */
    private static double tolerance(int n, double magnitude) {
        return 2.0 * (n + 2) * 0x1p-24 * magnitude + Float.MIN_NORMAL;
    }

    private static void close(String what, double expected, double actual, double tolerance) {
        if (!(Math.abs(expected - actual) <= tolerance)) {
            fail(what + ": expected " + expected + " but got " + actual + " (tolerance " + tolerance + ")");
        }
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 128, 129, 768})
    void simdMatchesScalar(int dim) {
        Random r = TestSeeds.random("KernelsTest.simdMatchesScalar[" + dim + "]");
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 40; trial++) {
                float scale = trial % 4 == 0 ? 1e-3f : trial % 4 == 1 ? 1f : trial % 4 == 2 ? 30f : 1e3f;
                float[] a = random(r, dim, scale);
                float[] b = random(r, dim, scale);
                if (trial == 0) {
                    b = a.clone(); // identical vectors: L2 must be exactly 0
                }
                double l2 = 0;
                double dot = 0;
                double dotMagnitude = 0;
                for (int i = 0; i < dim; i++) {
                    double d = (double) a[i] - b[i];
                    l2 += d * d;
                    dot += (double) a[i] * b[i];
                    dotMagnitude += Math.abs((double) a[i] * b[i]);
                }
                // Squared differences in float carry the rounding of each difference as well.
                double l2Tol = tolerance(dim, l2) * 2;
                double dotTol = tolerance(dim, dotMagnitude);
                String at = "dim=" + dim + " trial=" + trial;

                close("scalar l2 vs double " + at, l2, scalar.squaredL2(a, b), l2Tol);
                close("fast l2 vs double " + at, l2, fast.squaredL2(a, b), l2Tol);
                close("fast l2 vs scalar " + at, scalar.squaredL2(a, b), fast.squaredL2(a, b), l2Tol);
                close("scalar dot vs double " + at, dot, scalar.dot(a, b), dotTol);
                close("fast dot vs double " + at, dot, fast.dot(a, b), dotTol);
                close("fast dot vs scalar " + at, scalar.dot(a, b), fast.dot(a, b), dotTol);

                for (long offset : OFFSETS) {
                    for (MemorySegment seg : new MemorySegment[] {
                            arena.allocate(offset + 4L * dim + 64, 64),
                            MemorySegment.ofArray(new byte[(int) (offset + 4L * dim + 64)])}) {
                        seg.fill((byte) 0x7F); // bytes around the vector that a kernel must not read
                        for (int i = 0; i < dim; i++) {
                            seg.set(LE_FLOAT, offset + 4L * i, b[i]);
                        }
                        String where = at + " offset=" + offset + (seg.isNative() ? " native" : " heap");
                        close("scalar seg l2 " + where, l2, scalar.squaredL2(a, seg, offset), l2Tol);
                        close("fast seg l2 " + where, l2, fast.squaredL2(a, seg, offset), l2Tol);
                        close("fast seg l2 vs scalar " + where, scalar.squaredL2(a, seg, offset),
                                fast.squaredL2(a, seg, offset), l2Tol);
                        close("scalar seg dot " + where, dot, scalar.dot(a, seg, offset), dotTol);
                        close("fast seg dot " + where, dot, fast.dot(a, seg, offset), dotTol);
                        close("fast seg dot vs scalar " + where, scalar.dot(a, seg, offset),
                                fast.dot(a, seg, offset), dotTol);
                        for (Metric m : Metric.values()) {
                            double tol = m == Metric.L2 ? l2Tol : dotTol;
                            close("distance " + m + " " + where, scalar.distance(m, a, seg, offset),
                                    fast.distance(m, a, seg, offset), tol);
                            close("distance " + m + " array vs segment " + where, fast.distance(m, a, b),
                                    fast.distance(m, a, seg, offset), tol * 2);
                        }
                    }
                }
                if (trial == 0) {
                    assertEquals(0f, fast.squaredL2(a, b), at);
                    assertEquals(0f, scalar.squaredL2(a, b), at);
                }
            }
        }
    }

    /**
     * The stored-vector × stored-vector kernels that graph construction uses: both operands in segments, at
     * independent offsets (aligned, unaligned, native and heap), against the scalar kernels and a double reference.
     * Odd dimensions run every tail path; the bytes around each vector are garbage a kernel must not read.
     */
    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {1, 2, 3, 5, 7, 9, 13, 15, 17, 31, 33, 63, 65, 97, 127, 129, 255, 385, 769})
    void segmentBySegmentMatchesScalar(int dim) {
        Random r = TestSeeds.random("KernelsTest.segmentBySegmentMatchesScalar[" + dim + "]");
        long[][] offsetPairs = {{0, 0}, {4, 12}, {400, 4}, {1, 0}, {0, 3}, {1, 2}, {12, 12}};
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 24; trial++) {
                float scale = trial % 3 == 0 ? 1e-3f : trial % 3 == 1 ? 1f : 1e3f;
                float[] a = random(r, dim, scale);
                float[] b = trial == 0 ? a.clone() : random(r, dim, scale);
                double l2 = 0;
                double dot = 0;
                double dotMagnitude = 0;
                for (int i = 0; i < dim; i++) {
                    double d = (double) a[i] - b[i];
                    l2 += d * d;
                    dot += (double) a[i] * b[i];
                    dotMagnitude += Math.abs((double) a[i] * b[i]);
                }
                double l2Tol = tolerance(dim, l2) * 2;
                double dotTol = tolerance(dim, dotMagnitude);
                for (long[] offsets : offsetPairs) {
                    for (boolean nativeA : new boolean[] {true, false}) {
                        MemorySegment sa = place(arena, nativeA, a, offsets[0], r);
                        MemorySegment sb = place(arena, !nativeA || trial % 2 == 0, b, offsets[1], r);
                        long oa = offsets[0];
                        long ob = offsets[1];
                        String where = "dim=" + dim + " trial=" + trial + " offsets=" + oa + "," + ob
                                + (sa.isNative() ? " native" : " heap") + "/" + (sb.isNative() ? "native" : "heap");
                        float scalarL2 = scalar.squaredL2(sa, oa, sb, ob, dim);
                        float fastL2 = fast.squaredL2(sa, oa, sb, ob, dim);
                        float scalarDot = scalar.dot(sa, oa, sb, ob, dim);
                        float fastDot = fast.dot(sa, oa, sb, ob, dim);
                        close("scalar seg×seg l2 vs double " + where, l2, scalarL2, l2Tol);
                        close("fast seg×seg l2 vs double " + where, l2, fastL2, l2Tol);
                        close("fast seg×seg l2 vs scalar " + where, scalarL2, fastL2, l2Tol);
                        close("scalar seg×seg dot vs double " + where, dot, scalarDot, dotTol);
                        close("fast seg×seg dot vs double " + where, dot, fastDot, dotTol);
                        close("fast seg×seg dot vs scalar " + where, scalarDot, fastDot, dotTol);
                        // Symmetric, and the same as the array × segment form the searches use.
                        close("fast seg×seg l2 symmetric " + where, fastL2, fast.squaredL2(sb, ob, sa, oa, dim), l2Tol);
                        close("fast seg×seg dot symmetric " + where, fastDot, fast.dot(sb, ob, sa, oa, dim), dotTol);
                        close("fast seg×seg l2 vs array×seg " + where, fast.squaredL2(a, sb, ob), fastL2, l2Tol);
                        close("fast seg×seg dot vs array×seg " + where, fast.dot(a, sb, ob), fastDot, dotTol);
                        for (Metric m : Metric.values()) {
                            double tol = m == Metric.L2 ? l2Tol : dotTol;
                            close("distance " + m + " seg×seg " + where, scalar.distance(m, sa, oa, sb, ob, dim),
                                    fast.distance(m, sa, oa, sb, ob, dim), tol);
                        }
                        if (trial == 0) {
                            assertEquals(0f, fastL2, "identical vectors " + where);
                            assertEquals(0f, scalarL2, "identical vectors " + where);
                        }
                    }
                }
            }
        }
    }

    /** A segment holding {@code v} at {@code offset}, surrounded by random garbage (including NaN bit patterns). */
    private static MemorySegment place(Arena arena, boolean nativeSegment, float[] v, long offset, Random r) {
        long size = offset + 4L * v.length + 67;
        MemorySegment seg = nativeSegment ? arena.allocate(size, 64) : MemorySegment.ofArray(new byte[(int) size]);
        for (long i = 0; i < size; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) (r.nextBoolean() ? 0x7F : r.nextInt()));
        }
        for (int i = 0; i < v.length; i++) {
            seg.set(LE_FLOAT, offset + 4L * i, v[i]);
        }
        return seg;
    }

    @Test
    void distancesFollowTheMetricConventions() {
        float[] a = {1, 2, 3};
        float[] b = {4, 6, 3};
        for (VectorKernels k : new VectorKernels[] {fast, scalar}) {
            assertEquals(25f, k.distance(Metric.L2, a, b), k.name());
            assertEquals(-25f, k.distance(Metric.DOT, a, b), k.name());
            assertEquals(1f - 25f, k.distance(Metric.COSINE, a, b), k.name());
        }
    }

    @Test
    void normalizeGivesUnitLengthAndLeavesZeroAlone() {
        Random r = TestSeeds.random("KernelsTest.normalize");
        for (int dim : new int[] {1, 3, 17, 768}) {
            float[] v = random(r, dim, 5f);
            float[] copy = v.clone();
            float norm = Kernels.normalize(v);
            double expectedNorm = 0;
            for (float x : copy) {
                expectedNorm += (double) x * x;
            }
            close("norm dim=" + dim, Math.sqrt(expectedNorm), norm, 1e-5 * Math.sqrt(expectedNorm));
            close("unit length dim=" + dim, 1.0, scalar.dot(v, v), 1e-5);
        }
        float[] zero = new float[7];
        assertEquals(0f, Kernels.normalize(zero));
        for (float x : zero) {
            assertEquals(0f, x);
        }
    }

    @Test
    void metricCodesAndNames() {
        for (Metric m : Metric.values()) {
            assertEquals(m, Metric.fromCode(m.code()));
            assertEquals(m, Metric.parse(m.toString()));
        }
        assertEquals(Metric.DOT, Metric.parse("IP"));
        assertEquals(Metric.COSINE, Metric.parse("angular"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Metric.fromCode(0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Metric.parse("hamming"));
    }
}
