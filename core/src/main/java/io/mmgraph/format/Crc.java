package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/** CRC32C, the one checksum of the format, over heap arrays and (mapped) memory segments. */
public final class Crc {
    private Crc() {}

    /** Bytes copied to the heap at a time when checksumming a segment. */
    private static final int CHUNK = 4096;

    public static int of(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /**
     * CRC32C of {@code length} bytes of {@code segment} at {@code offset}. The bytes are copied to the heap in
     * chunks first: the JIT's CRC32C stub reads memory directly, and a fault there (a mapped file cut short under
     * us) kills the JVM with SIGBUS, while a fault inside {@link MemorySegment#copy} becomes an InternalError that
     * callers translate into a named exception (DESIGN.md §9).
     */
    public static int of(MemorySegment segment, long offset, long length) {
        CRC32C crc = new CRC32C();
        byte[] chunk = new byte[(int) Math.min(length, CHUNK)];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(chunk.length, length - done);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + done, chunk, 0, n);
            crc.update(chunk, 0, n);
            done += n;
        }
        return (int) crc.getValue();
    }
}
