package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The deletes file's records: record {@code i} is the {@code i}-th deletion, {@link FormatConstants#DELETE_RECORD_BYTES}
 * bytes holding the deleted ordinal (int32) and the CRC32C of those four bytes. Append-only: a commit counts the
 * records it covers ({@link Manifest#deleteCount()}), and bytes past them belong to no commit.
 *
 * <p>Each record carries its own checksum rather than one in a side file as vectors do: a record is a single int,
 * and a deletion read wrongly would hide a vector from every search.
 */
public final class DeleteRecords {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);

    private final RecordFile file;

    public DeleteRecords(RecordFile file) {
        this.file = file;
    }

    /** Stores deletion {@code index} of {@code ordinal}; the caller has mapped the file for {@code index + 1} records. */
    public void write(long index, int ordinal) {
        MemorySegment seg = file.segmentOf(index);
        long at = file.offsetOf(index);
        seg.set(INT, at, ordinal);
        seg.set(INT, at + Integer.BYTES, Crc.of(seg, at, Integer.BYTES));
    }

    /**
     * The ordinal of deletion {@code index}, or -1 when the record does not match its checksum (a damaged record; the
     * caller names the error).
     */
    public int read(long index) {
        MemorySegment seg = file.segmentOf(index);
        long at = file.offsetOf(index);
        int ordinal = seg.get(INT, at);
        return Crc.of(seg, at, Integer.BYTES) == seg.get(INT, at + Integer.BYTES) ? ordinal : -1;
    }

    /** Maps (the writer: reserves and maps) the extents that hold {@code count} records. */
    public void mapFor(long count) throws java.io.IOException {
        file.mapFor(count);
    }

    public RecordFile file() {
        return file;
    }
}
