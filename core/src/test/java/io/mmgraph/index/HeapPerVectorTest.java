package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index keeps no heap per vector: vectors, neighbour lists and checksums live in the mapped files, and the
 * per-thread search and insert state is sized by L and R, not by N (docs/design.md). So the heap in use after 4N
 * inserts is the heap after N plus a constant. Measured as the used heap after full collections
 * ({@link MemoryMXBean}), N = 20,000 → 80,000 16-d vectors: a bound of 2 MB fails for anything near 64 bytes kept
 * per vector (60,000 × 64 B = 3.8 MB), let alone a heap copy of the vectors (64 B each at 16-d) or of the
 * lists (72 B each at R = 16).
 */
class HeapPerVectorTest {
    static final int DIM = 16;
    static final int N = 20_000;
    static final int CHUNK = 4000;
    static final long BOUND_BYTES = 2L << 20;

    @TempDir
    Path tmp;

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(30);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Adds vectors [from, to) in chunks with 2 threads, then searches a little from this thread. */
    private static void grow(MMapGraph g, long seed, int from, int to) throws Exception {
        for (int start = from; start < to; start += CHUNK) {
            List<float[]> chunk = new ArrayList<>(CHUNK);
            for (int i = start; i < Math.min(to, start + CHUNK); i++) {
                chunk.add(TestVectors.vector(seed, i, DIM));
            }
            assertEquals(start, g.addAll(chunk, 2));
        }
        for (int q = 0; q < 200; q++) {
            g.search(TestVectors.vector(seed ^ 1, q, DIM), SearchOptions.k(10).withEf(50 + q));
        }
        g.sync();
    }

    @Test
    void heapDoesNotGrowWithTheNumberOfVectors() throws Exception {
        long seed = TestSeeds.seed("HeapPerVectorTest.heapDoesNotGrowWithTheNumberOfVectors");
        // A small R and build L keep the build quick; the heap per vector does not depend on them.
        try (MMapGraph g = MMapGraph.create(tmp.resolve("idx"),
                IndexOptions.dimension(DIM).withMaxDegree(16).withBuildBeamWidth(32))) {
            // Warm-up: classes, thread-locals, the first extents, the JIT's first tiers.
            grow(g, seed, 0, N);
            long atN = usedHeapAfterGc();
            grow(g, seed, N, 4 * N);
            long at4N = usedHeapAfterGc();
            assertEquals(4 * N, g.size());
            long growth = at4N - atN;
            double perVector = (double) growth / (3 * N);
            System.out.printf("heap used after GC: %,d B at %,d vectors, %,d B at %,d vectors; growth %,d B "
                    + "= %.2f B per added vector (bound %,d B = %.1f B per vector)%n", atN, N, at4N, 4 * N, growth,
                    perVector, BOUND_BYTES, (double) BOUND_BYTES / (3 * N));
            assertTrue(growth < BOUND_BYTES, "heap grew by " + growth + " B over " + 3 * N + " inserts ("
                    + perVector + " B per vector)");
        }
    }
}
