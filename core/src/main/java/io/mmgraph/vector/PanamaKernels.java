package io.mmgraph.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * SIMD kernels on {@code jdk.incubator.vector} at the platform's preferred width (AVX2: 8 floats). Loaded only by
 * reflection from {@link Kernels} when the module is present, so core still loads without it.
 */
final class PanamaKernels implements VectorKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final int LANES = SPECIES.length();

    @Override
    public float squaredL2(float[] q, MemorySegment segment, long offset) {
        int n = q.length;
        int i = 0;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        // Two accumulators hide the FMA latency; 128-d is 8 AVX2 steps.
        for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, q, i)
                    .sub(FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) i * Float.BYTES, LE));
            FloatVector d1 = FloatVector.fromArray(SPECIES, q, i + LANES)
                    .sub(FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) (i + LANES) * Float.BYTES, LE));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        for (int bound = n - LANES; i <= bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, q, i)
                    .sub(FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) i * Float.BYTES, LE));
            acc0 = d.fma(d, acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = q[i] - segment.get(FLOAT, offset + (long) i * Float.BYTES);
            s += d * d;
        }
        return s;
    }

    @Override
    public float dot(float[] q, MemorySegment segment, long offset) {
        int n = q.length;
        int i = 0;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
            acc0 = FloatVector.fromArray(SPECIES, q, i)
                    .fma(FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) i * Float.BYTES, LE), acc0);
            acc1 = FloatVector.fromArray(SPECIES, q, i + LANES)
                    .fma(FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) (i + LANES) * Float.BYTES, LE), acc1);
        }
        for (int bound = n - LANES; i <= bound; i += LANES) {
            acc0 = FloatVector.fromArray(SPECIES, q, i)
                    .fma(FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) i * Float.BYTES, LE), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += q[i] * segment.get(FLOAT, offset + (long) i * Float.BYTES);
        }
        return s;
    }

    @Override
    public float squaredL2(float[] a, float[] b) {
        int n = a.length;
        int i = 0;
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
            acc = d.fma(d, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    @Override
    public float dot(float[] a, float[] b) {
        int n = a.length;
        int i = 0;
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override
    public float squaredL2(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim) {
        int i = 0;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        for (int bound = dim - 2 * LANES; i <= bound; i += 2 * LANES) {
            long at = (long) i * Float.BYTES;
            long at1 = (long) (i + LANES) * Float.BYTES;
            FloatVector d0 = FloatVector.fromMemorySegment(SPECIES, a, aOffset + at, LE)
                    .sub(FloatVector.fromMemorySegment(SPECIES, b, bOffset + at, LE));
            FloatVector d1 = FloatVector.fromMemorySegment(SPECIES, a, aOffset + at1, LE)
                    .sub(FloatVector.fromMemorySegment(SPECIES, b, bOffset + at1, LE));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        for (int bound = dim - LANES; i <= bound; i += LANES) {
            long at = (long) i * Float.BYTES;
            FloatVector d = FloatVector.fromMemorySegment(SPECIES, a, aOffset + at, LE)
                    .sub(FloatVector.fromMemorySegment(SPECIES, b, bOffset + at, LE));
            acc0 = d.fma(d, acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float d = a.get(FLOAT, aOffset + (long) i * Float.BYTES) - b.get(FLOAT, bOffset + (long) i * Float.BYTES);
            s += d * d;
        }
        return s;
    }

    @Override
    public float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim) {
        int i = 0;
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        for (int bound = dim - 2 * LANES; i <= bound; i += 2 * LANES) {
            long at = (long) i * Float.BYTES;
            long at1 = (long) (i + LANES) * Float.BYTES;
            acc0 = FloatVector.fromMemorySegment(SPECIES, a, aOffset + at, LE)
                    .fma(FloatVector.fromMemorySegment(SPECIES, b, bOffset + at, LE), acc0);
            acc1 = FloatVector.fromMemorySegment(SPECIES, a, aOffset + at1, LE)
                    .fma(FloatVector.fromMemorySegment(SPECIES, b, bOffset + at1, LE), acc1);
        }
        for (int bound = dim - LANES; i <= bound; i += LANES) {
            long at = (long) i * Float.BYTES;
            acc0 = FloatVector.fromMemorySegment(SPECIES, a, aOffset + at, LE)
                    .fma(FloatVector.fromMemorySegment(SPECIES, b, bOffset + at, LE), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += a.get(FLOAT, aOffset + (long) i * Float.BYTES) * b.get(FLOAT, bOffset + (long) i * Float.BYTES);
        }
        return s;
    }

    @Override
    public String name() {
        return "panama-" + SPECIES.vectorBitSize();
    }
}
