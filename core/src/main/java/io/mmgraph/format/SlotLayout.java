package io.mmgraph.format;

/**
 * Where the record of an ordinal lives in a file of fixed-size records: computed from the ordinal, with no
 * indirection table in memory (DESIGN.md §2).
 *
 * <p>Records no larger than a {@link FormatConstants#BLOCK_SIZE block} are packed {@code 4096 / recordBytes} to a
 * block and never straddle one (the rest of each block is zero padding); larger records start on a block boundary
 * and occupy whole blocks. Blocks are grouped into extents of {@code extentBytes}, a multiple of
 * {@link FormatConstants#MAP_ALIGNMENT}, each mapped once; the first extent starts after the
 * {@link FormatConstants#PROLOGUE_BYTES prologue}.
 */
public final class SlotLayout {
    private final int recordBytes;
    private final int unitBytes;
    private final int recordsPerUnit;
    private final long extentBytes;
    private final int recordsPerExtent;
    private final int extentShift;
    private final boolean dense;

    /**
     * @param recordBytes bytes of one record
     * @param extentSlots at least this many records fit in one extent
     */
    public SlotLayout(int recordBytes, int extentSlots) {
        if (recordBytes <= 0 || extentSlots <= 0) {
            throw new IllegalArgumentException("recordBytes=" + recordBytes + " extentSlots=" + extentSlots);
        }
        this.recordBytes = recordBytes;
        int block = FormatConstants.BLOCK_SIZE;
        this.unitBytes = recordBytes <= block ? block : roundUp(recordBytes, block);
        this.recordsPerUnit = recordBytes <= block ? block / recordBytes : 1;
        long units = (extentSlots + (long) recordsPerUnit - 1) / recordsPerUnit;
        this.extentBytes = roundUp(units * unitBytes, FormatConstants.MAP_ALIGNMENT);
        long perExtent = (extentBytes / unitBytes) * recordsPerUnit;
        if (perExtent > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("extent of " + extentBytes + " bytes holds too many records");
        }
        this.recordsPerExtent = (int) perExtent;
        // Fast paths for the hot lookup: no division when the extent holds a power of two of records, and no
        // block arithmetic when records fill their blocks exactly (128-d vectors: 512 B, 8 per block).
        this.extentShift = Integer.bitCount(recordsPerExtent) == 1 ? Integer.numberOfTrailingZeros(recordsPerExtent) : -1;
        this.dense = (long) recordsPerUnit * recordBytes == unitBytes;
    }

    public int recordBytes() {
        return recordBytes;
    }

    /** Records that share a block (1 for records larger than a block): consecutive ordinals, contiguous bytes. */
    public int recordsPerBlock() {
        return recordsPerUnit;
    }

    public long extentBytes() {
        return extentBytes;
    }

    public int recordsPerExtent() {
        return recordsPerExtent;
    }

    public int extentOf(long ordinal) {
        return extentShift >= 0 ? (int) (ordinal >>> extentShift) : (int) (ordinal / recordsPerExtent);
    }

    /** Offset of the record within its extent's mapping. */
    public long offsetInExtent(long ordinal) {
        int i = extentShift >= 0 ? (int) (ordinal & (recordsPerExtent - 1)) : (int) (ordinal % recordsPerExtent);
        if (dense) {
            return (long) i * recordBytes;
        }
        return (long) (i / recordsPerUnit) * unitBytes + (long) (i % recordsPerUnit) * recordBytes;
    }

    /** Offset of the record in the file. */
    public long fileOffset(long ordinal) {
        return extentStart(extentOf(ordinal)) + offsetInExtent(ordinal);
    }

    /** File offset at which extent {@code e} begins. */
    public long extentStart(int extent) {
        return FormatConstants.PROLOGUE_BYTES + extent * extentBytes;
    }

    /** Extents needed to hold {@code count} records. */
    public int extentsFor(long count) {
        return (int) ((count + recordsPerExtent - 1) / recordsPerExtent);
    }

    /** The committed length of a file holding {@code count} records: the end of the last record. */
    public long lengthFor(long count) {
        return count == 0 ? FormatConstants.PROLOGUE_BYTES : fileOffset(count - 1) + recordBytes;
    }

    /** Records that fit in one block-sized unit; the unit's tail past them is padding. */
    public int recordsPerUnit() {
        return recordsPerUnit;
    }

    public int unitBytes() {
        return unitBytes;
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    private static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    @Override
    public String toString() {
        return "SlotLayout[recordBytes=" + recordBytes + ", perBlock=" + recordsPerUnit + ", extentBytes="
                + extentBytes + ", recordsPerExtent=" + recordsPerExtent + "]";
    }
}
