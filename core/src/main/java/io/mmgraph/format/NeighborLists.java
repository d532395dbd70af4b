package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Neighbour-list records, rewritten in place as the graph changes. A record of {@code 4 * (R + 2)} bytes:
 * <pre>
 *   0       int  count          0..R
 *   4       int  ids[R]         ids[0..count) are neighbours; the rest are zero
 *   4+4R    int  CRC32C of bytes [0, 4 + 4R)
 * </pre>
 *
 * <p>Consistency (docs/design.md, "Neighbour-list consistency"; DESIGN.md §4): lists are sanitized, not logged.
 * <ol>
 *   <li>Every int is written and read with a single aligned 4-byte access, so a reader racing a rewrite sees, for
 *       each slot, either the old or the new id — never a torn id. The count is clamped to R on read.</li>
 *   <li>A reader drops every id at or above the count it may see (its committed count), so a list written by an
 *       uncommitted insert, or half-rewritten, can only lead it to committed nodes.</li>
 *   <li>The checksum is rewritten with the list. After an unclean shutdown, recovery drops ids at or above the
 *       committed count and recomputes every committed list's checksum before the writer goes on.</li>
 * </ol>
 * Thread-safety: one writer per record at a time (the caller's lock); readers from any thread, any process.
 */
public final class NeighborLists {
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(FormatConstants.BYTE_ORDER);
    /** Heap byte arrays are only byte-aligned. */
    private static final ValueLayout.OfInt INT_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);

    private final RecordFile file;
    private final int maxDegree;
    private final int crcOffset;
    private final ThreadLocal<byte[]> scratch;

    public NeighborLists(RecordFile file, int maxDegree) {
        this.file = file;
        this.maxDegree = maxDegree;
        this.crcOffset = Integer.BYTES * (maxDegree + 1);
        this.scratch = ThreadLocal.withInitial(() -> new byte[crcOffset]);
    }

    public static int recordBytes(int maxDegree) {
        return Integer.BYTES * (maxDegree + 2);
    }

    public int maxDegree() {
        return maxDegree;
    }

    /**
     * Writes a list of {@code count} ids, zero-fills the unused slots, then the count, then the checksum — each
     * slot one aligned int store (invariant 1). The checksum is computed over a heap image of the record, not by
     * reading the mapping back.
     */
    public void write(long ordinal, int[] ids, int count) {
        if (count < 0 || count > maxDegree) {
            throw new IllegalArgumentException("count=" + count + " maxDegree=" + maxDegree);
        }
        MemorySegment image = MemorySegment.ofArray(scratch.get());
        MemorySegment seg = file.segmentOf(ordinal);
        long off = file.offsetOf(ordinal);
        for (int i = 0; i < maxDegree; i++) {
            int id = i < count ? ids[i] : 0;
            image.set(INT_UNALIGNED, Integer.BYTES * (1 + i), id);
            seg.set(INT, off + Integer.BYTES * (1 + i), id);
        }
        image.set(INT_UNALIGNED, 0, count);
        seg.set(INT, off, count);
        seg.set(INT, off + crcOffset, Crc.of(scratch.get(), 0, crcOffset));
    }

    /**
     * Copies into {@code into} the ids of {@code ordinal}'s list that are below {@code limit} (invariant 2) and
     * returns how many. {@code into} holds at least R ids.
     */
    public int read(long ordinal, int[] into, long limit) {
        MemorySegment seg = file.segmentOf(ordinal);
        long off = file.offsetOf(ordinal);
        int count = Math.min(Math.max(seg.get(INT, off), 0), maxDegree);
        int n = 0;
        for (int i = 0; i < count; i++) {
            int id = seg.get(INT, off + Integer.BYTES * (1 + i));
            if (id >= 0 && id < limit) {
                into[n++] = id;
            }
        }
        return n;
    }

    /** The raw count field, unclamped (for verification). */
    public int rawCount(long ordinal) {
        return file.segmentOf(ordinal).get(INT, file.offsetOf(ordinal));
    }

    /** The raw id in slot {@code i}, for verification. */
    public int rawId(long ordinal, int i) {
        return file.segmentOf(ordinal).get(INT, file.offsetOf(ordinal) + Integer.BYTES * (1 + i));
    }

    public boolean checksumMatches(long ordinal) {
        MemorySegment seg = file.segmentOf(ordinal);
        long off = file.offsetOf(ordinal);
        return seg.get(INT, off + crcOffset) == Crc.of(seg, off, crcOffset);
    }

    /**
     * Recovery (invariant 3): rewrites the list keeping only ids in {@code [0, limit)} other than the node itself,
     * with a fresh checksum. Returns whether the record changed.
     */
    public boolean sanitize(long ordinal, long limit, int[] scratch) {
        MemorySegment seg = file.segmentOf(ordinal);
        long off = file.offsetOf(ordinal);
        int rawCount = seg.get(INT, off);
        int n = 0;
        int count = Math.min(Math.max(rawCount, 0), maxDegree);
        for (int i = 0; i < count; i++) {
            int id = seg.get(INT, off + Integer.BYTES * (1 + i));
            if (id >= 0 && id < limit && id != ordinal) {
                scratch[n++] = id;
            }
        }
        boolean unchanged = n == rawCount && checksumMatches(ordinal) && unusedSlotsZero(seg, off, n);
        if (!unchanged) {
            write(ordinal, scratch, n);
        }
        return !unchanged;
    }

    private boolean unusedSlotsZero(MemorySegment seg, long off, int count) {
        for (int i = count; i < maxDegree; i++) {
            if (seg.get(INT, off + Integer.BYTES * (1 + i)) != 0) {
                return false;
            }
        }
        return true;
    }

    public RecordFile file() {
        return file;
    }
}
