package io.mmgraph.bench.engine;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.VectorKernels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Brute force over the heap vectors with mmgraph's SIMD kernels: the floor every index must beat, with recall 1.
 * It persists nothing; its one "effort" is the whole scan.
 */
public final class ExactEngine implements Engine {
    private float[][] base;
    private BenchData data;

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public String simdProvider() {
        return Kernels.get().name();
    }

    @Override
    public String describeConfig() {
        return "brute force over heap vectors, single scan per query";
    }

    @Override
    public void build(BenchData data, BuildParams params, Path dir, int threads) {
        this.data = data;
        if (data.metric().normalizes()) {
            base = new float[data.base().length][];
            for (int i = 0; i < base.length; i++) {
                base[i] = Arrays.copyOf(data.base()[i], data.dimension());
                Kernels.normalize(base[i]);
            }
        } else {
            base = data.base();
        }
    }

    @Override
    public boolean persisted(String variant) {
        return false; // scans the build's heap copy
    }

    @Override
    public SearchIndex open(String variant, Path dir, BuildParams params) {
        VectorKernels kernels = Kernels.get();
        return new SearchIndex() {
            @Override
            public String effortName() {
                return "scan";
            }

            @Override
            public Session newSession() {
                return new Session() {
                    private final float[] prepared = new float[data.dimension()];

                    @Override
                    public int search(float[] query, int k, int effort, int[] out) {
                        System.arraycopy(query, 0, prepared, 0, prepared.length);
                        if (data.metric().normalizes()) {
                            Kernels.normalize(prepared);
                        }
                        int[] ids = k == out.length ? out : new int[k];
                        int found = GroundTruth.nearest(kernels, base, prepared, data.metric(), ids, new float[k]);
                        if (ids != out) {
                            System.arraycopy(ids, 0, out, 0, found);
                        }
                        return found;
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public long indexBytes(Path dir) {
        return 0;
    }

    @Override
    public void close() {
        base = null;
        data = null;
    }
}
