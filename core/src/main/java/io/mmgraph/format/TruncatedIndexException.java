package io.mmgraph.format;

import java.nio.file.Path;

/** A file is shorter than the committed state says it must be: it was cut, or shrunk by another process. */
public class TruncatedIndexException extends CorruptIndexException {
    private final long expectedBytes;
    private final long actualBytes;

    public TruncatedIndexException(Path file, long expectedBytes, long actualBytes) {
        super(file, "truncated: the commit needs " + expectedBytes + " bytes but the file has " + actualBytes);
        this.expectedBytes = expectedBytes;
        this.actualBytes = actualBytes;
    }

    public long expectedBytes() {
        return expectedBytes;
    }

    public long actualBytes() {
        return actualBytes;
    }
}
