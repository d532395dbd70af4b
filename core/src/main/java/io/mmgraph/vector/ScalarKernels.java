package io.mmgraph.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Plain-Java kernels: the fallback where {@code jdk.incubator.vector} is not in the module graph. */
final class ScalarKernels implements VectorKernels {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public float squaredL2(float[] q, MemorySegment segment, long offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        int n = q.length;
        for (; i + 3 < n; i += 4) {
            long at = offset + (long) i * Float.BYTES;
            float d0 = q[i] - segment.get(FLOAT, at);
            float d1 = q[i + 1] - segment.get(FLOAT, at + 4);
            float d2 = q[i + 2] - segment.get(FLOAT, at + 8);
            float d3 = q[i + 3] - segment.get(FLOAT, at + 12);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = q[i] - segment.get(FLOAT, offset + (long) i * Float.BYTES);
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dot(float[] q, MemorySegment segment, long offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        int n = q.length;
        for (; i + 3 < n; i += 4) {
            long at = offset + (long) i * Float.BYTES;
            s0 += q[i] * segment.get(FLOAT, at);
            s1 += q[i + 1] * segment.get(FLOAT, at + 4);
            s2 += q[i + 2] * segment.get(FLOAT, at + 8);
            s3 += q[i + 3] * segment.get(FLOAT, at + 12);
        }
        for (; i < n; i++) {
            s0 += q[i] * segment.get(FLOAT, offset + (long) i * Float.BYTES);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float squaredL2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    @Override
    public float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override
    public float squaredL2(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim) {
        float s = 0;
        for (int i = 0; i < dim; i++) {
            float d = a.get(FLOAT, aOffset + (long) i * Float.BYTES) - b.get(FLOAT, bOffset + (long) i * Float.BYTES);
            s += d * d;
        }
        return s;
    }

    @Override
    public float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dim) {
        float s = 0;
        for (int i = 0; i < dim; i++) {
            s += a.get(FLOAT, aOffset + (long) i * Float.BYTES) * b.get(FLOAT, bOffset + (long) i * Float.BYTES);
        }
        return s;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
