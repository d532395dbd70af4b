package io.mmgraph.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Product-quantization code records: the {@code codeBytes} centroid indexes of ordinal {@code i}, one unsigned byte
 * per subspace, as record {@code i} of the codes file. Append-only like the vectors; a code is a pure function of
 * its vector and the codebook, so {@link IndexVerifier} checks codes by re-encoding rather than by a checksum.
 */
public final class CodeRecords implements CodeSource {
    private final RecordFile file;
    private final int codeBytes;

    public CodeRecords(RecordFile file) {
        this.file = file;
        this.codeBytes = file.layout().recordBytes();
    }

    /** Stores a code; the caller has mapped the file for {@code ordinal + 1} records. */
    public void write(long ordinal, byte[] code) {
        MemorySegment.copy(code, 0, file.segmentOf(ordinal), ValueLayout.JAVA_BYTE, file.offsetOf(ordinal), codeBytes);
    }

    public void read(long ordinal, byte[] into) {
        MemorySegment.copy(file.segmentOf(ordinal), ValueLayout.JAVA_BYTE, file.offsetOf(ordinal), into, 0, codeBytes);
    }

    /** The mapping holding the record, for distance look-ups that read it in place. */
    @Override
    public MemorySegment segmentOf(long ordinal) {
        return file.segmentOf(ordinal);
    }

    @Override
    public long offsetOf(long ordinal) {
        return file.offsetOf(ordinal);
    }

    public int codeBytes() {
        return codeBytes;
    }

    public RecordFile file() {
        return file;
    }
}
