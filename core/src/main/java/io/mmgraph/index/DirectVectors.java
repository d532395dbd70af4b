package io.mmgraph.index;

import io.mmgraph.format.SlotLayout;
import io.mmgraph.format.VectorRecords;
import io.mmgraph.store.DirectFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The vectors file read with direct I/O for re-ranking ({@link VectorIo#DIRECT}): a search's beam of vectors is read
 * from the disk in parallel (by a pool of {@link #IO_THREADS} platform threads, so the disk sees up to that many
 * reads at once; each thread reads into its own aligned buffer) into a bounded cache of recent vectors, bypassing the
 * page cache. The walk itself still reads lists and codes through
 * their mappings, which stay resident.
 *
 * <p>Thread-safe. The cache is direct-mapped by ordinal: a slot holds one vector and its ordinal, replaced by the
 * next vector that maps there (one lock for the whole cache: its critical sections are a copy).
 */
final class DirectVectors implements AutoCloseable {
    private final DirectFile file;
    private final SlotLayout layout;
    private final int dimension;
    private final int recordBytes;
    private final int[] keys;
    private final byte[][] slots;
    /**
     * Reads in flight at most. Platform threads, not virtual ones: a blocking file read holds its carrier, and each
     * reading thread keeps an aligned buffer, so their number must stay bounded.
     */
    static final int IO_THREADS = 32;
    private final ExecutorService readers = Executors.newFixedThreadPool(IO_THREADS,
            Thread.ofPlatform().daemon().name("mmgraph-direct-io-", 0).factory());

    /**
     * @param cacheVectors vectors kept in the cache (rounded down to a power of two, at least 1)
     */
    DirectVectors(Path vectorsFile, SlotLayout layout, int dimension, int cacheVectors) throws IOException {
        this.file = DirectFile.open(vectorsFile);
        this.layout = layout;
        this.dimension = dimension;
        this.recordBytes = VectorRecords.recordBytes(dimension);
        int entries = Integer.highestOneBit(Math.max(1, cacheVectors));
        this.keys = new int[entries];
        java.util.Arrays.fill(keys, -1);
        this.slots = new byte[entries][];
    }

    /**
     * Copies the records (the vectors' little-endian bytes, as in the file) of {@code nodes[0..count)} into
     * {@code into[0..count)} (arrays of the record size), reading the ones not cached from the disk in parallel.
     */
    void read(int[] nodes, int count, byte[][] into) throws IOException {
        Future<?>[] pending = new Future<?>[count];
        for (int i = 0; i < count; i++) {
            if (!fromCache(nodes[i], into[i])) {
                int node = nodes[i];
                byte[] out = into[i];
                pending[i] = readers.submit(() -> {
                    load(node, out);
                    return null;
                });
            }
        }
        for (Future<?> f : pending) {
            if (f == null) {
                continue;
            }
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading vectors");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(cause);
            }
        }
    }

    private int slotOf(int node) {
        return (node * 0x9E3779B9 >>> 8) & (keys.length - 1);
    }

    private boolean fromCache(int node, byte[] out) {
        int slot = slotOf(node);
        synchronized (slots) {
            if (keys[slot] != node) {
                return false;
            }
            System.arraycopy(slots[slot], 0, out, 0, recordBytes);
            return true;
        }
    }

    /** Reads one record from the disk into {@code out} and caches a copy. */
    private void load(int node, byte[] out) throws IOException {
        file.read(layout.fileOffset(node), recordBytes, out, 0);
        int slot = slotOf(node);
        byte[] copy = out.clone();
        synchronized (slots) {
            keys[slot] = node;
            slots[slot] = copy;
        }
    }

    int recordBytes() {
        return recordBytes;
    }

    @Override
    public void close() throws IOException {
        readers.shutdownNow();
        file.close();
    }
}
