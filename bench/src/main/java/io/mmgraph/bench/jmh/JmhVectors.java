package io.mmgraph.bench.jmh;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Data for the JMH benchmarks: seeded random rows (the same rows for the heap and the mapped copies) and a file of
 * little-endian floats mapped the way mmgraph maps its extents.
 */
final class JmhVectors {
    private JmhVectors() {}

    /** How mmgraph stores floats, whatever the platform's order. */
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Directory for the mapped files; {@code -Dmmgraph.jmh.dir=...} to put them on the disk under test. */
    static Path dataDir() {
        return Path.of(System.getProperty("mmgraph.jmh.dir", System.getProperty("java.io.tmpdir")));
    }

    /** Hands {@code n} rows of {@code dim} uniform floats in [-1, 1) to {@code sink}, in order; the array is reused. */
    static void generate(long seed, int n, int dim, Consumer<float[]> sink) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] row = new float[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                row[j] = random.nextFloat() * 2f - 1f;
            }
            sink.accept(row);
        }
    }

    static float[] randomVector(long seed, int dim) {
        float[] v = new float[dim];
        generate(seed, 1, dim, row -> System.arraycopy(row, 0, v, 0, dim));
        return v;
    }

    static float[][] rows(long seed, int n, int dim) {
        float[][] rows = new float[n][];
        int[] next = {0};
        generate(seed, n, dim, row -> rows[next[0]++] = row.clone());
        return rows;
    }

    static float[] flat(long seed, int n, int dim) {
        float[] flat = new float[Math.multiplyExact(n, dim)];
        int[] next = {0};
        generate(seed, n, dim, row -> {
            System.arraycopy(row, 0, flat, next[0], dim);
            next[0] += dim;
        });
        return flat;
    }

    /** Writes the rows of {@code generate(seed, n, dim)} to a new temporary file. */
    static Path writeFile(long seed, int n, int dim) throws IOException {
        Path path = Files.createTempFile(dataDir(), "mmgraph-jmh-", ".f32");
        path.toFile().deleteOnExit();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            generate(seed, n, dim, row -> {
                if (buffer.remaining() < row.length * Float.BYTES) {
                    drain(channel, buffer);
                }
                buffer.asFloatBuffer().put(row);
                buffer.position(buffer.position() + row.length * Float.BYTES);
            });
            drain(channel, buffer);
            // Written back now, so no writeback I/O runs during the measurement.
            channel.force(false);
        }
        return path;
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        buffer.clear();
    }

    /**
     * Maps the whole file read-only into {@code arena} and touches every page, so the measurement sees a warm page
     * cache and populated page tables rather than first-touch faults.
     */
    static MemorySegment mapAndLoad(Path path, Arena arena) throws IOException {
        return mapAndLoad(path, arena, null);
    }

    /** Maps the file, gives the mapping {@code advice} (when not null) before any fault, then loads every page. */
    static MemorySegment mapAndLoad(Path path, Arena arena, io.mmgraph.store.AccessHint advice) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            if (advice == null) {
                segment.load();
                return segment;
            }
            // One fault per page, in order, under the hint (load() would read ahead on its own terms first).
            io.mmgraph.store.NativeIO.madvise(segment, advice);
            long sum = 0;
            for (long at = 0; at < segment.byteSize(); at += io.mmgraph.store.NativeIO.PAGE_SIZE) {
                sum += segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at);
            }
            if (sum == Long.MIN_VALUE) {
                System.out.println(sum); // keeps the loads
            }
            return segment;
        }
    }

    /**
     * How the kernel backs the mapping holding {@code segment}: its resident kB and the kB mapped by 2 MiB entries
     * (/proc/self/smaps; "unknown" off Linux).
     */
    static String pageSizes(MemorySegment segment) {
        try {
            boolean inside = false;
            StringBuilder out = new StringBuilder();
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    String[] range = line.split(" ", 2)[0].split("-");
                    long from = Long.parseUnsignedLong(range[0], 16);
                    long to = Long.parseUnsignedLong(range[1], 16);
                    inside = from <= segment.address() && segment.address() < to;
                } else if (inside && (line.startsWith("Rss:") || line.startsWith("AnonHugePages:")
                        || line.startsWith("FilePmdMapped:"))) {
                    out.append(line.replaceAll("\\s+", " ")).append("; ");
                }
            }
            return out.isEmpty() ? "unknown" : out.toString();
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** Which implementation Lucene's VectorUtil picked (it only logs it), for the benchmark output. */
    static String luceneVectorUtilImpl() {
        try {
            var field = org.apache.lucene.util.VectorUtil.class.getDeclaredField("IMPL");
            field.setAccessible(true);
            return field.get(null).getClass().getSimpleName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }
}
