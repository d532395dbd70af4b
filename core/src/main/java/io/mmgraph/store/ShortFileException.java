package io.mmgraph.store;

import java.io.IOException;
import java.nio.file.Path;

/** A file ends before an extent that must exist: it was truncated, or shrunk by another process. */
public class ShortFileException extends IOException {
    private final Path file;
    private final long expectedBytes;
    private final long actualBytes;

    public ShortFileException(Path file, long expectedBytes, long actualBytes) {
        super("file " + file + " is " + actualBytes + " bytes, shorter than the " + expectedBytes
                + " bytes its mapped extents need (truncated?)");
        this.file = file;
        this.expectedBytes = expectedBytes;
        this.actualBytes = actualBytes;
    }

    public Path file() {
        return file;
    }

    public long expectedBytes() {
        return expectedBytes;
    }

    public long actualBytes() {
        return actualBytes;
    }
}
