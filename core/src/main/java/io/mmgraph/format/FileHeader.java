package io.mmgraph.format;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The header at offset 0 of every data file: identifies the file, its index and its record layout, so that a file
 * from another index or of another kind is refused at open. Written once at creation, never rewritten.
 *
 * <pre>
 *   0  int   magic          FormatConstants.FILE_MAGIC
 *   4  int   formatVersion
 *   8  int   fileKind       FileKind code
 *  12  int   recordBytes
 *  16  long  indexId        equals the manifest's
 *  24  long  extentBytes
 *  32  int   dataOffset     FormatConstants.PROLOGUE_BYTES
 *  36  int   recordsPerExtent
 *  40  int   dimension
 *  44  int   maxDegree
 *  ... zero up to byte 4092
 * 4092 int   CRC32C of bytes [0, 4092)
 * </pre>
 * Bytes [4096, 65536) of the prologue are zero.
 */
public record FileHeader(FileKind kind, int recordBytes, long indexId, long extentBytes, int recordsPerExtent,
                         int dimension, int maxDegree) {

    static final int OFF_CRC = FormatConstants.BLOCK_SIZE - Integer.BYTES;

    public static FileHeader of(FileKind kind, SlotLayout layout, long indexId, int dimension, int maxDegree) {
        return new FileHeader(kind, layout.recordBytes(), indexId, layout.extentBytes(), layout.recordsPerExtent(),
                dimension, maxDegree);
    }

    /** The whole prologue: header block then zeros. */
    public ByteBuffer encodePrologue() {
        ByteBuffer b = ByteBuffer.allocate(FormatConstants.PROLOGUE_BYTES).order(FormatConstants.BYTE_ORDER);
        b.putInt(0, FormatConstants.FILE_MAGIC);
        b.putInt(4, FormatConstants.FORMAT_VERSION);
        b.putInt(8, kind.code());
        b.putInt(12, recordBytes);
        b.putLong(16, indexId);
        b.putLong(24, extentBytes);
        b.putInt(32, FormatConstants.PROLOGUE_BYTES);
        b.putInt(36, recordsPerExtent);
        b.putInt(40, dimension);
        b.putInt(44, maxDegree);
        b.putInt(OFF_CRC, Crc.of(b.array(), 0, OFF_CRC));
        return b;
    }

    /** Decodes and checks a header block read from {@code file}; throws a named exception on any mismatch. */
    public static FileHeader decode(Path file, ByteBuffer block) throws java.io.IOException {
        ByteBuffer b = block.duplicate().order(FormatConstants.BYTE_ORDER);
        if (b.remaining() < FormatConstants.BLOCK_SIZE) {
            throw new TruncatedIndexException(file, FormatConstants.BLOCK_SIZE, b.remaining());
        }
        if (b.getInt(0) != FormatConstants.FILE_MAGIC) {
            throw new CorruptIndexException(file, String.format("bad header magic 0x%08x (expected 0x%08x)",
                    b.getInt(0), FormatConstants.FILE_MAGIC));
        }
        int version = b.getInt(4);
        if (version > FormatConstants.FORMAT_VERSION) {
            throw new IndexFormatTooNewException(file, version);
        }
        byte[] bytes = new byte[FormatConstants.BLOCK_SIZE];
        b.get(0, bytes);
        if (Crc.of(bytes, 0, OFF_CRC) != b.getInt(OFF_CRC)) {
            throw new CorruptIndexException(file, "header checksum mismatch");
        }
        if (version < FormatConstants.MIN_FORMAT_VERSION) {
            throw new IndexFormatTooOldException(file, version);
        }
        FileKind kind = FileKind.fromCode(b.getInt(8));
        if (kind == null) {
            throw new CorruptIndexException(file, "unknown file kind " + b.getInt(8));
        }
        if (b.getInt(32) != FormatConstants.PROLOGUE_BYTES) {
            throw new CorruptIndexException(file, "data offset " + b.getInt(32) + ", expected "
                    + FormatConstants.PROLOGUE_BYTES);
        }
        return new FileHeader(kind, b.getInt(12), b.getLong(16), b.getLong(24), b.getInt(36), b.getInt(40),
                b.getInt(44));
    }

    /** Checks that this header describes the file the manifest expects, with the layout this code computes. */
    public void expect(Path file, FileKind expectedKind, long expectedIndexId, SlotLayout layout)
            throws CorruptIndexException {
        if (kind != expectedKind) {
            throw new CorruptIndexException(file, "holds " + kind + " but " + expectedKind + " was expected");
        }
        if (indexId != expectedIndexId) {
            throw new CorruptIndexException(file, String.format(
                    "belongs to index %016x, not to this index %016x", indexId, expectedIndexId));
        }
        if (recordBytes != layout.recordBytes() || extentBytes != layout.extentBytes()
                || recordsPerExtent != layout.recordsPerExtent()) {
            throw new CorruptIndexException(file, "layout (record " + recordBytes + " B, extent " + extentBytes
                    + " B, " + recordsPerExtent + " records/extent) does not match the manifest's " + layout);
        }
    }
}
