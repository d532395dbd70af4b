package io.mmgraph.bench.jmh;

import io.mmgraph.store.AccessHint;
import io.mmgraph.store.AnonymousMemory;
import io.mmgraph.store.NativeIO;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.VectorKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Fetch one stored vector and use it (dot product with a fixed query), from the heap or from a memory-mapped file
 * that is in the page cache: the seed's table expected mapped random reads to cost about 2x heap ones. Score:
 * nanoseconds per vector. Compare {@code mappedRandom} with {@code heapArraysRandom} at the same {@code n}; the
 * storages in between split that ratio: heapArrays -> heapFlat changes only the kernel (array x array to the
 * array x segment one mapped uses), heapFlat -> offHeap moves the rows out of the Java heap, offHeap -> mapped makes
 * them file-backed page-cache pages. The sequential variants show the cost when the prefetcher helps.
 *
 * <p>Random reads follow a precomputed index array so no RNG is timed. They are independent of each other, so the
 * CPU may overlap several misses: this is read throughput, not the latency of one dependent miss.
 *
 * <p>Each storage is its own state, so a fork builds only what its benchmark reads (1M x 128-d is 512 MB each).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class VectorReadBenchmark {
    private static final long SEED = 7L;
    /** Power of two for a cheap wrap; 4M indices cover all of a 1M table, so the random reads span the whole file. */
    private static final int ORDER_LENGTH = 1 << 22;

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"100000", "1000000"})
        public int n;

        @Param({"128"})
        public int dim;

        float[] query;
        int[] order;
        long stride;
        VectorKernels kernels;

        @Setup(Level.Trial)
        public void setup() {
            query = JmhVectors.randomVector(SEED ^ 0x5eed, dim);
            SplittableRandom random = new SplittableRandom(SEED + 1);
            order = new int[ORDER_LENGTH];
            for (int i = 0; i < order.length; i++) {
                order[i] = random.nextInt(n);
            }
            stride = (long) dim * Float.BYTES;
            kernels = Kernels.get();
            System.out.println("# mmgraph kernels: " + kernels.name());
        }
    }

    /** One float[] per vector, allocated in order (so neighbours in ordinal are usually neighbours in the heap). */
    @State(Scope.Benchmark)
    public static class HeapArrays {
        float[][] rows;

        @Setup(Level.Trial)
        public void setup(Shape shape) {
            rows = JmhVectors.rows(SEED, shape.n, shape.dim);
        }
    }

    /** One float[] for all vectors, read through a heap segment so the same array x segment kernel as mapped runs. */
    @State(Scope.Benchmark)
    public static class HeapFlat {
        MemorySegment segment;

        @Setup(Level.Trial)
        public void setup(Shape shape) {
            segment = MemorySegment.ofArray(JmhVectors.flat(SEED, shape.n, shape.dim));
        }
    }

    /** Anonymous native memory: off-heap like the mapped file, but not backed by one. */
    @State(Scope.Benchmark)
    public static class OffHeap {
        MemorySegment segment;
        private Arena arena;

        @Setup(Level.Trial)
        public void setup(Shape shape) {
            arena = Arena.ofShared();
            segment = arena.allocate(shape.n * shape.stride, 4096);
            long[] at = {0};
            JmhVectors.generate(SEED, shape.n, shape.dim, row -> {
                MemorySegment.copy(row, 0, segment, JmhVectors.FLOAT_LE, at[0], row.length);
                at[0] += shape.stride;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** The same, in anonymous memory advised {@code MADV_HUGEPAGE} (mmgraph's {@link AnonymousMemory}): 2 MiB pages. */
    @State(Scope.Benchmark)
    public static class OffHeapHuge {
        MemorySegment segment;
        private AnonymousMemory memory;

        @Setup(Level.Trial)
        public void setup(Shape shape) {
            memory = new AnonymousMemory();
            segment = memory.allocate(shape.n * shape.stride);
            long[] at = {0};
            JmhVectors.generate(SEED, shape.n, shape.dim, row -> {
                MemorySegment.copy(row, 0, segment, JmhVectors.FLOAT_LE, at[0], row.length);
                at[0] += shape.stride;
            });
            System.out.println("# off-heap huge: " + JmhVectors.pageSizes(segment));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            memory.close();
        }
    }

    /**
     * A mapped file whose pages are in the page cache. Which page sizes back it depends on how the cache was
     * filled: the file is dropped from the cache after writing, then faulted in under the hint of {@link #advice}:
     * {@code RANDOM} reads 4 KiB folios; {@code HUGEPAGE} asks for 2 MiB ones, which file systems with large folios
     * (ext4 from Linux 6.16, xfs, tmpfs with huge=) map with one entry each.
     */
    @State(Scope.Benchmark)
    public static class Mapped {
        @Param({"RANDOM", "HUGEPAGE"})
        public String advice;

        MemorySegment segment;
        private Arena arena;
        private Path file;

        @Setup(Level.Trial)
        public void setup(Shape shape) throws IOException {
            file = JmhVectors.writeFile(SEED, shape.n, shape.dim);
            NativeIO.evictFromPageCache(file.toString());
            // Shared like mmgraph's extents, which many searcher threads read.
            arena = Arena.ofShared();
            segment = JmhVectors.mapAndLoad(file, arena, AccessHint.valueOf(advice));
            System.out.println("# mapped, " + advice + ": " + JmhVectors.pageSizes(segment));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            arena.close();
            Files.deleteIfExists(file);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int sequential;
        int random;

        @Setup(Level.Trial)
        public void setup(Shape shape, ThreadParams thread) {
            // Threads start apart so that with -t > 1 they do not read the same vectors in lock step.
            long spread = (long) thread.getThreadIndex() * shape.n / Math.max(1, thread.getThreadCount());
            sequential = (int) spread;
            random = (int) ((long) thread.getThreadIndex() * ORDER_LENGTH / Math.max(1, thread.getThreadCount()));
        }

        int nextSequential(int n) {
            int i = sequential;
            sequential = i + 1 == n ? 0 : i + 1;
            return i;
        }

        int nextRandom(int[] order) {
            int i = random;
            random = (i + 1) & (ORDER_LENGTH - 1);
            return order[i];
        }
    }

    @Benchmark
    public float heapArraysRandom(Shape s, HeapArrays h, Cursor c) {
        return s.kernels.dot(s.query, h.rows[c.nextRandom(s.order)]);
    }

    @Benchmark
    public float heapArraysSequential(Shape s, HeapArrays h, Cursor c) {
        return s.kernels.dot(s.query, h.rows[c.nextSequential(s.n)]);
    }

    @Benchmark
    public float heapFlatRandom(Shape s, HeapFlat h, Cursor c) {
        return s.kernels.dot(s.query, h.segment, c.nextRandom(s.order) * s.stride);
    }

    @Benchmark
    public float heapFlatSequential(Shape s, HeapFlat h, Cursor c) {
        return s.kernels.dot(s.query, h.segment, c.nextSequential(s.n) * s.stride);
    }

    @Benchmark
    public float offHeapRandom(Shape s, OffHeap o, Cursor c) {
        return s.kernels.dot(s.query, o.segment, c.nextRandom(s.order) * s.stride);
    }

    @Benchmark
    public float offHeapSequential(Shape s, OffHeap o, Cursor c) {
        return s.kernels.dot(s.query, o.segment, c.nextSequential(s.n) * s.stride);
    }

    @Benchmark
    public float offHeapHugeRandom(Shape s, OffHeapHuge o, Cursor c) {
        return s.kernels.dot(s.query, o.segment, c.nextRandom(s.order) * s.stride);
    }

    @Benchmark
    public float mappedRandom(Shape s, Mapped m, Cursor c) {
        return s.kernels.dot(s.query, m.segment, c.nextRandom(s.order) * s.stride);
    }

    @Benchmark
    public float mappedSequential(Shape s, Mapped m, Cursor c) {
        return s.kernels.dot(s.query, m.segment, c.nextSequential(s.n) * s.stride);
    }
}
