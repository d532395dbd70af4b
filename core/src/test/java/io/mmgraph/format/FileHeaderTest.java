package io.mmgraph.format;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header every data file starts with: identifies the file, its index and its layout. */
class FileHeaderTest {
    private static final Path FILE = Path.of("idx", FileKind.VECTORS.fileName());
    private static final long INDEX_ID = 0x5EED_F00D_CAFE_BABEL;
    private static final SlotLayout LAYOUT = IndexFiles.layout(FileKind.VECTORS, 100, 30, 64);

    private static FileHeader header() {
        return FileHeader.of(FileKind.VECTORS, LAYOUT, INDEX_ID, 100, 30);
    }

    /** A copy of the prologue with an int field changed, the header checksum optionally recomputed. */
    private static ByteBuffer withInt(int offset, int value, boolean fixCrc) {
        ByteBuffer b = header().encodePrologue();
        b.putInt(offset, value);
        if (fixCrc) {
            b.putInt(FileHeader.OFF_CRC, Crc.of(b.array(), 0, FileHeader.OFF_CRC));
        }
        return b;
    }

    @Test
    void roundTrip() throws IOException {
        for (FileKind kind : IndexFiles.kinds(0)) {
            SlotLayout layout = IndexFiles.layout(kind, 100, 30, 64);
            FileHeader h = FileHeader.of(kind, layout, INDEX_ID, 100, 30);
            ByteBuffer prologue = h.encodePrologue();
            assertEquals(FormatConstants.PROLOGUE_BYTES, prologue.remaining());
            for (int i = FormatConstants.BLOCK_SIZE; i < prologue.limit(); i++) {
                assertEquals(0, prologue.get(i), "prologue padding byte " + i);
            }
            FileHeader back = FileHeader.decode(FILE, prologue);
            assertEquals(h, back);
            // Decoding needs only the header block.
            assertEquals(h, FileHeader.decode(FILE, prologue.slice(0, FormatConstants.BLOCK_SIZE)));
            assertDoesNotThrow(() -> back.expect(FILE, kind, INDEX_ID, layout));
        }
    }

    @Test
    void wrongKindIsCorrupt() throws IOException {
        FileHeader h = FileHeader.decode(FILE, header().encodePrologue());
        CorruptIndexException e = assertThrows(CorruptIndexException.class,
                () -> h.expect(FILE, FileKind.NEIGHBOR_LISTS, INDEX_ID, LAYOUT));
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().contains("VECTORS") && e.getMessage().contains("NEIGHBOR_LISTS"), e.getMessage());
    }

    @Test
    void wrongIndexIdIsCorrupt() throws IOException {
        FileHeader h = FileHeader.decode(FILE, header().encodePrologue());
        CorruptIndexException e = assertThrows(CorruptIndexException.class,
                () -> h.expect(FILE, FileKind.VECTORS, INDEX_ID + 1, LAYOUT));
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("%016x", INDEX_ID)), e.getMessage());
    }

    @Test
    void wrongLayoutIsCorrupt() throws IOException {
        FileHeader h = FileHeader.decode(FILE, header().encodePrologue());
        assertThrows(CorruptIndexException.class,
                () -> h.expect(FILE, FileKind.VECTORS, INDEX_ID, IndexFiles.layout(FileKind.VECTORS, 101, 30, 64)));
        assertThrows(CorruptIndexException.class,
                () -> h.expect(FILE, FileKind.VECTORS, INDEX_ID, IndexFiles.layout(FileKind.VECTORS, 100, 30, 100_000)));
    }

    @Test
    void damagedHeadersAreCorrupt() {
        // Magic.
        assertEquals(FILE, assertThrows(CorruptIndexException.class,
                () -> FileHeader.decode(FILE, withInt(0, 0x12345678, true))).file());
        // Any field changed without its checksum.
        for (int at : new int[] {8, 12, 16, 20, 24, 32, 36, 40, 44, 48, 2000, 4091}) {
            ByteBuffer b = header().encodePrologue();
            b.put(at, (byte) (b.get(at) ^ 0x40));
            assertThrows(CorruptIndexException.class, () -> FileHeader.decode(FILE, b), "byte " + at);
        }
        // The checksum itself.
        ByteBuffer b = header().encodePrologue();
        b.put(FileHeader.OFF_CRC, (byte) (b.get(FileHeader.OFF_CRC) ^ 1));
        assertThrows(CorruptIndexException.class, () -> FileHeader.decode(FILE, b));
        // Fields the checksum vouches for but the format forbids.
        assertThrows(CorruptIndexException.class, () -> FileHeader.decode(FILE, withInt(8, 99, true)));
        assertThrows(CorruptIndexException.class, () -> FileHeader.decode(FILE, withInt(32, 4096, true)));
    }

    @Test
    void versions() {
        IndexFormatTooNewException newer = assertThrows(IndexFormatTooNewException.class,
                () -> FileHeader.decode(FILE, withInt(4, FormatConstants.FORMAT_VERSION + 1, false)));
        assertEquals(FormatConstants.FORMAT_VERSION + 1, newer.version());
        assertTrue(newer.getMessage().contains(FILE.toString()));
        assertThrows(IndexFormatTooNewException.class,
                () -> FileHeader.decode(FILE, withInt(4, FormatConstants.FORMAT_VERSION + 1, true)));
        assertThrows(IndexFormatTooOldException.class,
                () -> FileHeader.decode(FILE, withInt(4, FormatConstants.MIN_FORMAT_VERSION - 1, true)));
    }

    @Test
    void shortHeaderIsTruncated() {
        for (int len : new int[] {0, 1, 48, 4095}) {
            TruncatedIndexException e = assertThrows(TruncatedIndexException.class,
                    () -> FileHeader.decode(FILE, header().encodePrologue().slice(0, len)));
            assertEquals(len, e.actualBytes());
            assertEquals(FILE, e.file());
        }
    }
}
