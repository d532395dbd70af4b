package io.mmgraph.format;

import io.mmgraph.TestSeeds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One manifest page: encoding, decoding, and the version checks that keep a newer index from looking damaged. */
class ManifestTest {
    static final Path FILE = Path.of("some-index", FormatConstants.MANIFEST_FILE);

    /** A format 4 manifest: 7 deletions, keys and 1,000 bytes of ids and payloads. */
    static Manifest sample(long sequence) {
        Map<FileKind, Long> lengths = new EnumMap<>(sampleV3(sequence).committedLengths());
        lengths.put(FileKind.KEYS, 65_536L + 32 * 613);
        lengths.put(FileKind.DOCS, 65_536L + 1000);
        return new Manifest(sequence, 0x0123_4567_89AB_CDEFL, 100, 2, 30, Manifest.State.OPEN, 613, 64, 17, 100, 1.2f,
                lengths, 0, 0, 0, 0, 7, 1000);
    }

    /** A format 3 manifest: with a deletes file and 7 deletions, no keys. */
    static Manifest sampleV3(long sequence) {
        Map<FileKind, Long> lengths = new EnumMap<>(sampleV2(sequence).committedLengths());
        lengths.put(FileKind.DELETES, 65_536L + 8 * 7);
        return new Manifest(sequence, 0x0123_4567_89AB_CDEFL, 100, 2, 30, Manifest.State.OPEN, 613, 64, 17, 100, 1.2f,
                lengths, 0, 0, 0, 0, 7);
    }

    /** A manifest without a deletes file, which is written as format 2. */
    static Manifest sampleV2(long sequence) {
        Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
        lengths.put(FileKind.VECTORS, 123_456L);
        lengths.put(FileKind.VECTOR_CHECKSUMS, 70_000L);
        lengths.put(FileKind.NEIGHBOR_LISTS, 99_999_999_999L);
        return new Manifest(sequence, 0x0123_4567_89AB_CDEFL, 100, 2, 30, Manifest.State.OPEN, 613, 64, 17, 100, 1.2f,
                lengths);
    }

    /** Sets an int field of an encoded page, optionally recomputing the page checksum so only the field is wrong. */
    static ByteBuffer withInt(ByteBuffer page, int offset, int value, boolean fixCrc) {
        ByteBuffer b = ByteBuffer.allocate(page.capacity()).order(FormatConstants.BYTE_ORDER);
        b.put(0, page.duplicate().clear(), 0, page.capacity());
        b.putInt(offset, value);
        if (fixCrc) {
            b.putInt(Manifest.OFF_CRC, Crc.of(b.array(), 0, Manifest.OFF_CRC));
        }
        return b;
    }

    @Test
    void roundTrip() throws IOException {
        Manifest m = sample(42);
        ByteBuffer page = m.encode();
        assertEquals(FormatConstants.MANIFEST_PAGE_BYTES, page.remaining());
        assertEquals(m, Manifest.decode(FILE, page));
    }

    @Test
    void randomRoundTrips() throws IOException {
        Random r = TestSeeds.random("ManifestTest.randomRoundTrips");
        for (int i = 0; i < 500; i++) {
            int dimension = 1 + r.nextInt(FormatConstants.MAX_DIMENSION);
            int codeBytes = r.nextBoolean() ? 0 : 1 + r.nextInt(dimension);
            Map<FileKind, Long> lengths = new EnumMap<>(FileKind.class);
            for (FileKind k : IndexFiles.kinds(codeBytes)) {
                lengths.put(k, r.nextLong() >>> 1);
            }
            int count = r.nextInt(Integer.MAX_VALUE);
            long coded = codeBytes > 0 && r.nextBoolean() ? count : 0;
            Manifest m = new Manifest(r.nextLong() >>> 1, r.nextLong(), dimension,
                    1 + r.nextInt(3), 1 + r.nextInt(FormatConstants.MAX_DEGREE),
                    r.nextBoolean() ? Manifest.State.CLEAN : Manifest.State.OPEN, count,
                    1 + r.nextInt(1 << 20), count == 0 ? -1 : r.nextInt(count), 1 + r.nextInt(1000),
                    1f + r.nextFloat(), lengths, codeBytes, coded, coded > 0 ? r.nextInt() : 0,
                    codeBytes > 0 ? 1 + r.nextInt(1 << 20) : 0);
            Manifest back = Manifest.decode(FILE, m.encode());
            assertEquals(m, back);
            assertEquals(m.sequence() & 1, back.pageIndex());
        }
    }

