package io.mmgraph.vector;

import java.lang.System.Logger.Level;

/**
 * Chooses the distance kernels once per JVM: SIMD when {@code jdk.incubator.vector} is in the boot layer
 * ({@code --add-modules jdk.incubator.vector}), otherwise the scalar fallback with one log line. The system property
 * {@code mmgraph.kernels=scalar} forces the fallback (for comparisons).
 */
public final class Kernels {
    private Kernels() {}

    private static final VectorKernels INSTANCE = choose();

    public static VectorKernels get() {
        return INSTANCE;
    }

    /** The scalar kernels, whatever was chosen (tests compare against them). */
    public static VectorKernels scalar() {
        return new ScalarKernels();
    }

    private static VectorKernels choose() {
        System.Logger log = System.getLogger("io.mmgraph.vector");
        if ("scalar".equals(System.getProperty("mmgraph.kernels"))) {
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            log.log(Level.INFO, "jdk.incubator.vector is not enabled; using scalar distance kernels "
                    + "(add --add-modules jdk.incubator.vector for SIMD)");
            return new ScalarKernels();
        }
        try {
            return (VectorKernels) Class.forName("io.mmgraph.vector.PanamaKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            log.log(Level.WARNING, "SIMD kernels unavailable (" + e + "); using scalar distance kernels");
            return new ScalarKernels();
        }
    }

    /**
     * Scales {@code v} in place to unit length; returns its original norm (0 for a zero vector, left as is). The norm
     * is summed in double precision in a fixed order, so a vector normalizes to the same bits whichever kernels run
     * and however far the JIT has got (a SIMD lane reduction may round differently between its intrinsic and its
     * fallback).
     */
    public static float normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float norm = (float) Math.sqrt(sum);
        // Already of unit length as far as float arithmetic can tell (what embedding models return): kept bit for bit,
        // so that reading it back returns what was stored; cosine distances move by at most 1e-6.
        if (norm > 0 && Math.abs(sum - 1.0) > 1e-6) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return norm;
    }
}
