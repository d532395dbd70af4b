package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The keys file's records: record {@code i} says where ordinal {@code i}'s id and payload lie in the docs file
 * ({@link DocRecords}). Append-only, one per ordinal, written with the vector; a commit covers as many as vectors.
 *
 * <pre>
 *   0  long  docOffset      byte of the docs file where the id starts; the payload follows it
 *   8  long  keyHash        {@link KeyHash} of the id's bytes (0 without an id)
 *  16  int   keyLength      UTF-8 bytes of the id; 0: the ordinal has no id (added by ordinal only)
 *  20  int   payloadLength  UTF-8 bytes of the payload (JSON text); 0: none
 *  24  int   dataCrc        CRC32C of the id's bytes followed by the payload's
 *  28  int   recordCrc      CRC32C of bytes [0, 28)
 * </pre>
 * A record of 32 zero bytes is valid and means neither id nor payload: what an index upgraded from format 3 holds
 * for the ordinals it had (fresh extents read as zeros, so an upgrade writes nothing per ordinal).
 *
 * <p>Every record after the upgrade's zeros carries {@code docOffset} = the end of the previous ordinal's bytes, so
 * the docs file's committed length follows from the last committed record alone.
 */
public final class KeyRecords {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(FormatConstants.BYTE_ORDER);
    private static final int OFF_KEY_HASH = 8;
    private static final int OFF_KEY_LENGTH = 16;
    private static final int OFF_PAYLOAD_LENGTH = 20;
    private static final int OFF_DATA_CRC = 24;
    private static final int OFF_RECORD_CRC = 28;

    /** One decoded record. */
    public record Key(long docOffset, long keyHash, int keyLength, int payloadLength, int dataCrc) {
        /** The record of an ordinal with neither id nor payload whose bytes would start at {@code docOffset}. */
        public static Key none(long docOffset) {
            return new Key(docOffset, 0, 0, 0, 0);
        }

        public boolean hasKey() {
            return keyLength > 0;
        }

        /** Where the next ordinal's bytes start. */
        public long docEnd() {
            return docOffset + keyLength + payloadLength;
        }
    }

    private final RecordFile file;

    public KeyRecords(RecordFile file) {
        this.file = file;
    }

    /** Stores ordinal {@code ordinal}'s record; the caller has mapped the file for {@code ordinal + 1} records. */
    public void write(long ordinal, Key key) {
        MemorySegment seg = file.segmentOf(ordinal);
        long at = file.offsetOf(ordinal);
        seg.set(LONG, at, key.docOffset());
        seg.set(LONG, at + OFF_KEY_HASH, key.keyHash());
        seg.set(INT, at + OFF_KEY_LENGTH, key.keyLength());
        seg.set(INT, at + OFF_PAYLOAD_LENGTH, key.payloadLength());
        seg.set(INT, at + OFF_DATA_CRC, key.dataCrc());
        seg.set(INT, at + OFF_RECORD_CRC, Crc.of(seg, at, OFF_RECORD_CRC));
    }

    /**
     * Ordinal {@code ordinal}'s record, or null when it does not match its checksum or its lengths are out of range
     * (damage; the caller names the error). A record of zeros reads as {@link Key#none none} at offset 0.
     */
    public Key read(long ordinal) {
        MemorySegment seg = file.segmentOf(ordinal);
        long at = file.offsetOf(ordinal);
        long offset = seg.get(LONG, at);
        long hash = seg.get(LONG, at + OFF_KEY_HASH);
        int keyLength = seg.get(INT, at + OFF_KEY_LENGTH);
        int payloadLength = seg.get(INT, at + OFF_PAYLOAD_LENGTH);
        int dataCrc = seg.get(INT, at + OFF_DATA_CRC);
        int recordCrc = seg.get(INT, at + OFF_RECORD_CRC);
        if (offset == 0 && hash == 0 && keyLength == 0 && payloadLength == 0 && dataCrc == 0 && recordCrc == 0) {
            return Key.none(0);
        }
        if (recordCrc != Crc.of(seg, at, OFF_RECORD_CRC) || offset < 0 || keyLength < 0
                || keyLength > FormatConstants.MAX_KEY_BYTES || payloadLength < 0
                || payloadLength > FormatConstants.MAX_PAYLOAD_BYTES) {
            return null;
        }
        return new Key(offset, hash, keyLength, payloadLength, dataCrc);
    }

    public RecordFile file() {
        return file;
    }
}
