package io.mmgraph.bench.jmh;

import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.VectorKernels;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One query against {@value #ROWS} stored vectors per invocation; the score is nanoseconds per distance. A batch of
 * rows rather than one pair keeps the loads real (one pair stays in L1 and the JIT may hoist its loads); at dim 128
 * the rows take 2 MB, at 768 12 MB, so they stream from L2/L3 rather than L1.
 *
 * <p>Variants: mmgraph's chosen kernels ({@code Kernels.get()}), its scalar fallback, a plain loop, Lucene's
 * VectorUtil, and mmgraph's array x segment kernel with the rows in an Arena segment and in a mapped file.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class DistanceKernelBenchmark {
    static final int ROWS = 4096;

    @Param({"100", "128", "768"})
    public int dim;

    private float[] query;
    private float[][] rows;
    private MemorySegment arenaRows;
    private MemorySegment mappedRows;
    private long stride;
    private VectorKernels kernels;
    private VectorKernels scalar;
    private Arena arena;
    private Path file;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        long seed = 42L + dim;
        query = JmhVectors.randomVector(seed ^ 0x5eed, dim);
        rows = JmhVectors.rows(seed, ROWS, dim);
        stride = (long) dim * Float.BYTES;
        arena = Arena.ofShared();
        // 64-byte aligned like the page-aligned mapping, so the two segment variants differ only in the memory kind.
        arenaRows = arena.allocate(stride * ROWS, 64);
        for (int i = 0; i < ROWS; i++) {
            MemorySegment.copy(rows[i], 0, arenaRows, JmhVectors.FLOAT_LE, i * stride, dim);
        }
        file = JmhVectors.writeFile(seed, ROWS, dim);
        mappedRows = JmhVectors.mapAndLoad(file, arena);
        kernels = Kernels.get();
        scalar = Kernels.scalar();
        check();
        System.out.println("# mmgraph kernels: " + kernels.name() + ", Lucene VectorUtil: "
                + JmhVectors.luceneVectorUtilImpl());
    }

    /** All variants must compute the same thing, or the comparison is meaningless. */
    private void check() {
        for (int i = 0; i < ROWS; i += 511) {
            float expectL2 = plainSquaredL2(query, rows[i]);
            float expectDot = plainDot(query, rows[i]);
            float tol = 1e-3f * (1 + Math.abs(expectL2) + Math.abs(expectDot));
            float[] l2 = {kernels.squaredL2(query, rows[i]), scalar.squaredL2(query, rows[i]),
                    VectorUtil.squareDistance(query, rows[i]), kernels.squaredL2(query, arenaRows, i * stride),
                    kernels.squaredL2(query, mappedRows, i * stride)};
            float[] dot = {kernels.dot(query, rows[i]), scalar.dot(query, rows[i]), VectorUtil.dotProduct(query, rows[i]),
                    kernels.dot(query, arenaRows, i * stride), kernels.dot(query, mappedRows, i * stride)};
            for (int v = 0; v < l2.length; v++) {
                if (Math.abs(l2[v] - expectL2) > tol || Math.abs(dot[v] - expectDot) > tol) {
                    throw new IllegalStateException("variant " + v + " disagrees at row " + i + ": l2 " + l2[v]
                            + " vs " + expectL2 + ", dot " + dot[v] + " vs " + expectDot);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        arena.close();
        Files.deleteIfExists(file);
    }

    static float plainSquaredL2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    static float plainDot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // --- squared L2 ---

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void l2Kernels(Blackhole bh) {
        VectorKernels k = kernels;
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(k.squaredL2(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void l2Scalar(Blackhole bh) {
        VectorKernels k = scalar;
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(k.squaredL2(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void l2PlainLoop(Blackhole bh) {
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(plainSquaredL2(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void l2Lucene(Blackhole bh) {
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(VectorUtil.squareDistance(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void l2KernelsArenaSegment(Blackhole bh) {
        VectorKernels k = kernels;
        float[] q = query;
        MemorySegment s = arenaRows;
        for (long off = 0, end = stride * ROWS; off < end; off += stride) {
            bh.consume(k.squaredL2(q, s, off));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void l2KernelsMappedSegment(Blackhole bh) {
        VectorKernels k = kernels;
        float[] q = query;
        MemorySegment s = mappedRows;
        for (long off = 0, end = stride * ROWS; off < end; off += stride) {
            bh.consume(k.squaredL2(q, s, off));
        }
    }

    // --- dot product ---

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void dotKernels(Blackhole bh) {
        VectorKernels k = kernels;
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(k.dot(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void dotScalar(Blackhole bh) {
        VectorKernels k = scalar;
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(k.dot(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void dotPlainLoop(Blackhole bh) {
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(plainDot(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void dotLucene(Blackhole bh) {
        float[] q = query;
        for (float[] row : rows) {
            bh.consume(VectorUtil.dotProduct(q, row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void dotKernelsArenaSegment(Blackhole bh) {
        VectorKernels k = kernels;
        float[] q = query;
        MemorySegment s = arenaRows;
        for (long off = 0, end = stride * ROWS; off < end; off += stride) {
            bh.consume(k.dot(q, s, off));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void dotKernelsMappedSegment(Blackhole bh) {
        VectorKernels k = kernels;
        float[] q = query;
        MemorySegment s = mappedRows;
        for (long off = 0, end = stride * ROWS; off < end; off += stride) {
            bh.consume(k.dot(q, s, off));
        }
    }
}