    @Test
    void nextIncrementsSequenceAndKeepsIdentity() {
        Manifest m = sample(7);
        Manifest n = m.next(Manifest.State.CLEAN, 700, m.committedLengths());
        assertEquals(8, n.sequence());
        assertEquals(m.indexId(), n.indexId());
        assertEquals(700, n.committedCount());
        assertEquals(Manifest.State.CLEAN, n.state());
        assertEquals(1, m.pageIndex());
        assertEquals(0, n.pageIndex());
    }

    @Test
    void anEmptyOrDamagedPageIsNotAManifest() throws IOException {
        assertNull(Manifest.decode(FILE, ByteBuffer.allocate(FormatConstants.MANIFEST_PAGE_BYTES)));
        assertNull(Manifest.decode(FILE, ByteBuffer.allocate(100)), "a short page");
        ByteBuffer page = sample(3).encode();
        for (int at = 0; at < FormatConstants.MANIFEST_PAGE_BYTES; at += 97) {
            ByteBuffer b = withInt(page, 0, page.getInt(0), false);
            b.put(at, (byte) (b.get(at) ^ 0x10));
            if (at >= Manifest.OFF_VERSION && at < Manifest.OFF_VERSION + 4) {
                continue; // a damaged version field can read as "too new": covered below
            }
            assertNull(Manifest.decode(FILE, b), "flipped byte " + at);
        }
    }

    @Test
    void newerVersionIsTooNewWithOrWithoutAValidChecksum() {
        ByteBuffer page = sample(3).encode();
        for (boolean fixCrc : new boolean[] {true, false}) {
            ByteBuffer newer = withInt(page, Manifest.OFF_VERSION, FormatConstants.FORMAT_VERSION + 1, fixCrc);
            IndexFormatTooNewException e = assertThrows(IndexFormatTooNewException.class,
                    () -> Manifest.decode(FILE, newer));
            assertEquals(FormatConstants.FORMAT_VERSION + 1, e.version());
            assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
        }
    }

    @Test
    void olderVersionIsTooOld() {
        ByteBuffer older = withInt(sample(3).encode(), Manifest.OFF_VERSION, FormatConstants.MIN_FORMAT_VERSION - 1, true);
        IndexFormatTooOldException e = assertThrows(IndexFormatTooOldException.class, () -> Manifest.decode(FILE, older));
        assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
    }

