package io.mmgraph.index;

import io.mmgraph.format.CodeRecords;
import io.mmgraph.format.CodeSource;
import io.mmgraph.format.RecordFile;
import io.mmgraph.store.AnonymousMemory;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A reader's copy of the codes file in anonymous memory backed by transparent huge pages where the OS allows
 * ({@link AnonymousMemory}): the graph walk reads a code of a random node at every step, and with 4 KiB pages each
 * such read of a large codes file also misses the TLB (10 million 32-byte codes span 78,000 pages, 160 huge ones).
 *
 * <p>Codes are packed densely, {@code 2^}{@link #CHUNK_SHIFT} records per chunk (a whole number of huge pages for
 * any code size), and copied from the mapped file on demand: {@link #load} copies the records committed since the
 * last load, so that a reader that refreshes copies only what is new. A reader then drops the file's pages from the
 * page cache as far as it can ({@link io.mmgraph.format.RecordFile#dropCachedPages}): nothing of it reads them again,
 * and under a memory limit they would crowd out the lists.
 *
 * <p>Thread-safe: loads are serialized; a search reads only records loaded before it started, whose bytes a later
 * load never changes.
 */
final class CodesInMemory implements CodeSource, AutoCloseable {
    /** Records per chunk: 2 Mi, so that a chunk holds {@code codeBytes} whole huge pages. */
    static final int CHUNK_SHIFT = 21;

    private final CodeRecords codes;
    private final int codeBytes;
    private final int chunkShift;
    private final long chunkMask;
    private final AnonymousMemory memory = new AnonymousMemory();
    /**
     * A reader's copy: a load reads the (maybe cold) file ahead first, and drops its pages after, since nothing reads
     * them again. The writer's copy loads codes it has just written, resident and still its own to read.
     */
    private final boolean readerCopy;
    private volatile MemorySegment[] chunks = new MemorySegment[0];
    private volatile long loaded;

    CodesInMemory(CodeRecords codes, boolean readerCopy) {
        this(codes, CHUNK_SHIFT, readerCopy);
    }

    /** With {@code 2^chunkShift} records per chunk (tests use small chunks to cross their boundaries). */
    CodesInMemory(CodeRecords codes, int chunkShift, boolean readerCopy) {
        this.codes = codes;
        this.readerCopy = readerCopy;
        this.codeBytes = codes.codeBytes();
        this.chunkShift = chunkShift;
        this.chunkMask = (1L << chunkShift) - 1;
    }

    /** Records copied so far: those below it can be read. */
    long loaded() {
        return loaded;
    }

    /** Copies records {@code [loaded(), upTo)} from the codes file, which is mapped that far. */
    synchronized void load(long upTo) {
        long from = loaded;
        if (upTo <= from) {
            return;
        }
        int lastChunk = (int) ((upTo - 1) >>> chunkShift);
        MemorySegment[] grown = chunks;
        if (grown.length <= lastChunk) {
            grown = Arrays.copyOf(grown, lastChunk + 1);
            for (int c = chunks.length; c <= lastChunk; c++) {
                grown[c] = memory.allocate((long) codeBytes << chunkShift);
            }
        }
        RecordFile file = codes.file();
        if (readerCopy) {
            file.willNeed(from, upTo); // a cold file is read in large requests, not a fault per page (RANDOM)
        }
        int perBlock = file.layout().recordsPerBlock();
        // Records sharing a block are contiguous in the file, and consecutive ordinals are contiguous here: copy a
        // block's run at a time, cut at chunk ends too (a block's records need not divide a chunk's).
        for (long i = from; i < upTo; ) {
            long blockEnd = i - i % perBlock + perBlock;
            long chunkEnd = (i | chunkMask) + 1;
            long run = Math.min(upTo, Math.min(blockEnd, chunkEnd)) - i;
            MemorySegment.copy(file.segmentOf(i), file.offsetOf(i), grown[(int) (i >>> chunkShift)],
                    (i & chunkMask) * codeBytes, run * codeBytes);
            i += run;
        }
        chunks = grown;
        loaded = upTo;
        if (readerCopy) {
            // The walk reads the copy from now on: the file's pages would only take page cache (and a memory
            // cgroup's room) from the lists and vectors.
            file.dropCachedPages();
        }
    }

    @Override
    public MemorySegment segmentOf(long ordinal) {
        return chunks[(int) (ordinal >>> chunkShift)];
    }

    @Override
    public long offsetOf(long ordinal) {
        return (ordinal & chunkMask) * codeBytes;
    }

    @Override
    public void close() {
        memory.close();
    }
}
