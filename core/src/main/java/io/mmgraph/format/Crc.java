package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC32C, the one checksum of the format, over heap arrays and (mapped) memory segments. */
public final class Crc {
    private Crc() {}

    public static int of(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** CRC32C of {@code length} bytes of {@code segment} at {@code offset}, without copying them to the heap. */
    public static int of(MemorySegment segment, long offset, long length) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
