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
    private final ThreadLocal<byte[]> scratch;

    public VectorRecords(RecordFile vectors, RecordFile checksums, int dimension) {
        this.vectors = vectors;
        this.checksums = checksums;
        this.dimension = dimension;
        this.scratch = ThreadLocal.withInitial(() -> new byte[recordBytes(dimension)]);
    }

    public static int recordBytes(int dimension) {
        return dimension * FormatConstants.COMPONENT_BYTES;
    }

    /**
     * Writes the record and its checksum. The caller has mapped both files for {@code ordinal + 1} records.
     * The record is laid out little-endian in a per-thread heap buffer first, so the checksum is computed without
     * reading the mapping back, and the mapping receives one bulk copy.
     */
    public void write(long ordinal, float[] vector) {
        byte[] bytes = scratch.get();
        MemorySegment heap = MemorySegment.ofArray(bytes);
        MemorySegment.copy(vector, 0, heap, COMPONENT, 0, dimension);
        MemorySegment.copy(heap, 0, vectors.segmentOf(ordinal), vectors.offsetOf(ordinal), bytes.length);
        checksums.segmentOf(ordinal).set(INT, checksums.offsetOf(ordinal), Crc.of(bytes, 0, bytes.length));
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