    @Test
    void impossibleFieldsWithAValidChecksumAreCorrupt() {
        ByteBuffer page = sample(3).encode();
        int[][] cases = {
                {Manifest.OFF_STATE, 2},
                {Manifest.OFF_DIMENSION, 0},
                {Manifest.OFF_DIMENSION, FormatConstants.MAX_DIMENSION + 1},
                {Manifest.OFF_MAX_DEGREE, 0},
                {Manifest.OFF_EXTENT_SLOTS, 0},
                {Manifest.OFF_FILE_COUNT, 2},
                {Manifest.OFF_FILE_COUNT, -1},
                {Manifest.OFF_FILE_COUNT, 1_000_000},
                {Manifest.OFF_FILE_TABLE, 99},
                {Manifest.OFF_COMMITTED_COUNT + 4, 1},
                {Manifest.OFF_DOC_BYTES + 4, -1},
        };
        for (int[] c : cases) {
            ByteBuffer bad = withInt(page, c[0], c[1], true);
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> Manifest.decode(FILE, bad),
                    "field at " + c[0] + " = " + c[1]);
            assertEquals(FILE, e.file());
        }
    }

    @Test
    void encodedLayoutMatchesTheDocumentedOffsets() {
        Manifest m = sample(5);
        ByteBuffer b = m.encode().order(FormatConstants.BYTE_ORDER);
        assertEquals(FormatConstants.MANIFEST_MAGIC, b.getInt(0));
        assertEquals(FormatConstants.FORMAT_VERSION, b.getInt(4));
        assertEquals(5, b.getLong(8));
        assertEquals(m.indexId(), b.getLong(16));
        assertEquals(100, b.getInt(24));
        assertEquals(2, b.getInt(28));
        assertEquals(30, b.getInt(32));
        assertEquals(1, b.getInt(36));
        assertEquals(613, b.getLong(40));
        assertEquals(64, b.getInt(48));
        assertEquals(17, b.getInt(52));
        assertEquals(100, b.getInt(56));
        assertEquals(1.2f, b.getFloat(60));
        assertEquals(6, b.getInt(64));
        assertEquals(0, b.getInt(68), "no codes");
        assertEquals(0, b.getLong(72));
        assertEquals(0, b.getInt(80));
        assertEquals(0, b.getInt(84));
        assertEquals(7, b.getLong(88), "deletions");
        assertEquals(1000, b.getLong(96), "doc bytes");
        assertEquals(FileKind.VECTORS.code(), b.getInt(104));
        assertEquals(123_456L, b.getLong(112));
        assertEquals(FileKind.NEIGHBOR_LISTS.code(), b.getInt(104 + 32));
        assertEquals(FileKind.DELETES.code(), b.getInt(104 + 48));
        assertEquals(65_536L + 8 * 7, b.getLong(104 + 48 + 8));
        assertEquals(FileKind.KEYS.code(), b.getInt(104 + 64));
        assertEquals(FileKind.DOCS.code(), b.getInt(104 + 80));
        assertEquals(65_536L + 1000, b.getLong(104 + 80 + 8));
        byte[] bytes = new byte[FormatConstants.MANIFEST_PAGE_BYTES];
        b.get(0, bytes);
        assertEquals(Crc.of(bytes, 0, 4092), b.getInt(4092));
        for (int i = 104 + 16 * 6; i < 4092; i++) {
            assertEquals(0, bytes[i], "padding byte " + i);
        }
        assertNotNull(m.toString());
    }

    @Test
    void aManifestWithoutADeletesFileIsWrittenAsVersion2() throws IOException {
        Manifest m = sampleV2(5);
        ByteBuffer b = m.encode().order(FormatConstants.BYTE_ORDER);
        assertEquals(2, b.getInt(4));
        assertEquals(FileKind.VECTORS.code(), b.getInt(88), "format 2 has its file table at 88");
        assertEquals(123_456L, b.getLong(96));
        assertEquals(m, Manifest.decode(FILE, b));
        assertFalse(Manifest.decode(FILE, b).hasDeletes());
    }

    @Test
    void aManifestWithoutKeysIsWrittenAsVersion3() throws IOException {
        Manifest m = sampleV3(5);
        ByteBuffer b = m.encode().order(FormatConstants.BYTE_ORDER);
        assertEquals(3, b.getInt(4));
        assertEquals(7, b.getLong(88));
        assertEquals(FileKind.VECTORS.code(), b.getInt(96), "format 3 has its file table at 96");
        assertEquals(m, Manifest.decode(FILE, b));
        assertEquals(0, Manifest.decode(FILE, b).docBytes());
        // Version 4 without keys, version 3 naming them, doc bytes without keys: all corrupt.
        assertThrows(CorruptIndexException.class,
                () -> Manifest.decode(FILE, withInt(m.encode(), Manifest.OFF_VERSION, 4, true)));
        assertThrows(CorruptIndexException.class,
                () -> Manifest.decode(FILE, withInt(sample(5).encode(), Manifest.OFF_VERSION, 3, true)));
    }

    @Test
    void deletionsAndTheDeletesFileAgreeWithTheVersion() {
        // Version 3 without a deletes file, version 2 naming one, more deletions than vectors: all corrupt.
        ByteBuffer v2 = sampleV2(5).encode();
        ByteBuffer v2AsV3 = withInt(v2, Manifest.OFF_VERSION, 3, true);
        assertThrows(CorruptIndexException.class, () -> Manifest.decode(FILE, v2AsV3));
        ByteBuffer v3AsV2 = withInt(sample(5).encode(), Manifest.OFF_VERSION, 2, true);
        assertThrows(CorruptIndexException.class, () -> Manifest.decode(FILE, v3AsV2));
        ByteBuffer tooMany = withInt(sample(5).encode(), Manifest.OFF_DELETE_COUNT, 614, true);
        assertThrows(CorruptIndexException.class, () -> Manifest.decode(FILE, tooMany));
        ByteBuffer negative = withInt(sample(5).encode(), Manifest.OFF_DELETE_COUNT + 4, -1, true);
        assertThrows(CorruptIndexException.class, () -> Manifest.decode(FILE, negative));
    }

    @Test
    void codeFieldsSitAtTheDocumentedOffsets() throws IOException {
        Map<FileKind, Long> lengths = new EnumMap<>(sampleV3(0).committedLengths());
        lengths.put(FileKind.CODES, 65_536L + 32 * 613);
        Manifest m = new Manifest(6, 1, 100, 1, 30, Manifest.State.CLEAN, 613, 64, 17, 100, 1.2f, lengths, 32, 613,
                0xCAFE_BABE, 50_000);
        ByteBuffer b = m.encode().order(FormatConstants.BYTE_ORDER);
        assertEquals(5, b.getInt(64));
        assertEquals(32, b.getInt(68));
        assertEquals(613, b.getLong(72));
        assertEquals(0xCAFE_BABE, b.getInt(80));
        assertEquals(50_000, b.getInt(84));
        assertEquals(FileKind.CODES.code(), b.getInt(96 + 3 * 16));
        assertEquals(65_536L + 32 * 613, b.getLong(96 + 3 * 16 + 8));
        assertEquals(m, Manifest.decode(FILE, b));
    }

    @Test
    void aVersion1PageReadsAsAnIndexWithoutCodes() throws IOException {
        Manifest m = sampleV2(8);
        ByteBuffer v2 = m.encode().order(FormatConstants.BYTE_ORDER);
        ByteBuffer v1 = ByteBuffer.allocate(FormatConstants.MANIFEST_PAGE_BYTES).order(FormatConstants.BYTE_ORDER);
        v1.put(0, v2, 0, 68);
        v1.putInt(4, 1);
        v1.put(72, v2, 88, 3 * 16); // version 1: zero at 68, the file table at 72
        v1.putInt(Manifest.OFF_CRC, Crc.of(v1.array(), 0, Manifest.OFF_CRC));
        Manifest back = Manifest.decode(FILE, v1);
        assertEquals(m, back);
        assertEquals(0, back.codeBytes());
    }

    @Test
    void codeFieldsOutOfRangeAreCorrupt() {
        Map<FileKind, Long> lengths = new EnumMap<>(sample(0).committedLengths());
        // Codes named without code bytes, code bytes without a codes file, coded beyond the commit, no train size.
        assertThrows(CorruptIndexException.class, () -> decodeOf(lengthsWithCodes(lengths), 0, 0, 1));
        assertThrows(CorruptIndexException.class, () -> decodeOf(lengths, 8, 0, 1));
        assertThrows(CorruptIndexException.class, () -> decodeOf(lengthsWithCodes(lengths), 8, 614, 1));
        assertThrows(CorruptIndexException.class, () -> decodeOf(lengthsWithCodes(lengths), 8, 0, 0));
        assertThrows(CorruptIndexException.class, () -> decodeOf(lengthsWithCodes(lengths), 101, 0, 1));
    }

    private static Map<FileKind, Long> lengthsWithCodes(Map<FileKind, Long> lengths) {
        Map<FileKind, Long> out = new EnumMap<>(lengths);
        out.put(FileKind.CODES, 65_536L);
        return out;
    }

    private static Manifest decodeOf(Map<FileKind, Long> lengths, int codeBytes, long coded, int trainSize)
            throws IOException {
        Manifest m = new Manifest(6, 1, 100, 1, 30, Manifest.State.CLEAN, 613, 64, 17, 100, 1.2f, lengths, codeBytes,
                coded, 0, trainSize);
        return Manifest.decode(FILE, m.encode());
    }
}
