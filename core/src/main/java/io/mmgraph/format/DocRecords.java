package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The docs file: ids and payloads as one append-only run of bytes, each keyed ordinal's id followed by its payload,
 * in ordinal order ({@link KeyRecords} says where each starts). Its records are single bytes, so a document may
 * straddle two extents; reads and writes copy across the boundary. A commit covers
 * {@link Manifest#docBytes()} bytes; bytes past them belong to no commit and are overwritten after a crash.
 */
public final class DocRecords {
    private final RecordFile file;
    private final long extentBytes;

    public DocRecords(RecordFile file) {
        this.file = file;
        this.extentBytes = file.layout().extentBytes();
    }

    /** Stores {@code bytes} at {@code offset}; the caller has mapped the file for {@code offset + bytes.length}. */
    public void write(long offset, byte[] bytes) {
        for (int done = 0; done < bytes.length; ) {
            long at = offset + done;
            int n = (int) Math.min(bytes.length - done, extentBytes - at % extentBytes);
            MemorySegment.copy(bytes, done, file.segmentOf(at), ValueLayout.JAVA_BYTE, file.offsetOf(at), n);
            done += n;
        }
    }

    /** The {@code length} bytes at {@code offset}, which must be mapped. */
    public byte[] read(long offset, int length) {
        byte[] out = new byte[length];
        for (int done = 0; done < length; ) {
            long at = offset + done;
            int n = (int) Math.min(length - done, extentBytes - at % extentBytes);
            MemorySegment.copy(file.segmentOf(at), ValueLayout.JAVA_BYTE, file.offsetOf(at), out, done, n);
            done += n;
        }
        return out;
    }

    /** Maps (the writer: reserves and maps) the extents that hold the first {@code bytes} bytes. */
    public void mapFor(long bytes) throws java.io.IOException {
        file.mapFor(bytes);
    }

    public RecordFile file() {
        return file;
    }
}
