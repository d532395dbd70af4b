package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Vector records and their checksums: the float components of ordinal {@code i} in the vectors file, and the
 * CRC32C of those bytes as entry {@code i} of the checksum file. Both are append-only: a committed record never
 * changes, so its checksum stays valid for ever.
 */
public final class VectorRecords {
    /** A component on disk: a little-endian IEEE-754 float, 4-byte aligned within its record. */
    public static final ValueLayout.OfFloat COMPONENT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);

    private final RecordFile vectors;
    private final RecordFile checksums;
    private final int dimension;

    public VectorRecords(RecordFile vectors, RecordFile checksums, int dimension) {
        this.vectors = vectors;
        this.checksums = checksums;
        this.dimension = dimension;
    }

    public static int recordBytes(int dimension) {
        return dimension * FormatConstants.COMPONENT_BYTES;
    }

    /** Writes the record and its checksum. The caller has mapped both files for {@code ordinal + 1} records. */
    public void write(long ordinal, float[] vector) {
        MemorySegment seg = vectors.segmentOf(ordinal);
        long off = vectors.offsetOf(ordinal);
        MemorySegment.copy(vector, 0, seg, COMPONENT, off, dimension);
        int crc = Crc.of(seg, off, recordBytes(dimension));
        checksums.segmentOf(ordinal).set(INT, checksums.offsetOf(ordinal), crc);
    }

    public void read(long ordinal, float[] into) {
        MemorySegment.copy(vectors.segmentOf(ordinal), COMPONENT, vectors.offsetOf(ordinal), into, 0, dimension);
    }

    /** The mapping holding the record, for distance kernels that read it in place. */
    public MemorySegment segmentOf(long ordinal) {
        return vectors.segmentOf(ordinal);
    }

    public long offsetOf(long ordinal) {
        return vectors.offsetOf(ordinal);
    }

    /** Whether the stored checksum matches the record's bytes. */
    public boolean checksumMatches(long ordinal) {
        return storedChecksum(ordinal) == computedChecksum(ordinal);
    }

    public int storedChecksum(long ordinal) {
        return checksums.segmentOf(ordinal).get(INT, checksums.offsetOf(ordinal));
    }

    public int computedChecksum(long ordinal) {
        return Crc.of(vectors.segmentOf(ordinal), vectors.offsetOf(ordinal), recordBytes(dimension));
    }

    public int dimension() {
        return dimension;
    }

    public RecordFile vectorFile() {
        return vectors;
    }

    public RecordFile checksumFile() {
        return checksums;
    }
}
